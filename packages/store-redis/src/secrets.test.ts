import { inspect } from 'node:util';
import { ErrorCode } from '@tidings/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshNamespace, runCleanups, startNode, startSmsc } from './cluster.test-helper.js';
import { RedisKeys } from './keys.js';
import { type RedisServer, startRedisServer } from './redis-server.test-helper.js';

// A server of its own: one test makes it refuse writes.
let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(runCleanups);

const to = '+77011234567';

describe('secrets: the message text (an OTP code) never outlives its need', () => {
  it('does not keep the message text in Redis once the message is settled', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const node = await startNode(sim, { url: server.url, namespace });
    const handle = await node.tidings.send('smsc', { to, text: 'Your code is 4821' });
    expect((await handle.settled).type).toBe('delivered');
    await vi.waitFor(async () => expect(await server.client.hget(keys.message(handle.id), 't')).toBe('1'));
    // The record stays for retentionMs; only a takeover needed the text, and a settled message has none.
    expect(await server.client.hget(keys.message(handle.id), 'msg')).toBeNull();
    expect(await server.client.hget(keys.message(handle.id), 's')).toBe('delivered');
  });

  it('does not put the message text in the error send throws when Redis refuses the record', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const node = await startNode(sim, { url: server.url, namespace: freshNamespace() });
    // A primary that requires a replica (min-replicas-to-write) while it has none: it refuses writes.
    await server.client.config('SET', 'min-replicas-to-write', '1');
    try {
      const error = await node.tidings.send('smsc', { to, text: 'Your code is 4821' }).catch((e) => e);
      expect(error).toMatchObject({ code: ErrorCode.Internal });
      // What a host's logger prints of it: the Redis reply, not the command's arguments.
      const printed = inspect(error, { depth: 10 });
      expect(printed).toContain('NOREPLICAS');
      expect(printed).not.toContain('4821');
    } finally {
      await server.client.config('SET', 'min-replicas-to-write', '0');
    }
  });
});
