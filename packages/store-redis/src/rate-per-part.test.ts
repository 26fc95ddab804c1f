import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace, runCleanups, startNode, startSmsc } from './cluster.test-helper.js';
import { type RedisServer, startRedisServer } from './redis-server.test-helper.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(runCleanups);

const to = '+77011234567';

// Providers count submit_sm PDUs, not messages: the parts of a long SMS each take a slot of the
// shared rate. At 1/s, three parts span two seconds on the wire (never asserted as a
// duration: the check is that no part follows the first within half a second).
describe('the shared rate counts every submit_sm', () => {
  for (const mode of ['unleased', 'leased'] as const) {
    it(`paces the parts of a long message (${mode} channel)`, async () => {
      const sim = await startSmsc({ receiptDelayMs: 0 });
      const namespace = freshNamespace();
      const node = await startNode(
        sim,
        { url: server.url, namespace, rates: { smsc: 1 } },
        mode === 'leased' ? { leases: 1 } : {},
      );
      const at: number[] = [];
      sim.on('submit', () => at.push(Date.now()));
      const handle = await node.tidings.send('smsc', { to, text: 'x'.repeat(400) }); // three GSM-7 parts
      expect((await handle.settled).type).toBe('delivered');
      expect(at).toHaveLength(3);
      const first = at[0] as number;
      // Without pacing all three arrive within a few milliseconds of each other.
      expect(at.filter((t) => t - first < 500)).toHaveLength(1);
    });
  }
});
