import { ContainerModule } from 'inversify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SendContext } from './channel.js';
import type { AdoptedMessage, Cluster, ClusterLink, ForwardedReport } from './cluster.js';
import { ErrorCode, TidingsError } from './errors.js';
import type { MessageEvent } from './events.js';
import type { Logger } from './logger.js';
import { InMemoryMessageStore } from './memory-store.js';
import type { MessageRecord } from './message-store.js';
import type { ChannelSettings } from './settings.js';
import { FakeOutcome, fakeChannel } from './testing/fake-channel.js';
import { createTidings, type Tidings } from './tidings.js';
import { TOKENS } from './tokens.js';

let running: Tidings[] = [];
afterEach(async () => {
  await Promise.all(running.map((t) => t.stop({ timeoutMs: 100 })));
  running = [];
});

/** A cluster kept in memory: records what the runtime hands it. */
class RecordingCluster implements Cluster {
  link: ClusterLink | undefined;
  readonly published: MessageEvent[] = [];
  readonly forwarded: ForwardedReport[] = [];
  gate: ((channel: string) => Promise<void> | undefined) | undefined;
  attach(link: ClusterLink): void {
    this.link = link;
  }
  publish(event: MessageEvent): void {
    this.published.push(event);
  }
  forwardReport(forwarded: ForwardedReport): void {
    this.forwarded.push(forwarded);
  }
  beforeSubmit(channel: string): Promise<void> | undefined {
    return this.gate?.(channel);
  }
}

const moduleFor = (cluster: Cluster, store?: InMemoryMessageStore): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(TOKENS.Cluster).toConstantValue(cluster);
    if (store) bind(TOKENS.MessageStore).toConstantValue(store);
  });

async function start(
  cluster: Cluster,
  plugin: ReturnType<typeof fakeChannel>,
  store?: InMemoryMessageStore,
  logger?: Logger,
): Promise<Tidings> {
  const tidings = (await createTidings({
    plugins: [plugin],
    modules: [moduleFor(cluster, store)],
    ...(logger ? { logger } : {}),
  })) as unknown as Tidings;
  running.push(tidings);
  return tidings;
}

describe('Cluster hooks', () => {
  it('attaches once started and publishes every event in order', async () => {
    const cluster = new RecordingCluster();
    const tidings = await start(cluster, fakeChannel({ name: 'sms' }));
    expect(cluster.link).toBeDefined();
    const handle = await tidings.send('sms', { to: '+79036550550', text: 'hi' });
    await handle.settled;
    expect(cluster.published.map((e) => e.type)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
    expect(cluster.published.every((e) => e.messageId === handle.id)).toBe(true);
  });

  it('forwards a receipt for another process’s message, with the id the shared store knows', async () => {
    const store = new InMemoryMessageStore();
    const clusterA = new RecordingCluster();
    const clusterB = new RecordingCluster();
    const smsA = fakeChannel({
      name: 'sms',
      script: [FakeOutcome.accept({ providerMessageId: 'p-1', receiptDelayMs: 3_600_000 })],
    });
    const smsB = fakeChannel({ name: 'sms' });
    const a = await start(clusterA, smsA, store);
    await start(clusterB, smsB, store);
    const handle = await a.send('sms', { to: '+79036550550', text: 'hi' });
    await handle.accepted;
    smsB.control.report({ providerMessageId: 'p-1', state: 'delivered' });
    await vi.waitFor(() => expect(clusterB.forwarded).toHaveLength(1));
    expect(clusterB.forwarded[0]).toMatchObject({
      channel: 'sms',
      messageId: handle.id,
      report: { providerMessageId: 'p-1' },
    });
  });

  it('settles the handle of the sending process when the forwarded receipt is applied there', async () => {
    const store = new InMemoryMessageStore();
    const clusterA = new RecordingCluster();
    const clusterB = new RecordingCluster();
    const smsA = fakeChannel({
      name: 'sms',
      script: [FakeOutcome.accept({ providerMessageId: 'p-7', receiptDelayMs: 3_600_000 })],
    });
    const smsB = fakeChannel({ name: 'sms' });
    const a = await start(clusterA, smsA, store);
    await start(clusterB, smsB, store);
    const handle = await a.send('sms', { to: '+79036550550', text: 'hi' });
    await handle.accepted;
    // The receipt comes on B's connection; B forwards it, A applies it.
    smsB.control.report({ providerMessageId: 'p-7', state: 'delivered' });
    await vi.waitFor(() => expect(clusterB.forwarded).toHaveLength(1));
    const forwarded = clusterB.forwarded[0] as ForwardedReport;
    expect(clusterA.link?.applyReport(forwarded.channel, forwarded.report)).toBe(true);
    expect((await handle.settled).type).toBe('delivered');
    // Applied again (a duplicate), or for a channel or id A does not know: not taken.
    expect(clusterA.link?.applyReport('sms', forwarded.report)).toBe(false);
    expect(clusterA.link?.applyReport('other', forwarded.report)).toBe(false);
    expect(clusterA.published.filter((e) => e.terminal)).toHaveLength(1);
  });

  it('forwards without a message id when the store does not know the provider id yet', async () => {
    const cluster = new RecordingCluster();
    const sms = fakeChannel({ name: 'sms' });
    await start(cluster, sms);
    sms.control.report({ providerMessageId: 'unknown-1', state: 'delivered' });
    await vi.waitFor(() => expect(cluster.forwarded).toHaveLength(1));
    expect(cluster.forwarded[0]?.messageId).toBeUndefined();
  });

  it('waits for beforeSubmit before each submit', async () => {
    const cluster = new RecordingCluster();
    const releases: (() => void)[] = [];
    const asked: string[] = [];
    cluster.gate = (channel) => {
      asked.push(channel);
      return new Promise<void>((resolve) => releases.push(resolve));
    };
    const sms = fakeChannel({ name: 'sms' });
    const tidings = await start(cluster, sms);
    const handle = await tidings.send('sms', { to: '+79036550550', text: 'hi' });
    await vi.waitFor(() => expect(asked).toEqual(['sms']));
    expect(sms.control.sends).toHaveLength(0);
    releases[0]?.();
    expect((await handle.settled).type).toBe('delivered');
    expect(sms.control.sends).toHaveLength(1);
  });

  it('gives the channel beforeNextPart: the same gate for the later parts of a long message, never rejecting', async () => {
    const cluster = new RecordingCluster();
    const asked: string[] = [];
    let fail = false;
    cluster.gate = (channel) => {
      asked.push(channel);
      return fail ? Promise.reject(new Error('redis down')) : Promise.resolve();
    };
    const errors: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (message) => errors.push(message),
    };
    let gate: SendContext['beforeNextPart'];
    const sms = fakeChannel({
      name: 'sms',
      script: (_message, context) => {
        gate = context.beforeNextPart;
        return { kind: 'accept' };
      },
    });
    const tidings = await start(cluster, sms, undefined, logger);
    const handle = await tidings.send('sms', { to: '+79036550550', text: 'hi' });
    await handle.accepted;
    expect(asked).toEqual(['sms']); // the first part's gate, asked by the runtime
    await gate?.();
    expect(asked).toEqual(['sms', 'sms']);
    fail = true;
    await expect(gate?.()).resolves.toBeUndefined();
    expect(errors).toEqual(['cluster rate gate failed; submitting anyway']);
  });

  it('beforeNextPart does not wait when the cluster has no rate for the channel', async () => {
    let gate: SendContext['beforeNextPart'] = () => undefined;
    const sms = fakeChannel({
      name: 'sms',
      script: (_message, context) => {
        gate = context.beforeNextPart;
        return { kind: 'accept' };
      },
    });
    const tidings = await start(new RecordingCluster(), sms);
    await (await tidings.send('sms', { to: '+79036550550', text: 'hi' })).accepted;
    expect(gate?.()).toBeUndefined();
  });

  it('submits anyway, and logs, when beforeSubmit rejects', async () => {
    const cluster = new RecordingCluster();
    cluster.gate = () => Promise.reject(new Error('redis down'));
    const errors: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (message) => errors.push(message),
    };
    const tidings = await start(cluster, fakeChannel({ name: 'sms' }), undefined, logger);
    const handle = await tidings.send('sms', { to: '+79036550550', text: 'hi' });
    expect((await handle.settled).type).toBe('delivered');
    expect(errors).toContain('cluster rate gate failed; submitting anyway');
  });

  it('does not submit a message stopped while it waited at the gate', async () => {
    const cluster = new RecordingCluster();
    let release: (() => void) | undefined;
    cluster.gate = () =>
      new Promise<void>((resolve) => {
        release = resolve;
      });
    const sms = fakeChannel({ name: 'sms' });
    const tidings = await start(cluster, sms);
    const handle = await tidings.send('sms', { to: '+79036550550', text: 'hi' });
    await vi.waitFor(() => expect(release).toBeDefined());
    await tidings.stop({ timeoutMs: 10 });
    release?.();
    expect((await handle.settled).type).toBe('failed');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sms.control.sends).toHaveLength(0);
  });
});

const adopted = (id: string, record: Partial<MessageRecord>, providerMessageIds?: string[]): AdoptedMessage => ({
  record: {
    id,
    channels: ['sms'],
    channel: 'sms',
    status: 'queued',
    attempt: 0,
    terminal: false,
    createdAt: 1,
    updatedAt: 1,
    ...record,
  },
  message: { to: '+79036550550', text: `taken over ${id}` },
  ...(providerMessageIds ? { providerMessageIds } : {}),
});

describe('Cluster.checkChannels', () => {
  it('fails createTidings with the cluster’s error before any channel starts', async () => {
    const cluster = new RecordingCluster();
    const seen: string[][] = [];
    const checking: Cluster = {
      checkChannels: (channels) => {
        seen.push([...channels]);
        throw new TidingsError(ErrorCode.InvalidOptions, 'rates names channel "smss", which is not loaded');
      },
      attach: (link) => cluster.attach(link),
    };
    const sms = fakeChannel({ name: 'sms' });
    await expect(createTidings({ plugins: [sms], modules: [moduleFor(checking)] })).rejects.toMatchObject({
      code: ErrorCode.InvalidOptions,
    });
    expect(seen).toEqual([['sms']]);
    let status: string | undefined;
    sms.control.channel.state$.subscribe((state) => {
      status = state.status;
    });
    expect(status).toBe('idle');
    expect(cluster.link).toBeUndefined();
  });
});

describe('Cluster.handOver (a graceful stop leaves messages awaiting receipts to the others)', () => {
  class HandingOverCluster extends RecordingCluster {
    readonly handedOver: string[][] = [];
    handOver(messageIds: readonly string[]): void {
      this.handedOver.push([...messageIds]);
    }
  }

  it('ends a message awaiting its receipt here only: nothing published or stored as settled', async () => {
    const store = new InMemoryMessageStore();
    const cluster = new HandingOverCluster();
    const sms = fakeChannel({
      name: 'sms',
      script: [FakeOutcome.accept({ providerMessageId: 'p-1', receiptDelayMs: 3_600_000 }), FakeOutcome.reject()],
    });
    const tidings = await start(cluster, sms, store);
    const waiting = await tidings.send('sms', { to: '+79036550550', text: 'hi' });
    await waiting.accepted;
    const refused = await tidings.send('sms', { to: '+79036550551', text: 'hi' });
    await refused.settled;
    await tidings.stop({ timeoutMs: 10 });
    expect(cluster.handedOver).toEqual([[waiting.id]]);
    // The local handle learns this process no longer follows it.
    const local = await waiting.settled;
    expect(local.type).toBe('failed');
    expect((local as { error: TidingsError }).error).toMatchObject({
      code: ErrorCode.Shutdown,
      details: { handedOver: true },
    });
    // The shared story stays open for the process that takes it over.
    expect(cluster.published.filter((e) => e.messageId === waiting.id).map((e) => e.type)).toEqual([
      'queued',
      'submitted',
      'accepted',
    ]);
    expect((await store.get(waiting.id))?.terminal).toBe(false);
  });

  it('is not called when nothing waits for a receipt', async () => {
    const cluster = new HandingOverCluster();
    const tidings = await start(cluster, fakeChannel({ name: 'sms' }));
    await (await tidings.send('sms', { to: '+79036550550', text: 'hi' })).settled;
    await tidings.stop({ timeoutMs: 10 });
    expect(cluster.handedOver).toEqual([]);
  });
});

describe('ClusterLink.adopt (taking over a dead process’s messages)', () => {
  async function setup(
    settings: ChannelSettings = {},
    script: Parameters<typeof fakeChannel>[0]['script'] = undefined,
  ) {
    const cluster = new RecordingCluster();
    const sms = fakeChannel({ name: 'sms', settings, ...(script ? { script } : {}) });
    const tidings = await start(cluster, sms);
    const events: MessageEvent[] = [];
    tidings.events$.subscribe((event) => events.push(event));
    const terminalOf = async (id: string) => {
      await vi.waitFor(() => expect(events.some((e) => e.messageId === id && e.terminal)).toBe(true));
      return events.filter((e) => e.messageId === id && e.terminal);
    };
    return { cluster, sms, events, terminalOf, link: cluster.link as ClusterLink };
  }

  it('sends a queued (or retrying) message again, continuing its attempt count', async () => {
    const { sms, link, events, terminalOf } = await setup();
    link.adopt([adopted('q1', { status: 'queued' }), adopted('r1', { status: 'retrying', attempt: 2 })]);
    expect((await terminalOf('q1')).map((e) => e.type)).toEqual(['delivered']);
    expect((await terminalOf('r1')).map((e) => e.type)).toEqual(['delivered']);
    expect(sms.control.sends.map((send) => send.message.text).sort()).toEqual(['taken over q1', 'taken over r1']);
    expect(events.filter((e) => e.messageId === 'r1').map((e) => [e.type, e.attempt])).toEqual([
      ['queued', 2],
      ['submitted', 3],
      ['accepted', 3],
      ['delivered', 3],
    ]);
  });

  it('waits for the receipt of an accepted message, on any of its parts, without sending it again', async () => {
    const { sms, link, terminalOf } = await setup();
    link.adopt([adopted('a1', { status: 'accepted', attempt: 1, providerMessageId: 'p1' }, ['p1', 'p2'])]);
    sms.control.report({ providerMessageId: 'p1', state: 'delivered' });
    sms.control.report({ providerMessageId: 'p2', state: 'delivered' });
    expect((await terminalOf('a1')).map((e) => e.type)).toEqual(['delivered']);
    expect(sms.control.sends).toHaveLength(0);
  });

  it('does not send an accepted message again when no provider id was recorded with it', async () => {
    const { sms, link, terminalOf } = await setup();
    // The dead process published `accepted` but its correlate/update writes never reached the store.
    link.adopt([adopted('a3', { status: 'accepted', attempt: 1 })]);
    const [terminal] = await terminalOf('a3');
    expect((terminal as { error: TidingsError }).error).toMatchObject({
      code: ErrorCode.ConnectionLost,
      ambiguous: true,
    });
    expect(sms.control.sends).toHaveLength(0);
  });

  it('waits for the receipt of an accepted message sent sensitive (no body is needed to wait)', async () => {
    const { sms, link, terminalOf } = await setup();
    const { message: _message, ...bodiless } = adopted('a4', {
      status: 'accepted',
      attempt: 1,
      providerMessageId: 'p7',
    });
    link.adopt([bodiless]);
    sms.control.report({ providerMessageId: 'p7', state: 'delivered' });
    expect((await terminalOf('a4')).map((e) => e.type)).toEqual(['delivered']);
    expect(sms.control.sends).toHaveLength(0);
  });

  it('does not fall back with an accepted message sent sensitive whose receipt fails: nothing to send', async () => {
    const cluster = new RecordingCluster();
    const telegram = fakeChannel({ name: 'telegram' });
    const sms = fakeChannel({ name: 'sms' });
    const tidings = (await createTidings({
      plugins: [telegram, sms],
      modules: [moduleFor(cluster)],
    })) as unknown as Tidings;
    running.push(tidings);
    const events: MessageEvent[] = [];
    tidings.events$.subscribe((event) => events.push(event));
    const { message: _message, ...bodiless } = adopted('a5', {
      channels: ['telegram', 'sms'],
      channel: 'telegram',
      status: 'accepted',
      attempt: 1,
      providerMessageId: 'p8',
    });
    (cluster.link as ClusterLink).adopt([bodiless]);
    telegram.control.report({ providerMessageId: 'p8', state: 'undelivered' });
    await vi.waitFor(() => expect(events.some((e) => e.messageId === 'a5' && e.terminal)).toBe(true));
    expect(events.filter((e) => e.messageId === 'a5').map((e) => e.type)).toEqual(['undelivered']);
    expect(sms.control.sends).toHaveLength(0);
  });

  it('ends an accepted message whose receipt never comes with TIDINGS_RECEIPT_TIMEOUT', async () => {
    const { link, terminalOf } = await setup({ receiptTimeoutMs: 20 });
    link.adopt([adopted('a2', { status: 'accepted', attempt: 1, providerMessageId: 'p9' })]);
    const [terminal] = await terminalOf('a2');
    expect((terminal as { error: TidingsError }).error.code).toBe(ErrorCode.ReceiptTimeout);
  });

  it('ends a submitted message as ambiguous under ambiguous: "fail", sends it again under "retry"', async () => {
    const failing = await setup({ ambiguous: 'fail' });
    failing.link.adopt([adopted('s1', { status: 'submitted', attempt: 1 })]);
    const [terminal] = await failing.terminalOf('s1');
    expect(terminal?.type).toBe('failed');
    expect((terminal as { error: TidingsError }).error).toMatchObject({
      code: ErrorCode.ConnectionLost,
      ambiguous: true,
    });
    expect(failing.sms.control.sends).toHaveLength(0);

    const retrying = await setup({ ambiguous: 'retry' });
    retrying.link.adopt([adopted('s2', { status: 'submitted', attempt: 1 })]);
    expect((await retrying.terminalOf('s2')).map((e) => e.type)).toEqual(['delivered']);
    expect(retrying.sms.control.sends).toHaveLength(1);
  });

  it('ends a message taken over without its body (sent sensitive) with one failed event, sending nothing', async () => {
    const { link, sms, events, terminalOf } = await setup();
    const bodiless = (id: string, record: Partial<MessageRecord>): AdoptedMessage => {
      const { message: _message, ...rest } = adopted(id, record);
      return rest;
    };
    link.adopt([
      bodiless('n1', { status: 'queued', clientRef: 'verify-1' }),
      bodiless('n2', { status: 'submitted', attempt: 1 }),
    ]);
    const [queued] = await terminalOf('n1');
    expect(queued?.type).toBe('failed');
    expect(queued?.clientRef).toBe('verify-1');
    expect((queued as { error: TidingsError }).error).toMatchObject({
      code: ErrorCode.ConnectionLost,
      ambiguous: false,
      details: { takenOver: true, bodyNotKept: true },
    });
    const [submitted] = await terminalOf('n2');
    expect((submitted as { error: TidingsError }).error).toMatchObject({
      code: ErrorCode.ConnectionLost,
      ambiguous: true,
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.filter((e) => e.terminal)).toHaveLength(2);
    expect(sms.control.sends).toHaveLength(0);
  });

  it('skips terminal records and messages it already tracks; fails one for a channel it lacks', async () => {
    const { link, sms, events, terminalOf } = await setup();
    link.adopt([
      adopted('t1', { status: 'delivered', terminal: true }),
      adopted('x1', { status: 'queued', channels: ['viber'], channel: 'viber' }),
      adopted('d1', { status: 'queued' }),
      adopted('d1', { status: 'queued' }),
    ]);
    const [failed] = await terminalOf('x1');
    expect((failed as { error: TidingsError }).error.code).toBe(ErrorCode.UnknownChannel);
    expect(await terminalOf('d1')).toHaveLength(1);
    expect(events.some((e) => e.messageId === 't1')).toBe(false);
    expect(sms.control.sends).toHaveLength(1);
  });

  it('gives the store the message itself on create when a cluster is loaded', async () => {
    const store = new InMemoryMessageStore();
    const created: MessageRecord[] = [];
    const original = store.create.bind(store);
    store.create = (record) => {
      created.push(record);
      return original(record);
    };
    const tidings = await start(new RecordingCluster(), fakeChannel({ name: 'sms' }), store);
    await (await tidings.send('sms', { to: '+79036550550', text: 'keep me' })).settled;
    expect(created[0]?.message).toMatchObject({ to: '+79036550550', text: 'keep me' });
  });

  it('keeps the body of a message sent with sensitive: true out of the store (a code stays in memory)', async () => {
    const store = new InMemoryMessageStore();
    const created: MessageRecord[] = [];
    const original = store.create.bind(store);
    store.create = (record) => {
      created.push(record);
      return original(record);
    };
    const sms = fakeChannel({ name: 'sms' });
    const tidings = await start(new RecordingCluster(), sms, store);
    const handle = await tidings.send(
      'sms',
      { to: '+79036550550', code: '48213957', clientRef: 'r1' },
      { sensitive: true },
    );
    expect((await handle.settled).type).toBe('delivered');
    expect(created).toHaveLength(1);
    expect(created[0]).not.toHaveProperty('message');
    expect(created[0]?.clientRef).toBe('r1');
    expect(JSON.stringify(created)).not.toContain('48213957');
    // The channel still gets the whole message.
    expect(sms.control.sends[0]?.message).toMatchObject({ code: '48213957' });
  });

  it('refuses a sensitive option that is not a boolean', async () => {
    const tidings = await start(new RecordingCluster(), fakeChannel({ name: 'sms' }));
    const error = await tidings
      .send('sms', { to: '+79036550550', text: 'x' }, { sensitive: 'yes' as unknown as boolean })
      .catch((caught: unknown) => caught);
    expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
  });
});
