import type { AdoptedMessage, ClusterLink, DeliveryReport, Logger } from '@tidings/core';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshNamespace, runCleanups, startNode, startSmsc } from './cluster.test-helper.js';
import { RedisKeys } from './keys.js';
import { RedisCluster } from './redis-cluster.js';
import { RedisMessageStore } from './redis-message-store.js';
import { type RedisServer, startRedisServer } from './redis-server.test-helper.js';
import { withScripts } from './scripts.js';

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
  await runCleanups();
});
const to = '+77011234567';
const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function clusterOf(namespace: string, instanceId: string): RedisCluster {
  const redis = withScripts(new Redis(server.url));
  const keys = new RedisKeys(namespace);
  const store = new RedisMessageStore({ redis, namespace, owner: instanceId });
  const cluster = new RedisCluster(
    redis,
    keys,
    store,
    {
      instanceId,
      retentionMs: 60_000,
      pendingTtlMs: 60_000,
      eventRetentionMs: 60_000,
      rates: {},
      heartbeatMs: 50,
      deadAfterMs: 200,
    },
    silent,
  );
  cleanups.push(async () => {
    await cluster.close();
    redis.disconnect();
  });
  return cluster;
}

describe('takeover: receipts', () => {
  it('applies a receipt forwarded to the new owner between the claim and the adoption', async () => {
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const client = server.client;
    // Process "dead" sent M; the provider accepted it as P1; it waits for the receipt.
    const dead = new RedisMessageStore({ redis: client, namespace, owner: 'dead' });
    await dead.create({
      id: 'M',
      channels: ['smsc'],
      channel: 'smsc',
      status: 'accepted',
      attempt: 1,
      terminal: false,
      createdAt: 1,
      updatedAt: 1,
      providerMessageId: 'P1',
      message: { to: '+77011234567', text: 'hi' },
    });
    await dead.correlate('smsc', 'P1', 'M');
    await client.sadd(keys.instances, 'dead');
    await client.set(keys.alive('dead'), '1', 'PX', 60_000);

    // The survivor's runtime: a receipt applies only to a message it has adopted.
    const adopted = new Set<string>();
    const applied: boolean[] = [];
    const link: ClusterLink = {
      applyReport: (_channel: string, report: DeliveryReport) => {
        const ok = adopted.has(String(report.providerMessageId));
        applied.push(ok);
        return ok;
      },
      adopt: (messages: readonly AdoptedMessage[]) => {
        for (const m of messages) for (const id of m.providerMessageIds ?? []) adopted.add(id);
      },
    };
    const me = clusterOf(namespace, 'me');
    me.attach(link);

    // The claim script has run (M is now owned by "me") and `#adopt` is still reading the records
    // (one pipeline per 500 messages): the window this test holds open.
    await client.hset(keys.message('M'), 'o', 'me');
    // Meanwhile the receipt arrives on a third process's bind, which forwards it to the owner.
    const third = clusterOf(namespace, 'third');
    third.forwardReport({ channel: 'smsc', report: { providerMessageId: 'P1', state: 'delivered' }, messageId: 'M' });
    await vi.waitFor(() => expect(applied.length).toBeGreaterThan(0));
    // The adoption completes.
    await client.del(keys.alive('dead'));
    await vi.waitFor(() => expect(adopted.has('P1')).toBe(true));
    // The receipt, held while no message here waited for it, reaches the adopted message.
    await vi.waitFor(() => expect(applied).toContain(true), { timeout: 3_000 });
  });
});

describe('takeover: a restart with a fixed instanceId', () => {
  it('takes over the messages its previous run (same instanceId) left unsettled', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    // The previous run of "worker-1" (a pod name, say) was killed with one message queued.
    const client = new Redis(server.url);
    const before = new RedisMessageStore({ redis: client, namespace, owner: 'worker-1' });
    await before.create({
      id: 'left-1',
      channels: ['smsc'],
      channel: 'smsc',
      status: 'queued',
      attempt: 0,
      terminal: false,
      createdAt: 1,
      updatedAt: 1,
      message: { to, text: 'left behind' },
    });
    await client.sadd(keys.instances, 'worker-1');
    client.disconnect();
    // It comes back under the same name (its alive key expired long ago).
    const node = await startNode(sim, {
      url: server.url,
      namespace,
      instanceId: 'worker-1',
      heartbeatMs: 50,
      deadAfterMs: 200,
    });
    // Its first heartbeat takes its previous run's messages over: "left-1" is sent and ends once.
    await vi.waitFor(async () => expect(await server.client.hget(keys.message('left-1'), 't')).toBe('1'), {
      timeout: 3_000,
    });
    expect(node.events.filter((e) => e.messageId === 'left-1' && e.terminal)).toHaveLength(1);
  });
});

describe('takeover: a graceful restart (rolling deploy)', () => {
  it('leaves a message awaiting its receipt to the processes still running, rather than failing it', async () => {
    const sim = await startSmsc(); // receipts held back
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const options = { url: server.url, namespace, heartbeatMs: 50, deadAfterMs: 200 };
    const a = await startNode(sim, options);
    const b = await startNode(sim, options);
    await vi.waitFor(() => expect(sim.sessions.filter((s) => s.state === 'bound')).toHaveLength(2));
    const handle = await a.tidings.send('smsc', { to, text: 'Your code is 4821' });
    const accepted = await handle.accepted;
    // A is restarted (deploy): it stops gracefully while the receipt is still on its way.
    await a.tidings.stop({ timeoutMs: 100 });
    await a.redis.close();
    const bSession = sim.sessions.find((s) => s.state === 'bound');
    await sim.sendReceipt({ messageId: accepted.providerMessageId, sessionId: bSession?.id as number });
    const story = async () =>
      (await server.client.xrange(keys.messageEvents(handle.id), '-', '+')).map(
        ([, fields]) => JSON.parse(fields[1] as string) as { type: string; terminal: boolean },
      );
    await vi.waitFor(async () => expect((await story()).some((e) => e.terminal)).toBe(true), { timeout: 3_000 });
    // A left the message to B (it stopped saying it is alive): B took it over and applied the receipt.
    expect((await story()).filter((e) => e.terminal).map((e) => e.type)).toEqual(['delivered']);
    expect(b.events.filter((e) => e.messageId === handle.id && e.terminal).map((e) => e.type)).toEqual(['delivered']);
  });
});
