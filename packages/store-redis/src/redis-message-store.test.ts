import { describeMessageStoreContract, storeRecord } from '@tidings/core/testing/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisMessageStore } from './redis-message-store.js';
import { type RedisServer, startRedisServer } from './redis-server.test-helper.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

let namespaces = 0;
/** A store in a namespace of its own; its retention is short, so tests can outlive it. */
function storeFor(options: { retentionMs?: number; owner?: string } = {}) {
  const namespace = `t${++namespaces}`;
  const store = new RedisMessageStore({
    redis: new Redis(server.url),
    namespace,
    retentionMs: options.retentionMs ?? 60,
    ownsClient: true,
    ...(options.owner === undefined ? {} : { owner: options.owner }),
  });
  return { store, namespace };
}

/** Waits until Redis has expired what a short retention let go (no fixed sleep). */
async function outlive(namespace: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    // A settled message's keys all carry the retention TTL; wait until none is left with one.
    const keys = await server.client.keys(`${namespace}:*`);
    const ttls = await Promise.all(keys.map((key) => server.client.pttl(key)));
    if (!ttls.some((ttl) => ttl >= 0 && ttl <= 60)) return;
    if (Date.now() > deadline) throw new Error('keys did not expire');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describeMessageStoreContract('RedisMessageStore', {
  setup: () => {
    const { store, namespace } = storeFor();
    return { store, outliveRetention: () => outlive(namespace), teardown: () => store.close() };
  },
});

describe('RedisMessageStore in Redis', () => {
  it('shares state between two clients (two processes): a key taken by one is refused to the other', async () => {
    const a = storeFor({ retentionMs: 60_000 });
    const b = new RedisMessageStore({ redis: new Redis(server.url), namespace: a.namespace, ownsClient: true });
    try {
      await a.store.create(storeRecord('m1', { idempotencyKey: 'order-1' }));
      expect(await b.create(storeRecord('m2', { idempotencyKey: 'order-1' }))).toEqual({
        created: false,
        existingId: 'm1',
      });
      await b.correlate('sms', 'p-1', 'm1');
      expect(await a.store.resolve('sms', 'p-1')).toBe('m1');
      await b.update('m1', { status: 'accepted', providerMessageId: 'p-1' });
      expect(await a.store.get('m1')).toMatchObject({ status: 'accepted', providerMessageId: 'p-1' });
    } finally {
      await a.store.close();
      await b.close();
    }
  });

  it('gives every key a TTL: pending ones the pending TTL, settled ones the retention', async () => {
    const { store, namespace } = storeFor({ retentionMs: 60_000, owner: 'proc-1' });
    try {
      await store.create(storeRecord('m1', { idempotencyKey: 'k' }));
      await store.correlate('sms', 'p-1', 'm1');
      const keys = (await server.client.keys(`${namespace}:*`)).filter((key) => !key.includes(':own:'));
      expect(keys.sort()).toEqual([
        `${namespace}:c:3:sms:p-1`,
        `${namespace}:k:k`,
        `${namespace}:m:m1`,
        `${namespace}:mc:m1`,
      ]);
      for (const key of keys) expect(await server.client.pttl(key)).toBeGreaterThan(24 * 60 * 60 * 1000);
      // The owner's set of unsettled messages holds it until it settles.
      expect(await server.client.smembers(`${namespace}:own:proc-1`)).toEqual(['m1']);
      await store.update('m1', { status: 'delivered', terminal: true });
      for (const key of keys) {
        const ttl = await server.client.pttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
      expect(await server.client.smembers(`${namespace}:own:proc-1`)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('keeps the message itself for a takeover (not part of the record it returns)', async () => {
    const { store, namespace } = storeFor({ retentionMs: 60_000 });
    try {
      await store.create({ ...storeRecord('m1', { providerMessageId: 'p' }), message: { to: '+7900', text: 'hi' } });
      expect(await store.get('m1')).toEqual(storeRecord('m1', { providerMessageId: 'p' }));
      expect(JSON.parse((await server.client.hget(`${namespace}:m:m1`, 'msg')) ?? 'null')).toEqual({
        to: '+7900',
        text: 'hi',
      });
    } finally {
      await store.close();
    }
  });
});

describe('RedisMessageStore: nothing grows without bound', () => {
  it('forgets an unsettled message in its owner’s set once the message itself expired', async () => {
    const client = new Redis(server.url);
    const namespace = `t${++namespaces}`;
    const store = new RedisMessageStore({ redis: client, namespace, owner: 'p1', pendingTtlMs: 50, ownsClient: true });
    try {
      await store.create(storeRecord('m1', { status: 'accepted', attempt: 1 }));
      await vi.waitFor(async () => expect(await client.exists(`${namespace}:m:m1`)).toBe(0));
      // own:p1 expires with its newest message: no entry per message expired unsettled, forever.
      await vi.waitFor(async () => expect(await client.exists(`${namespace}:own:p1`)).toBe(0));
    } finally {
      await store.close();
    }
  });
});
