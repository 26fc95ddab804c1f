import { readFileSync } from 'node:fs';
import { ErrorCode, silentLogger, systemClock, TidingsError } from '@tidings/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandStatus } from '../pdu/command-status.js';
import type { Pdu } from '../pdu/pdu.js';
import { submitSm } from '../pdu/pdu-factory.js';
import { SmscSimulator } from '../simulator/index.js';
import { type ServerRequestHandler, type SessionState, SmppSession } from './session.js';
import { type BindMode, defaultSessionTimeouts, type SessionOptions, type SessionTimeouts } from './session-options.js';

const fixtures = new URL('../../test/fixtures/tls/', import.meta.url);

let sim: SmscSimulator | undefined;
const sessions: SmppSession[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  await sim?.stop();
  sim = undefined;
});

function options(
  server: SmscSimulator,
  overrides: {
    mode?: BindMode;
    password?: string;
    window?: number;
    timeouts?: Partial<SessionTimeouts>;
    tls?: SessionOptions['tls'];
  } = {},
): SessionOptions {
  return {
    endpoint: { host: server.host, port: server.port },
    credentials: { systemId: 'test', password: overrides.password ?? 'secret' },
    mode: overrides.mode ?? 'transceiver',
    window: overrides.window ?? 10,
    timeouts: { ...defaultSessionTimeouts, ...overrides.timeouts },
    tls: overrides.tls,
    clock: systemClock,
    logger: silentLogger,
    label: 'test session',
  };
}

async function open(
  server: SmscSimulator,
  overrides: Parameters<typeof options>[1] = {},
  handler: ServerRequestHandler = () => CommandStatus.ESME_ROK,
): Promise<SmppSession> {
  const session = await SmppSession.open(options(server, overrides), handler);
  sessions.push(session);
  return session;
}

const submit = (to: string) =>
  submitSm({ source_addr: 'Tidings', destination_addr: to, short_message: new TextEncoder().encode('hello') }, 0);

function statuses(session: SmppSession): SessionState['status'][] {
  const seen: SessionState['status'][] = [];
  session.state$.subscribe((state) => seen.push(state.status));
  return seen;
}

describe('SmppSession over TCP', () => {
  it('binds in each mode, carries a submit and unbinds gracefully on close', async () => {
    sim = await SmscSimulator.start();
    for (const mode of ['transmitter', 'receiver', 'transceiver'] as const) {
      const session = await open(sim, { mode });
      expect(session.status).toBe('bound');
      expect(session.mode).toBe(mode);
      const seen = statuses(session);
      if (mode !== 'receiver') {
        const response = await session.request(submit('+15550001'));
        expect(response.command).toBe('submit_sm_resp');
        expect(response.command_status).toBe(0);
        expect(response.command === 'submit_sm_resp' && response.message_id).toMatch(/^\d+$/);
      }
      await session.close();
      expect(seen).toEqual(['bound', 'unbinding', 'closed']);
      expect(session.state.error).toBeUndefined();
    }
    const binds = sim.received.filter((r) => r.pdu.command.startsWith('bind_')).map((r) => r.pdu.command);
    expect(binds).toEqual(['bind_transmitter', 'bind_receiver', 'bind_transceiver']);
    await sim.waitFor({ command: 'unbind', count: 3 });
  });

  it('refuses bad credentials with a typed auth error that names no password', async () => {
    sim = await SmscSimulator.start();
    const error = await open(sim, { password: 'wrong' }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.AuthFailed)).toBe(true);
    expect((error as TidingsError).providerStatus).toBe(CommandStatus.ESME_RINVPASWD);
    expect((error as TidingsError).retry.kind).toBe('never');
    expect(JSON.stringify((error as TidingsError).toJSON())).not.toContain('wrong');
  });

  it('reports a silent close during bind as a bind-phase connection loss', async () => {
    sim = await SmscSimulator.start({ faults: { silentCloseOnBadCredentials: true } });
    const error = await open(sim, { password: 'wrong' }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.ConnectionLost)).toBe(true);
    expect((error as TidingsError).details?.phase).toBe('bind');
  });

  it('fails to connect to a closed port with a connect-phase error', async () => {
    sim = await SmscSimulator.start();
    const port = sim.port;
    await sim.stop();
    const error = await open({ host: '127.0.0.1', port } as SmscSimulator).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.ConnectionLost)).toBe(true);
    expect((error as TidingsError).details?.phase).toBe('connect');
  });

  it('times out a bind the server never answers', async () => {
    sim = await SmscSimulator.start({ faults: { stopReading: true } });
    const error = await open(sim, { timeouts: { bindTimeoutMs: 200 } }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.Timeout)).toBe(true);
  });

  it('keeps at most `window` requests unanswered and queues the rest', async () => {
    sim = await SmscSimulator.start({ faults: { noResponse: true } });
    const session = await open(sim, { window: 3, timeouts: { responseTimeoutMs: 60_000 } });
    const outcomes = Array.from({ length: 5 }, (_, i) => session.request(submit(`+1555000${i}`)).catch((e) => e));
    await sim.waitFor({ command: 'submit_sm', count: 3 });
    expect(session.inFlight).toBe(3);
    expect(session.waiting).toBe(2);
    sim.faults.clear();
    session.destroy();
    const results = await Promise.all(outcomes);
    // Written and unanswered: ambiguous. Never written: safe to resend.
    expect(results.map((e: TidingsError) => [e.code, e.ambiguous])).toEqual([
      [ErrorCode.ConnectionLost, true],
      [ErrorCode.ConnectionLost, true],
      [ErrorCode.ConnectionLost, true],
      [ErrorCode.ConnectionLost, false],
      [ErrorCode.ConnectionLost, false],
    ]);
    expect(sim.received.filter((r) => r.pdu.command === 'submit_sm')).toHaveLength(3);
  });

  it('fails an unanswered request with an ambiguous timeout and frees its slot', async () => {
    sim = await SmscSimulator.start({ faults: { noResponse: { everyNth: 2 } } });
    const session = await open(sim, { window: 1, timeouts: { responseTimeoutMs: 150 } });
    const first = await session.request(submit('+15550001'));
    expect(first.command_status).toBe(0);
    const second = await session.request(submit('+15550002')).catch((e: unknown) => e);
    expect(TidingsError.is(second, ErrorCode.Timeout)).toBe(true);
    expect((second as TidingsError).ambiguous).toBe(true);
    expect((second as TidingsError).retry.kind).toBe('retry');
    const third = await session.request(submit('+15550003'));
    expect(third.command_status).toBe(0);
  });

  it('sends keep-alive enquire_link after bind and closes when the peer stops answering', async () => {
    sim = await SmscSimulator.start();
    const session = await open(sim, { timeouts: { enquireLinkIntervalMs: 30, enquireLinkTimeoutMs: 100 } });
    await sim.waitFor({ command: 'enquire_link', count: 2 });
    expect(session.status).toBe('bound');
    // No enquire_link before the bind: keep-alive starts once bound.
    const first = sim.received.findIndex((r) => r.pdu.command === 'enquire_link');
    const bind = sim.received.findIndex((r) => r.pdu.command === 'bind_transceiver');
    expect(first).toBeGreaterThan(bind);
    sim.faults.set({ ignoreEnquireLink: true });
    await session.closed;
    expect(session.state.error?.code).toBe(ErrorCode.ConnectionLost);
    expect(session.state.error?.message).toContain('enquire_link');
  });

  it('takes a server that stops reading for dead: enquire_link times out and the session closes', async () => {
    sim = await SmscSimulator.start();
    const session = await open(sim, { timeouts: { enquireLinkIntervalMs: 30, enquireLinkTimeoutMs: 100 } });
    sim.faults.set({ stopReading: true });
    await session.closed;
    expect(session.state.error?.message).toContain('enquire_link');
  });

  it('answers the server: enquire_link, unknown commands with generic_nack, unbind then closes', async () => {
    sim = await SmscSimulator.start();
    const session = await open(sim);
    const [sessionInfo] = sim.sessions;
    const enquire = await sim.sendEnquireLink(sessionInfo?.id);
    expect(enquire).toBeTruthy();
    const nack = await sim.sendPdu(sessionInfo?.id as number, {
      command: 'other',
      command_id: 0x00000777,
      body: new Uint8Array(0),
    });
    expect(nack?.command).toBe('generic_nack');
    expect(nack?.command_status).toBe(CommandStatus.ESME_RINVCMDID);
    await sim.sendUnbind();
    await session.closed;
    expect(session.state.error?.details?.reason).toBe('server-unbind');
    expect(sim.received.some((r) => r.pdu.command === 'unbind_resp')).toBe(true);
  });

  it('hands deliver_sm to the handler and answers with its status, or a temporary error when it is too slow', async () => {
    sim = await SmscSimulator.start();
    const seen: Pdu[] = [];
    let slow = false;
    await open(sim, { timeouts: { serverRequestTimeoutMs: 100 } }, (pdu) => {
      seen.push(pdu);
      return slow ? new Promise<number>(() => {}) : CommandStatus.ESME_ROK;
    });
    const fast = await sim.sendMo({ from: '+15551234', to: 'Tidings', text: 'hi' });
    expect(fast.responses.map((r) => r.command_status)).toEqual([0]);
    slow = true;
    const late = await sim.sendMo({ from: '+15551234', to: 'Tidings', text: 'again' }).catch((e: unknown) => e);
    expect(seen).toHaveLength(2);
    const status =
      late instanceof Error
        ? (late as TidingsError).providerStatus
        : (late as { responses: Pdu[] }).responses[0]?.command_status;
    expect(status).toBe(CommandStatus.ESME_RX_T_APPN);
  });

  it('closes with a protocol error on garbage from the server and fails what was in flight, without crashing', async () => {
    sim = await SmscSimulator.start({ faults: { noResponse: true } });
    const session = await open(sim);
    const pending = session.request(submit('+15550001')).catch((e: unknown) => e);
    await sim.waitFor({ command: 'submit_sm' });
    sim.faults.set({ garbage: true });
    await session.closed;
    expect(session.state.error?.code).toBe(ErrorCode.ProtocolError);
    const outcome = (await pending) as TidingsError;
    expect(outcome.ambiguous).toBe(true);
    expect(RetryableKinds).toContain(outcome.retry.kind);
    // The process and the simulator still work: a new session binds.
    const again = await open(sim);
    expect(again.status).toBe('bound');
  });

  it('closes with a protocol error on an oversize frame announced by the server', async () => {
    sim = await SmscSimulator.start();
    const session = await open(sim);
    const header = Buffer.alloc(16);
    header.writeUInt32BE(0x7fffffff, 0);
    header.writeUInt32BE(0x00000005, 4);
    sim.sendRaw(header);
    await session.closed;
    expect(session.state.error?.code).toBe(ErrorCode.ProtocolError);
    expect(session.state.error?.message).toMatch(/length/i);
  });

  it('reports a TLS key or certificate node cannot load as invalid options, not a network failure', async () => {
    sim = await SmscSimulator.start();
    const error = await open(sim, { tls: { cert: 'not a certificate', key: 'not a key' } }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.InvalidOptions)).toBe(true);
    expect((error as TidingsError).message).toContain('TLS');
  });

  it('speaks TLS with a custom CA, and refuses an unknown certificate by default', async () => {
    const key = readFileSync(new URL('key.pem', fixtures), 'utf8');
    const cert = readFileSync(new URL('cert.pem', fixtures), 'utf8');
    sim = await SmscSimulator.start({ tls: { key, cert } });
    const trusted = await open(sim, { tls: { ca: cert } });
    expect(trusted.status).toBe('bound');
    const response = await trusted.request(submit('+15550001'));
    expect(response.command_status).toBe(0);
    const error = await open(sim, { tls: {} }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.ConnectionLost)).toBe(true);
    expect((error as TidingsError).details?.phase).toBe('connect');
  });
});

const RetryableKinds = ['retry', 'pause'];
