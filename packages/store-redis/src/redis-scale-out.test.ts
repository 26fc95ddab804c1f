import { ErrorCode, type MessageEvent, TidingsError } from '@tidings/core';
import { Redis } from 'ioredis';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { freshNamespace, runCleanups, startNode, startSmsc } from './cluster.test-helper.js';
import { RedisKeys } from './keys.js';
import { RedisMessageStore } from './redis-message-store.js';
import { redisScaleOut } from './redis-scale-out.js';
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
const terminals = (events: readonly MessageEvent[], id: string) =>
  events.filter((e) => e.messageId === id && e.terminal);

describe('redisScaleOut: several runtimes as one', () => {
  it('settles the handle in process A when the receipt arrives on the bind of process B', async () => {
    const sim = await startSmsc();
    const namespace = freshNamespace();
    const a = await startNode(sim, { url: server.url, namespace });
    const b = await startNode(sim, { url: server.url, namespace });
    await vi.waitFor(() => expect(sim.sessions.filter((s) => s.state === 'bound')).toHaveLength(2));
    const submittedOn: number[] = [];
    sim.on('submit', (event) => submittedOn.push(event.session.id));

    const handle = await a.tidings.send('smsc', { to, text: 'Your code is 1234' });
    const accepted = await handle.accepted;
    const other = sim.sessions.find((s) => s.state === 'bound' && s.id !== submittedOn[0]);
    expect(other).toBeDefined();
    await sim.sendReceipt({ messageId: accepted.providerMessageId, sessionId: other?.id as number });

    const settled = await handle.settled;
    expect(settled).toMatchObject({ type: 'delivered', providerMessageId: accepted.providerMessageId });
    expect(terminals(a.events, handle.id)).toHaveLength(1);
    // B only passed the receipt on: no event of its own for A's message.
    expect(b.events.filter((e) => e.messageId === handle.id)).toEqual([]);
  });

  it('publishes every event to Redis: another process follows them live, a restarted one replays them', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const a = await startNode(sim, { url: server.url, namespace });
    const b = await startNode(sim, { url: server.url, namespace });
    const live = lastValueFrom(b.redis.events$().pipe(take(4), toArray()));
    // Subscribing opens a reader of its own; let it take its starting point first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const handle = await a.tidings.send('smsc', { to, text: 'hello' });
    await handle.settled;
    expect((await live).map((e) => e.type)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);

    // A "restart": a new client watches the message from its first event, and the watch completes.
    await a.tidings.stop();
    await a.redis.close();
    const later = redisScaleOut({ url: server.url, namespace });
    try {
      const replay = await lastValueFrom(later.watch(handle.id).pipe(toArray()));
      expect(replay.map((e) => e.type)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
      expect(replay.at(-1)).toMatchObject({ messageId: handle.id, channel: 'smsc', terminal: true });
      const all = await firstValueFrom(later.events$({ from: 'start' }).pipe(take(4), toArray()));
      expect(all.map((e) => e.messageId)).toEqual([handle.id, handle.id, handle.id, handle.id]);
    } finally {
      await later.close();
    }
  });

  it('keeps idempotency keys global: the second process is told whose message it is', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const a = await startNode(sim, { url: server.url, namespace });
    const b = await startNode(sim, { url: server.url, namespace });
    const first = await a.tidings.send('smsc', { to, text: 'code 1', idempotencyKey: 'login-42' });
    const error = await b.tidings.send('smsc', { to, text: 'code 1', idempotencyKey: 'login-42' }).catch((e) => e);
    expect(error).toBeInstanceOf(TidingsError);
    expect(error).toMatchObject({ code: ErrorCode.Duplicate, details: { messageId: first.id } });
    await first.settled;
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
  });

  it('holds a channel to one submit rate across every process together', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const rate = 40;
    const nodes = [
      await startNode(sim, { url: server.url, namespace, rates: { smsc: rate } }),
      await startNode(sim, { url: server.url, namespace, rates: { smsc: rate } }),
    ];
    const at: number[] = [];
    sim.on('submit', () => at.push(Date.now()));
    const handles = await Promise.all(
      nodes.flatMap((node, n) =>
        Array.from({ length: 30 }, (_, i) => node.tidings.send('smsc', { to, text: `m ${n}-${i}` })),
      ),
    );
    await Promise.all(handles.map((handle) => handle.settled));
    expect(at).toHaveLength(60);
    // In any one-second window the simulator saw at most the rate, plus a little for timer slack.
    const busiest = Math.max(...at.map((start) => at.filter((t) => t >= start && t < start + 1000).length));
    expect(busiest).toBeLessThanOrEqual(rate + 3);
    expect(busiest).toBeGreaterThan(rate / 2);
  });
});

describe('taking over a dead process', () => {
  it('sends its queued messages, waits for its accepted ones, applies receipts forwarded to it meanwhile', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    // What a process "dead-1" left in Redis when it was killed.
    const client = new Redis(server.url);
    const dead = new RedisMessageStore({ redis: client, namespace, owner: 'dead-1' });
    const record = (id: string) => ({
      id,
      channels: ['smsc'],
      channel: 'smsc',
      status: 'queued' as const,
      attempt: 0,
      terminal: false,
      createdAt: 1,
      updatedAt: 1,
      message: { to, text: `left behind ${id}` },
    });
    await dead.create(record('queued-1'));
    await dead.create(record('accepted-1'));
    await dead.update('accepted-1', { status: 'accepted', attempt: 1, providerMessageId: '999' });
    await dead.correlate('smsc', '999', 'accepted-1');
    await dead.create(record('settled-1'));
    await dead.update('settled-1', { status: 'delivered', terminal: true });
    await client.sadd(keys.instances, 'dead-1');
    // A receipt another process forwarded to the dead one before anyone noticed.
    await client.xadd(
      keys.inbox('dead-1'),
      '*',
      'r',
      JSON.stringify({ channel: 'smsc', report: { providerMessageId: '999', state: 'delivered' } }),
    );
    client.disconnect();

    const survivor = await startNode(sim, { url: server.url, namespace, heartbeatMs: 50, deadAfterMs: 200 });
    await vi.waitFor(() => {
      expect(terminals(survivor.events, 'queued-1')).toHaveLength(1);
      expect(terminals(survivor.events, 'accepted-1')).toHaveLength(1);
    });
    expect(terminals(survivor.events, 'queued-1')[0]?.type).toBe('delivered');
    expect(terminals(survivor.events, 'accepted-1')[0]?.type).toBe('delivered');
    expect(survivor.events.some((e) => e.messageId === 'settled-1')).toBe(false);
    // Only the queued one was sent again.
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
    // The dead process is gone from the registry; its messages belong to the survivor.
    expect(await server.client.sismember(keys.instances, 'dead-1')).toBe(0);
    expect(await server.client.hget(keys.message('queued-1'), 'o')).toBe(survivor.redis.instanceId);
  });

  it('ends a message the dead process had written without an answer as ambiguous under ambiguous: "fail"', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const client = new Redis(server.url);
    const dead = new RedisMessageStore({ redis: client, namespace, owner: 'dead-2' });
    await dead.create({
      id: 'sending-1',
      channels: ['smsc'],
      channel: 'smsc',
      status: 'submitted',
      attempt: 1,
      terminal: false,
      createdAt: 1,
      updatedAt: 1,
      message: { to, text: 'maybe sent' },
    });
    await client.sadd(keys.instances, 'dead-2');
    client.disconnect();
    const scaleOut = redisScaleOut({ url: server.url, namespace, heartbeatMs: 50, deadAfterMs: 200 });
    const { createTidings } = await import('@tidings/core');
    const { smscChannel } = await import('@tidings/channel-smsc');
    const tidings = await createTidings({
      plugins: [
        smscChannel({
          host: sim.host,
          port: sim.port,
          systemId: 'test',
          password: 'secret',
          settings: { ambiguous: 'fail' },
        }),
      ],
      modules: [scaleOut.module],
    });
    const events: MessageEvent[] = [];
    tidings.events$.subscribe((event) => events.push(event));
    try {
      await vi.waitFor(() => expect(terminals(events, 'sending-1')).toHaveLength(1));
      expect(terminals(events, 'sending-1')[0]).toMatchObject({
        type: 'failed',
        error: { code: ErrorCode.ConnectionLost, ambiguous: true },
      });
      expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(0);
    } finally {
      await tidings.stop({ timeoutMs: 500 });
      await scaleOut.close();
    }
  });
});

describe('messages sent with sensitive: true (a one-time code)', () => {
  it('never writes their body to Redis: the record has no msg field', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const node = await startNode(sim, { url: server.url, namespace });
    const handle = await node.tidings.send('smsc', { to, text: 'Your code: 48213957' }, { sensitive: true });
    await handle.settled;
    expect(await server.client.hexists(keys.message(handle.id), 'id')).toBe(1);
    expect(await server.client.hget(keys.message(handle.id), 'msg')).toBeNull();
    expect(JSON.stringify(await server.client.hgetall(keys.message(handle.id)))).not.toContain('48213957');
  });

  it('a takeover ends a message stored without its body with exactly one failed event, sending nothing', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const client = new Redis(server.url);
    const dead = new RedisMessageStore({ redis: client, namespace, owner: 'dead-3' });
    // What core stores for a sensitive message: the record, no `message`.
    await dead.create({
      id: 'code-1',
      channels: ['smsc'],
      channel: 'smsc',
      status: 'queued',
      attempt: 0,
      terminal: false,
      clientRef: 'verification-1',
      createdAt: 1,
      updatedAt: 1,
    });
    await client.sadd(keys.instances, 'dead-3');
    client.disconnect();

    const survivor = await startNode(sim, { url: server.url, namespace, heartbeatMs: 50, deadAfterMs: 200 });
    await vi.waitFor(() => expect(terminals(survivor.events, 'code-1')).toHaveLength(1));
    expect(terminals(survivor.events, 'code-1')[0]).toMatchObject({
      type: 'failed',
      clientRef: 'verification-1',
      error: { code: ErrorCode.ConnectionLost, ambiguous: false, details: { takenOver: true, bodyNotKept: true } },
    });
    await vi.waitFor(async () => expect(await server.client.hget(keys.message('code-1'), 't')).toBe('1'));
    expect(terminals(survivor.events, 'code-1')).toHaveLength(1);
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(0);
  });
});

describe('a process presumed dead while it still runs', () => {
  it('keeps its later writes out of the shared record and streams: one story per message', async () => {
    const sim = await startSmsc();
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const errors: string[] = [];
    const logger = { debug() {}, info() {}, warn() {}, error: (message: string) => errors.push(message) };
    const node = await startNode(sim, { url: server.url, namespace }, {}, logger);
    const handle = await node.tidings.send('smsc', { to, text: 'taken over meanwhile' });
    const accepted = await handle.accepted;
    const sharedTypes = async () =>
      (await server.client.xrange(keys.messageEvents(handle.id), '-', '+')).map(
        ([, fields]) => (JSON.parse(fields[1] as string) as MessageEvent).type,
      );
    await vi.waitFor(async () => expect(await sharedTypes()).toEqual(['queued', 'submitted', 'accepted']));
    // Another process claimed it (this one looked dead for a moment).
    await server.client.hset(keys.message(handle.id), 'o', 'other-process');
    await sim.sendReceipt({ messageId: accepted.providerMessageId });
    expect((await handle.settled).type).toBe('delivered'); // here, locally
    // Refused by Redis, and said so.
    await vi.waitFor(() =>
      expect(errors).toContain('redis cluster: another process took this message over; its events here are not shared'),
    );
    expect(await sharedTypes()).toEqual(['queued', 'submitted', 'accepted']);
    expect(await server.client.hmget(keys.message(handle.id), 's', 't')).toEqual(['accepted', '0']);
  });
});

describe('binds as leases', () => {
  it('binds only as many times as leases across processes; the others hand their messages to the holders', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    let maxBound = 0;
    sim.on('bind', () => {
      maxBound = Math.max(maxBound, sim.sessions.filter((s) => s.state === 'bound').length);
    });
    const options = { url: server.url, namespace, heartbeatMs: 50, deadAfterMs: 300 };
    const nodes = [
      await startNode(sim, options, { leases: 2, maxConnections: 2 }),
      await startNode(sim, options, { leases: 2, maxConnections: 2 }),
      await startNode(sim, options, { leases: 2, maxConnections: 2 }),
    ];
    const views = await Promise.all(nodes.map((node) => firstValueFrom(node.tidings.state$('smsc'))));
    expect(views.filter((view) => view.detail === 'no lease here: hands messages to the holders')).toHaveLength(1);
    await vi.waitFor(() => expect(sim.sessions.filter((s) => s.state === 'bound')).toHaveLength(2));

    const handles = await Promise.all(
      nodes.flatMap((node, n) =>
        Array.from({ length: 10 }, (_, i) => node.tidings.send('smsc', { to, text: `m ${n}-${i}` })),
      ),
    );
    const settled = await Promise.all(handles.map((handle) => handle.settled));
    expect(settled.map((event) => event.type)).toEqual(handles.map(() => 'delivered'));
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(30);
    expect(maxBound).toBe(2);

    // A holder stops: its lease goes to the process that had none, which binds.
    const waiting = nodes[views.findIndex((view) => view.detail === 'no lease here: hands messages to the holders')];
    const holder = nodes.find((node) => node !== waiting) as (typeof nodes)[number];
    await holder.tidings.stop();
    await holder.redis.close();
    await vi.waitFor(() => expect(sim.sessions.filter((s) => s.state === 'bound')).toHaveLength(2), { timeout: 5_000 });
    const after = await waiting?.tidings.send('smsc', { to, text: 'after the move' });
    expect((await after?.settled)?.type).toBe('delivered');
    expect(maxBound).toBe(2);
  });

  it('closes its bind at once when its lease is lost, and binds again when it gets one back', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    const node = await startNode(
      sim,
      { url: server.url, namespace, heartbeatMs: 50, deadAfterMs: 300 },
      { leases: 1, maxConnections: 1 },
    );
    const bound = () => sim.sessions.filter((s) => s.state === 'bound').length;
    await vi.waitFor(() => expect(bound()).toBe(1));
    // Another process now holds the only lease (this one's expired unseen, say).
    await server.client.set(`${keys.leases('smsc')}:0`, 'thief', 'PX', 60_000);
    await vi.waitFor(() => expect(bound()).toBe(0));
    // The simulator sees the unbind before the channel's stop() has returned: wait for the view.
    await vi.waitFor(async () =>
      expect(await firstValueFrom(node.tidings.state$('smsc'))).toMatchObject({
        status: 'ready',
        detail: 'no lease here: hands messages to the holders',
      }),
    );
    await server.client.del(`${keys.leases('smsc')}:0`);
    await vi.waitFor(() => expect(bound()).toBe(1));
    const handle = await node.tidings.send('smsc', { to, text: 'bound again' });
    expect((await handle.settled).type).toBe('delivered');
  });

  it('takes a hand-off back out of the queue when the runtime gives up on it before any holder read it', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    // The only lease is held by a process that never serves the queue.
    await server.client.set(`${keys.leases('smsc')}:0`, 'ghost', 'PX', 60_000);
    const scaleOut = redisScaleOut({ url: server.url, namespace, heartbeatMs: 50, deadAfterMs: 300 });
    const { createTidings } = await import('@tidings/core');
    const { smscChannel } = await import('@tidings/channel-smsc');
    const plugin = smscChannel({
      host: sim.host,
      port: sim.port,
      systemId: 'test',
      password: 'secret',
      settings: { submitTimeoutMs: 200, ambiguous: 'fail', retry: { maxAttempts: 1 } },
    });
    const tidings = await createTidings({
      plugins: [scaleOut.leased(plugin, { leases: 1 })],
      modules: [scaleOut.module],
    });
    try {
      const handle = await tidings.send('smsc', { to, text: 'nobody serves this' });
      await vi.waitFor(async () => expect(await server.client.xlen(keys.handOff('smsc'))).toBe(1));
      const settled = await handle.settled;
      expect(settled).toMatchObject({ type: 'failed', error: { code: ErrorCode.Timeout } });
      await vi.waitFor(async () => expect(await server.client.xlen(keys.handOff('smsc'))).toBe(0));
      expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(0);
    } finally {
      await tidings.stop({ timeoutMs: 500 });
      await scaleOut.close();
    }
  });

  it('answers a hand-off a dead holder had taken as ambiguous, without sending it again', async () => {
    const sim = await startSmsc({ receiptDelayMs: 0 });
    const namespace = freshNamespace();
    const keys = new RedisKeys(namespace);
    // Both leases are held by processes that will never answer; a hand-off sits unacknowledged.
    await server.client.set(`${keys.leases('smsc')}:0`, 'ghost', 'PX', 60_000);
    const node = await startNode(
      sim,
      { url: server.url, namespace, heartbeatMs: 50, deadAfterMs: 300 },
      { leases: 1, maxConnections: 1 },
    );
    const handle = await node.tidings.send('smsc', { to, text: 'taken by a ghost' });
    // A "holder" reads it and dies.
    await vi.waitFor(async () => expect(await server.client.xlen(keys.handOff('smsc'))).toBe(1));
    await server.client.xgroup('CREATE', keys.handOff('smsc'), 'holders', '0', 'MKSTREAM').catch(() => {});
    await server.client.xreadgroup('GROUP', 'holders', 'ghost', 'COUNT', 1, 'STREAMS', keys.handOff('smsc'), '>');
    // The ghost's lease runs out; this process takes it, binds, and answers the ghost's entry.
    await server.client.pexpire(`${keys.leases('smsc')}:0`, 1);
    const events: MessageEvent[] = [];
    handle.events$.subscribe((event) => events.push(event));
    await handle.settled;
    const retrying = events.find((e) => e.type === 'retrying') as Extract<MessageEvent, { type: 'retrying' }>;
    expect(retrying.error).toMatchObject({
      code: ErrorCode.ConnectionLost,
      ambiguous: true,
      details: { handOff: true },
    });
    expect((await handle.settled).type).toBe('delivered');
    // Sent once: by this process' own retry, never by the one answering the ghost's entry.
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
  });
});
