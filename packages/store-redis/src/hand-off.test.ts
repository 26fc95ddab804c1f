import type { Logger } from '@tidings/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshNamespace } from './cluster.test-helper.js';
import { HandOff } from './hand-off.js';
import { RedisKeys } from './keys.js';
import { type RedisServer, startRedisServer } from './redis-server.test-helper.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

describe('HandOff: the consumer group stays bounded', () => {
  it('removes the consumer of a holder that is gone, also when it left nothing pending', async () => {
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const queue = keys.handOff('smsc');
    const alive = new Set(['h1', 'h2']);
    const handOff = (instance: string) => {
      const redis = new Redis(server.url);
      const h = new HandOff(redis, queue, keys.handOffReplies('smsc'), instance, async (i) => alive.has(i), silent);
      cleanups.push(async () => {
        await h.close();
        redis.disconnect();
      });
      return h;
    };
    const send = async () => ({ providerMessageId: 'x' });
    // Holder h1 serves a while, then stops (lease lost, process restarted with a new id…).
    const h1 = handOff('h1');
    h1.serve(send, 10, 100);
    // One request it serves (already given up on by its sender: acknowledged unsent).
    const request = { id: 'r1', from: 'x', messageId: 'm', attempt: 1, deadline: 0, message: { to: '+1', text: 'a' } };
    await server.client.xadd(queue, '*', 'q', JSON.stringify(request));
    await vi.waitFor(async () => {
      const consumers = (await server.client.xinfo('CONSUMERS', queue, 'holders')) as unknown[][];
      expect(consumers.length).toBe(1);
    });
    await h1.close();
    alive.delete('h1');
    const h2 = handOff('h2');
    h2.serve(send, 10, 100);
    await new Promise((resolve) => setTimeout(resolve, 400));
    // It left with nothing pending: it took itself out of the group.
    const consumers = (await server.client.xinfo('CONSUMERS', queue, 'holders')) as unknown[][];
    expect(consumers.map((c) => c[1])).not.toContain('h1');
  });

  it('forgets the consumer of a holder that died with nothing pending', async () => {
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const queue = keys.handOff('smsc');
    const alive = new Set(['h3', 'h4']);
    const send = async () => ({ providerMessageId: 'x' });
    // h3 serves one request, then its process dies (no stopServing, its connection just goes).
    const redis3 = new Redis(server.url);
    const h3 = new HandOff(redis3, queue, keys.handOffReplies('smsc'), 'h3', async (i) => alive.has(i), silent);
    cleanups.push(async () => {
      await h3.close();
    });
    h3.serve(send, 10, 100);
    const request = { id: 'r1', from: 'x', messageId: 'm', attempt: 1, deadline: 0, message: { to: '+1', text: 'a' } };
    await server.client.xadd(queue, '*', 'q', JSON.stringify(request));
    await vi.waitFor(async () => {
      const consumers = (await server.client.xinfo('CONSUMERS', queue, 'holders')) as unknown[][];
      expect(consumers.map((c) => c[1])).toEqual(['h3']);
      expect(await server.client.xlen(queue)).toBe(0);
    });
    redis3.disconnect();
    alive.delete('h3');
    const redis4 = new Redis(server.url);
    const h4 = new HandOff(redis4, queue, keys.handOffReplies('smsc'), 'h4', async (i) => alive.has(i), silent);
    cleanups.push(async () => {
      await h4.close();
      redis4.disconnect();
    });
    h4.serve(send, 10, 100);
    await vi.waitFor(
      async () => {
        const consumers = (await server.client.xinfo('CONSUMERS', queue, 'holders')) as unknown[][];
        expect(consumers.map((c) => c[1])).not.toContain('h3');
      },
      { timeout: 3_000 },
    );
  });
});
