import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshNamespace } from './cluster.test-helper.js';
import { redisScaleOut } from './redis-scale-out.js';
import { type RedisServer, startRedisServer } from './redis-server.test-helper.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

describe('redisScaleOut: close()', () => {
  it('closes every Redis connection it opened, also the readers of events$ and watch', async () => {
    const namespace = freshNamespace();
    const clients = async () =>
      String(await server.client.client('LIST'))
        .trim()
        .split('\n').length;
    const before = await clients();
    const scaleOut = redisScaleOut({ url: server.url, namespace });
    const completed: string[] = [];
    const subscription = scaleOut.events$().subscribe({ complete: () => completed.push('events$'), error: () => {} });
    const watching = scaleOut
      .watch('never-settles')
      .subscribe({ complete: () => completed.push('watch'), error: () => {} });
    await vi.waitFor(async () => expect(await clients()).toBe(before + 3));
    await scaleOut.close();
    try {
      await vi.waitFor(async () => expect(await clients()).toBe(before), { timeout: 2_000 });
      // Their subscribers learn it: the Observables complete.
      expect(completed.sort()).toEqual(['events$', 'watch']);
      // A subscription after close opens nothing and completes at once.
      let late = false;
      scaleOut.events$().subscribe({ complete: () => (late = true) });
      expect(late).toBe(true);
    } finally {
      subscription.unsubscribe();
      watching.unsubscribe();
    }
  });
});
