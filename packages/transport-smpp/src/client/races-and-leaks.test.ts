import { type Clock, ErrorCode, silentLogger, systemClock, TidingsError, type Timer } from '@tidings/core';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSmppConnection } from '../channel/connection-options.js';
import { encodePdu } from '../pdu/codec.js';
import { CommandStatus } from '../pdu/command-status.js';
import { type ServerRequestHandler, SmppSession } from '../session/session.js';
import { defaultSessionTimeouts, type SessionOptions, type SessionTimeouts } from '../session/session-options.js';
import { DEFAULT_GARBAGE, type SimulatorProfile, SmscSimulator } from '../simulator/index.js';
import { testClientOptions, testSubmit } from './client.test-helper.js';
import { SmppClient, type SmppClientOptions } from './smpp-client.js';

// ── helpers ──────────────────────────────────────────────────────────────────────────────────

interface Tracked {
  readonly delayMs: number;
  state: 'pending' | 'fired' | 'cancelled';
  /** Whether `afterClose` was true when the timer was created. */
  readonly createdAfterClose: boolean;
  readonly where: string;
}

/** systemClock that remembers every timer and whether it was fired or cancelled. */
class TrackingClock implements Clock {
  readonly timers: Tracked[] = [];
  afterClose = false;
  now(): number {
    return Date.now();
  }
  setTimeout(callback: () => void, delayMs: number, options?: { readonly weak?: boolean }): Timer {
    const tracked: Tracked = {
      delayMs,
      state: 'pending',
      createdAfterClose: this.afterClose,
      where: (new Error().stack ?? '').split('\n').slice(2, 4).join(' | ').trim(),
    };
    this.timers.push(tracked);
    const inner = systemClock.setTimeout(
      () => {
        if (tracked.state !== 'pending') return;
        tracked.state = 'fired';
        callback();
      },
      delayMs,
      options,
    );
    return {
      cancel: () => {
        if (tracked.state === 'pending') tracked.state = 'cancelled';
        inner.cancel();
      },
    };
  }
  pending(): Tracked[] {
    return this.timers.filter((t) => t.state === 'pending');
  }
}

const sims: SmscSimulator[] = [];
const sessions: SmppSession[] = [];
const clients: SmppClient[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await Promise.all(clients.splice(0).map((c) => c.close({ drainTimeoutMs: 0 })));
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function simulator(options: Parameters<typeof SmscSimulator.start>[0] = {}): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start(options);
  sims.push(sim);
  return sim;
}

function sessionOptions(
  sim: SmscSimulator,
  timeouts: Partial<SessionTimeouts> = {},
  clock: Clock = systemClock,
): SessionOptions {
  return {
    endpoint: { host: sim.host, port: sim.port },
    credentials: { systemId: 'test', password: 'secret' },
    mode: 'transceiver',
    window: 10,
    timeouts: { ...defaultSessionTimeouts, enquireLinkIntervalMs: 0, ...timeouts },
    clock,
    logger: silentLogger,
    label: 'review session',
  };
}

async function open(
  sim: SmscSimulator,
  timeouts: Partial<SessionTimeouts> = {},
  clock: Clock = systemClock,
  handler: ServerRequestHandler = () => CommandStatus.ESME_ROK,
): Promise<SmppSession> {
  const session = await SmppSession.open(sessionOptions(sim, timeouts, clock), handler);
  sessions.push(session);
  return session;
}

function client(sim: SmscSimulator, overrides: Partial<SmppClientOptions> = {}): SmppClient {
  const created = new SmppClient(
    testClientOptions([{ host: sim.host, port: sim.port }], { label: 'review client', ...overrides }),
  );
  clients.push(created);
  return created;
}

const submit = testSubmit;

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// ── session ──────────────────────────────────────────────────────────────────────────────────

describe('SmppSession: races and leaks', () => {
  it('an abort before the batch is flushed takes the submit back: not ambiguous, and never sent', async () => {
    const sim = await simulator();
    const session = await open(sim);
    const controller = new AbortController();
    const aborted = session.request(submit('+15550001'), { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort(); // same tick: the frame is only queued in the FrameWriter
    const error = (await aborted) as TidingsError;
    expect(error).toBeInstanceOf(TidingsError);
    // A later request on the same ordered TCP stream: once it is answered, anything written
    // before it reached the server too.
    await session.request(submit('+15550002'));
    const sent = sim.pdus({ command: 'submit_sm' }).map((p) => p.destination_addr);
    // Telling the caller "never sent, safe to retry" is only true if the server did not get it.
    if (error.ambiguous === false) expect(sent).toEqual(['+15550002']);
    else expect(error.ambiguous).toBe(true);
  });

  it('a server unbind while a keep-alive enquire_link is unanswered keeps the server-unbind reason', async () => {
    const sim = await simulator({ faults: { ignoreEnquireLink: true } });
    const session = await open(sim, { enquireLinkIntervalMs: 20, enquireLinkTimeoutMs: 60_000 });
    await sim.waitFor({ command: 'enquire_link' });
    await sim.sendUnbind();
    await session.closed;
    // The session was closed because the server unbound it, not because the peer is dead.
    expect(session.state.error?.message).not.toContain('enquire_link');
    expect(session.state.error?.details?.reason).toBe('server-unbind');
  });

  it('an enquire_link_resp in the same chunk as a fatal frame does not re-arm keep-alive on the closed session', async () => {
    const clock = new TrackingClock();
    const sim = await simulator({ faults: { ignoreEnquireLink: true } });
    const session = await open(sim, { enquireLinkIntervalMs: 50, enquireLinkTimeoutMs: 60_000 }, clock);
    session.state$.subscribe((state) => {
      if (state.status === 'closed') clock.afterClose = true;
    });
    const [enquire] = await sim.waitFor({ command: 'enquire_link' });
    const resp = encodePdu({
      command: 'enquire_link_resp',
      command_status: 0,
      sequence_number: enquire?.sequence_number ?? 0,
    });
    sim.sendRaw(Buffer.concat([resp, Buffer.from(DEFAULT_GARBAGE)]));
    await session.closed;
    await turn();
    expect(session.status).toBe('closed');
    // Nothing should be scheduled by a session that is already closed.
    expect(clock.timers.filter((t) => t.createdAfterClose)).toEqual([]);
  });

  it('cancels the server-request answer timer when the session closes', async () => {
    const clock = new TrackingClock();
    const sim = await simulator();
    let called!: () => void;
    const handlerCalled = new Promise<void>((resolve) => {
      called = resolve;
    });
    const session = await open(sim, { serverRequestTimeoutMs: 60_000 }, clock, () => {
      called();
      return new Promise<number>(() => {}); // a slow application
    });
    void sim.sendMo({ from: '+15551234', to: 'Tidings', text: 'hi' }).catch(() => undefined);
    await handlerCalled;
    session.destroy();
    await session.closed;
    await turn();
    // A closed session must not keep a 60 s timer (and the process) alive.
    expect(clock.pending().map((t) => t.delayMs)).toEqual([]);
  });

  it('deliver_sm before the bind response is refused with ESME_RINVBNDSTS and never reaches the handler', async () => {
    const sim = await simulator({ faults: { deliverBeforeBind: true } });
    const handled: string[] = [];
    await open(sim, {}, systemClock, (pdu) => {
      handled.push(pdu.command);
      return CommandStatus.ESME_ROK;
    });
    const [answer] = await sim.waitFor({ command: 'deliver_sm_resp' });
    expect(answer?.command_status).toBe(CommandStatus.ESME_RINVBNDSTS);
    expect(handled).toEqual([]);
  });

  it('deliver_sm in the same chunk right after the accepted bind_resp is taken (the bind is accepted as read)', async () => {
    const sim = await simulator();
    sim.on('bind', (event) => {
      void sim.sendMo({ from: '15550001', to: 'Tidings', text: 'hi', sessionId: event.session.id });
    });
    const handled: string[] = [];
    await open(sim, {}, systemClock, (pdu) => {
      handled.push(pdu.command);
      return CommandStatus.ESME_ROK;
    });
    const [answer] = await sim.waitFor({ command: 'deliver_sm_resp' });
    expect(answer?.command_status).toBe(CommandStatus.ESME_ROK);
    expect(handled).toEqual(['deliver_sm']);
  });

  it('bind_resp followed by the server unbind in one chunk: open() fails instead of handing back a dead session', async () => {
    const sim = await simulator();
    sim.on('bind', (event) => {
      void sim.sendUnbind(event.session.id);
    });
    const seen: string[] = [];
    const outcome = await SmppSession.open(sessionOptions(sim), () => CommandStatus.ESME_ROK).then(
      (session) => {
        sessions.push(session);
        seen.push(session.status);
        session.state$.subscribe((s) => seen.push(`then:${s.status}`));
        return session;
      },
      (e: unknown) => e,
    );
    if (outcome instanceof SmppSession) {
      // It went binding → unbinding → bound: "bound" is reported after "unbinding", canSubmit is
      // true, yet the window already failed with the server-unbind error.
      const request = await outcome.request(submit('+15550001')).catch((e: unknown) => e);
      expect((request as TidingsError).details?.reason).toBe('server-unbind');
      expect({ statusAfterOpen: seen[0], canSubmit: outcome.canSubmit }).toEqual({
        statusAfterOpen: 'unbinding',
        canSubmit: false,
      });
    } else {
      expect(TidingsError.is(outcome, ErrorCode.ConnectionLost)).toBe(true);
    }
  });
});

// ── client ───────────────────────────────────────────────────────────────────────────────────

describe('SmppClient: races and leaks', () => {
  it('close() while a session is still binding cancels it: nothing outlives the client', async () => {
    const clock = new TrackingClock();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const profile: SimulatorProfile = {
      name: 'slow-bind',
      onBind: async () => {
        await held;
        return undefined;
      },
    };
    const sim = await simulator({ profile });
    const smpp = client(sim, {
      clock,
      timeouts: { ...defaultSessionTimeouts, enquireLinkIntervalMs: 0, unbindTimeoutMs: 500, bindTimeoutMs: 60_000 },
    });
    const connected = smpp.connect().catch((e: unknown) => e);
    await sim.waitFor({ command: 'bind_transceiver' });
    await smpp.close({ drainTimeoutMs: 0 });
    await connected;
    expect(clock.pending().map((t) => t.delayMs)).toEqual([]);
    // The server sees the connection go away; the bind it was holding is never answered.
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (sim.sessions.every((s) => s.state === 'closed')) resolve();
        else setImmediate(check);
      };
      check();
    });
    release();
    expect(sim.received.filter((r) => r.pdu.command === 'unbind')).toHaveLength(0);
  });

  it('a throttling pause leaves no timer running after close()', async () => {
    const clock = new TrackingClock();
    const sim = await simulator({ faults: { throttle: { submits: 1 } } });
    const smpp = client(sim, { clock });
    await smpp.connect();
    const response = await smpp.request(submit('+15550001'));
    expect(response.command_status).toBe(CommandStatus.ESME_RTHROTTLED);
    await smpp.close({ drainTimeoutMs: 0 });
    await turn();
    expect(clock.pending().map((t) => `${t.delayMs}ms ${t.where}`)).toEqual([]);
  });

  it('a request timeout above 2^31-1 ms is clamped instead of firing at once (as Node would)', async () => {
    const sim = await simulator();
    const smpp = client(sim);
    const pending = smpp.request(submit('+15550001'), { timeoutMs: 2 ** 31 }).catch((e: unknown) => e);
    // Connect a moment later: a 24-day wait for a session is easily long enough.
    setTimeout(() => void smpp.connect().catch(() => undefined), 100);
    const outcome = await pending;
    expect(outcome instanceof Error ? outcome.message : 'answered').toBe('answered');
  });
});

// ── connection options ───────────────────────────────────────────────────────────────────────

describe('resolveSmppConnection: edge cases', () => {
  it('an option explicitly set to undefined by the host keeps the provider default', () => {
    const resolved = resolveSmppConnection(
      { host: '127.0.0.1', port: 2775, systemId: 'a', password: 'b', window: undefined, responseTimeoutMs: undefined },
      'test channel',
      { window: 300, responseTimeoutMs: 5_000 },
    );
    expect({ window: resolved.window, responseTimeoutMs: resolved.timeouts.responseTimeoutMs }).toEqual({
      window: 300,
      responseTimeoutMs: 5_000,
    });
  });

  it('refuses timeouts a Node timer cannot hold (> 2^31-1 ms)', () => {
    expect(() =>
      resolveSmppConnection(
        { host: '127.0.0.1', port: 2775, systemId: 'a', password: 'b', responseTimeoutMs: 2 ** 31 },
        'test channel',
      ),
    ).toThrow();
  });
});
