import type { Channel, Logger } from '@tidings/core';
import { Redis } from 'ioredis';
import { BehaviorSubject, Subject } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshNamespace } from './cluster.test-helper.js';
import { HandOff } from './hand-off.js';
import { RedisKeys } from './keys.js';
import { Lease } from './lease.js';
import { LeasedChannel } from './leased-channel.js';
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

/** Counts binds across every "process": a bind is a started, not yet stopped inner channel. */
class BindCounter {
  bound = 0;
  max = 0;
  channel(startMs: number): Channel {
    let up = false;
    return {
      name: 'smsc',
      kind: 'fake',
      capabilities: { receipts: true } as Channel['capabilities'],
      state$: new BehaviorSubject({ status: 'idle' as const }),
      reports$: new Subject(),
      inbound$: new Subject(),
      start: async () => {
        await new Promise((resolve) => setTimeout(resolve, startMs));
        up = true;
        this.bound++;
        this.max = Math.max(this.max, this.bound);
      },
      stop: async () => {
        if (up) this.bound--;
        up = false;
      },
      validate() {},
      send: async () => ({ providerMessageId: '1' }),
    } as unknown as Channel;
  }
}

function leasedOn(
  client: Redis,
  namespace: string,
  instance: string,
  counter: BindCounter,
  startMs: number,
  ttlMs: number,
): LeasedChannel {
  const keys = new RedisKeys(namespace);
  const channel = new LeasedChannel(
    () => counter.channel(startMs),
    new Lease(client, keys.leases('smsc'), 1, instance, ttlMs),
    new HandOff(client, keys.handOff('smsc'), keys.handOffReplies('smsc'), instance, async () => true, silent),
    { refreshMs: 50, handOffTimeoutMs: 1_000, serveConcurrency: 10, claimIdleMs: ttlMs, gate: () => undefined },
    silent,
  );
  cleanups.push(() => channel.stop());
  return channel;
}

describe('LeasedChannel: never more binds than leases', () => {
  it('closes its bind once it can no longer renew its lease (Redis unreachable from this process)', async () => {
    const namespace = freshNamespace();
    const counter = new BindCounter();
    const clientA = new Redis(server.url);
    const clientB = new Redis(server.url);
    cleanups.push(async () => {
      clientA.disconnect();
      clientB.disconnect();
    });
    const a = leasedOn(clientA, namespace, 'A', counter, 0, 300);
    await a.start();
    expect(a.holdsLease).toBe(true);
    // A loses its connection to Redis (a partition): its renewals fail, its lease runs out in Redis.
    clientA.disconnect();
    const b = leasedOn(clientB, namespace, 'B', counter, 0, 300);
    await b.start();
    await vi.waitFor(() => expect(b.holdsLease).toBe(true), { timeout: 3_000 });
    // A closed its bind before its unrenewed lease expired and B took it.
    expect(counter.max).toBe(1);
    expect(a.holdsLease).toBe(false);
  });

  it('keeps renewing its lease while its bind is still starting (a bind slower than the lease TTL)', async () => {
    const namespace = freshNamespace();
    const counter = new BindCounter();
    const client = new Redis(server.url);
    cleanups.push(async () => client.disconnect());
    // A's SMSC answers the bind slowly (the SMPP channel waits up to 30 s by default; deadAfterMs is 10 s).
    const a = leasedOn(client, namespace, 'A', counter, 800, 200);
    const aStarted = a.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const b = leasedOn(client, namespace, 'B', counter, 0, 200);
    await b.start();
    await aStarted;
    await new Promise((resolve) => setTimeout(resolve, 150));
    // A renewed its lease while its bind was starting: B never got one.
    expect(counter.max).toBe(1);
  });
});
