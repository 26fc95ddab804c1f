import { createServer, type Server } from 'node:net';
import { ErrorCode, silentLogger, TidingsError } from '@tidings/core';
import { ManualClock } from '@tidings/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CommandStatus } from '../pdu/command-status.js';
import type { Pdu } from '../pdu/pdu.js';
import type { Endpoint } from '../session/session-options.js';
import { SmscSimulator } from '../simulator/index.js';
import { defaultStatusTable, extendStatusTable } from '../status/status-table.js';
import { testClientOptions, testSubmit } from './client.test-helper.js';
import { SmppClient, type SmppClientOptions, type SmppClientState } from './smpp-client.js';

const simulators: SmscSimulator[] = [];
const clients: SmppClient[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close({ drainTimeoutMs: 0 })));
  await Promise.all(simulators.splice(0).map((sim) => sim.stop()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function simulator(options: Parameters<typeof SmscSimulator.start>[0] = {}): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start(options);
  simulators.push(sim);
  return sim;
}

function client(endpoints: readonly Endpoint[], overrides: Partial<SmppClientOptions> = {}): SmppClient {
  const created = new SmppClient(testClientOptions(endpoints, overrides));
  clients.push(created);
  return created;
}

const at = (sim: SmscSimulator): Endpoint => ({ host: sim.host, port: sim.port });

const submit = testSubmit;

/** A port that refuses connections. */
async function deadPort(): Promise<Endpoint> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return { host: '127.0.0.1', port: typeof address === 'object' && address ? address.port : 1 };
}

function waitForState(smpp: SmppClient, test: (state: SmppClientState) => boolean): Promise<SmppClientState> {
  return new Promise((resolve) => {
    const subscription = smpp.state$.subscribe((state) => {
      if (test(state)) {
        queueMicrotask(() => subscription.unsubscribe());
        resolve(state);
      }
    });
  });
}

describe('SmppClient (pool) over TCP', () => {
  it('binds N sessions per account and spreads requests over them', async () => {
    const sim = await simulator({ faults: { responseDelayMs: 20 } });
    const smpp = client([at(sim)], { binds: 3 });
    await smpp.connect();
    await waitForState(smpp, (state) => state.bound === 3);
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => smpp.request(submit(`+1555${i}`))));
    expect(responses.every((r) => r.command_status === 0)).toBe(true);
    const bySession = new Map<number, number>();
    for (const record of sim.received) {
      if (record.pdu.command === 'submit_sm')
        bySession.set(record.sessionId, (bySession.get(record.sessionId) ?? 0) + 1);
    }
    expect(bySession.size).toBe(3);
    expect(smpp.state.status).toBe('open');
  });

  it('fails over to the backup host when the primary cannot be reached', async () => {
    const primary = await deadPort();
    const backup = await simulator();
    const smpp = client([primary, at(backup)]);
    await smpp.connect();
    expect(smpp.state.endpoint).toBe(backup.address);
    const response = await smpp.request(submit('+15550001'));
    expect(response.command_status).toBe(0);
  });

  it('stops reconnecting after maxBindFailures refused binds and reports an auth failure', async () => {
    const sim = await simulator();
    const smpp = client([at(sim)], { credentials: { systemId: 'test', password: 'wrong' }, maxBindFailures: 3 });
    const error = await smpp.connect().catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.AuthFailed)).toBe(true);
    expect(smpp.state.status).toBe('failed');
    const attempts = () => sim.received.filter((r) => r.pdu.command === 'bind_transceiver').length;
    expect(attempts()).toBe(3);
    // No hot loop: well past several backoff periods, still three attempts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(attempts()).toBe(3);
    await expect(smpp.request(submit('+15550001'))).rejects.toMatchObject({ code: ErrorCode.AuthFailed });
  });

  it('counts a silent close in answer to the bind as a refused bind (providers that close on bad credentials)', async () => {
    const sim = await simulator({ faults: { silentCloseOnBadCredentials: true } });
    const smpp = client([at(sim)], { credentials: { systemId: 'test', password: 'wrong' }, maxBindFailures: 2 });
    const error = (await smpp.connect().catch((e: unknown) => e)) as TidingsError;
    expect(error.code).toBe(ErrorCode.AuthFailed);
    expect(error.message).toContain('system_id and password');
    expect(error.message).not.toContain('wrong');
    expect(sim.received.filter((r) => r.pdu.command === 'bind_transceiver')).toHaveLength(2);
  });

  it('stops after maxBindFailures when the server answers the bind with generic_nack (an unsupported bind mode)', async () => {
    const sim = await simulator({ profile: { name: 'trx-only', commands: ['bind_transceiver', 'submit_sm'] } });
    const smpp = client([at(sim)], { mode: 'transmitter', maxBindFailures: 2 });
    const error = (await smpp.connect().catch((e: unknown) => e)) as TidingsError;
    expect(error.code).toBe(ErrorCode.ProtocolError);
    expect(error.message).toMatch(/bind_transmitter with generic_nack/);
    expect(error.details).toMatchObject({ phase: 'bind', response: 'generic_nack' });
    expect(smpp.state.status).toBe('failed');
    expect(sim.received.filter((r) => r.pdu.command === 'bind_transmitter')).toHaveLength(2);
  });

  it('says what usually causes sessions dropped right after the bind: another client on the same login', async () => {
    // A provider allowing one bind per login: a new bind ends the older one (SMSC without MCON).
    const sim = await simulator({
      profile: {
        name: 'one-bind-per-login',
        onBind(bind, ctx) {
          for (const other of ctx.simulator.sessions) {
            if (other.id !== ctx.session.id && other.systemId === bind.system_id) ctx.simulator.closeSession(other.id);
          }
          return undefined;
        },
      },
    });
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
    const first = client([at(sim)], { logger });
    const second = client([at(sim)], { logger });
    await Promise.all([first.connect(), second.connect()]);
    await vi.waitFor(
      () => expect(warnings.some((w) => w.includes('another client bound with the same system_id'))).toBe(true),
      {
        timeout: 10_000,
      },
    );
    const states = [first.state.detail, second.state.detail].join(' ');
    expect(states).toMatch(/another client bound with the same system_id/);
  });

  it('reconnects after the connection is reset; requests made meanwhile wait for the new session', async () => {
    const sim = await simulator();
    const smpp = client([at(sim)]);
    await smpp.connect();
    const [info] = sim.sessions;
    sim.closeSession(info?.id as number, 'reset');
    await waitForState(smpp, (state) => state.bound === 0);
    const response = await smpp.request(submit('+15550002'));
    expect(response.command_status).toBe(0);
    expect(sim.stats.binds).toBeGreaterThanOrEqual(2);
  });

  it('pauses every session on throttling, slows down, and resumes', async () => {
    const sim = await simulator({ faults: { throttle: { submits: 3 } } });
    const table = extendStatusTable(defaultStatusTable, {
      [CommandStatus.ESME_RTHROTTLED]: { class: 'throttled', pauseMs: 100 },
    });
    const smpp = client([at(sim)], { maxPerSecond: 1_000, statusTable: table });
    await smpp.connect();
    const first = await smpp.request(submit('+15550001'));
    expect(first.command_status).toBe(CommandStatus.ESME_RTHROTTLED);
    expect(smpp.state.paused).toBe(true);
    expect(smpp.currentRate).toBeLessThan(1_000);
    const results: Pdu[] = [];
    for (let i = 0; i < 4; i++) results.push(await smpp.request(submit(`+1555001${i}`)));
    expect(results.map((r) => r.command_status)).toEqual([
      CommandStatus.ESME_RTHROTTLED,
      CommandStatus.ESME_RTHROTTLED,
      0,
      0,
    ]);
    await waitForState(smpp, (state) => !state.paused);
  });

  it('caps throughput with a token bucket over all sessions (time driven by a manual clock)', async () => {
    const sim = await simulator();
    const clock = new ManualClock(Date.now());
    const smpp = client([at(sim)], { binds: 2, maxPerSecond: 10, clock });
    await smpp.connect();
    await waitForState(smpp, (state) => state.bound === 2);
    const results = Array.from({ length: 20 }, (_, i) => smpp.request(submit(`+1555${i}`)));
    // The default burst is a tenth of a second's worth: one PDU, then one per 100 ms.
    await sim.waitFor({ command: 'submit_sm', count: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
    clock.advance(500);
    await sim.waitFor({ command: 'submit_sm', count: 6 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(6);
    // Never more than 10 within a second (plus a 50 ms margin): the 11th waits for the 1st's window.
    clock.advance(1_500);
    expect((await Promise.all(results)).every((r) => r.command_status === 0)).toBe(true);
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(20);
  });

  it('drains in-flight requests on close, then unbinds; later requests are refused', async () => {
    const sim = await simulator({ faults: { responseDelayMs: 100 } });
    const smpp = client([at(sim)], { binds: 2 });
    await smpp.connect();
    const inFlight = Array.from({ length: 10 }, (_, i) => smpp.request(submit(`+1555${i}`)));
    await sim.waitFor({ command: 'submit_sm', count: 10 });
    await smpp.close();
    const responses = await Promise.all(inFlight);
    expect(responses.every((r) => r.command_status === 0)).toBe(true);
    expect(sim.received.filter((r) => r.pdu.command === 'unbind').length).toBeGreaterThanOrEqual(1);
    expect(smpp.state.status).toBe('closed');
    await expect(smpp.request(submit('+15550001'))).rejects.toMatchObject({ code: ErrorCode.Shutdown });
  });

  it('never writes the password to logs or errors, whatever happens', async () => {
    const sim = await simulator({ accounts: [{ systemId: 'test', password: 'Pa55word' }] });
    const lines: string[] = [];
    const capture = (level: string) => (message: string, fields?: unknown) =>
      lines.push(`${level} ${message} ${JSON.stringify(fields)}`);
    const logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
    const good = client([at(sim)], { credentials: { systemId: 'test', password: 'Pa55word' }, logger });
    await good.connect();
    sim.closeSession(sim.sessions[0]?.id as number, 'reset');
    await waitForState(good, (state) => state.bound === 0);
    await waitForState(good, (state) => state.bound === 1);
    const bad = client([at(sim)], {
      credentials: { systemId: 'test', password: 'Wr0ngPwd' },
      logger,
      maxBindFailures: 2,
    });
    const error = (await bad.connect().catch((e: unknown) => e)) as TidingsError;
    lines.push(error.message, JSON.stringify(error.toJSON()), String(error.cause));
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.join('\n')).not.toMatch(/Pa55word|Wr0ngPwd/);
  });

  it('binds again when the server answers a submit with ESME_RINVBNDSTS', async () => {
    let refused = 0;
    const sim = await simulator({
      profile: {
        name: 'forgetful',
        onSubmit: () => (refused++ === 0 ? { status: CommandStatus.ESME_RINVBNDSTS } : undefined),
      },
    });
    const smpp = client([at(sim)]);
    await smpp.connect();
    const first = await smpp.request(submit('+15550001'));
    expect(first.command_status).toBe(CommandStatus.ESME_RINVBNDSTS);
    await waitForState(smpp, (state) => state.bound === 0);
    const second = await smpp.request(submit('+15550002'));
    expect(second.command_status).toBe(0);
    expect(sim.stats.binds).toBe(2);
  });

  it('gives up at once on TLS settings node cannot load, without a reconnect loop', async () => {
    const sim = await simulator();
    const smpp = client([at(sim)], { tls: { cert: 'not a certificate', key: 'not a key' } });
    await expect(smpp.connect()).rejects.toMatchObject({ code: ErrorCode.InvalidOptions });
    expect(smpp.state.status).toBe('failed');
    expect(sim.stats.connections).toBe(0);
  });

  it('one session whose binds are refused stops alone; the others carry on', async () => {
    const sim = await simulator({ accounts: [{ systemId: 'test', password: 'secret', maxBinds: 2 }] });
    const smpp = client([at(sim)], { binds: 3, maxBindFailures: 2 });
    await smpp.connect();
    await waitForState(smpp, (state) => (state.detail ?? '').includes('stopped reconnecting'));
    await waitForState(smpp, (state) => state.bound === 2);
    expect(smpp.state.status).toBe('open');
    expect(sim.stats.bindsRefused).toBe(2);
    expect((await smpp.request(submit('+15550001'))).command_status).toBe(0);
  });

  it('turns a caller giving up (abort) into a typed error', async () => {
    const sim = await simulator({ faults: { noResponse: true } });
    const smpp = client([at(sim)], { window: 1 });
    await smpp.connect();
    const first = smpp.request(submit('+15550001')).catch((e: unknown) => e);
    await sim.waitFor({ command: 'submit_sm' });
    const controller = new AbortController();
    const second = smpp.request(submit('+15550002'), { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort(new Error('caller gone'));
    const error = (await second) as TidingsError;
    expect(TidingsError.is(error)).toBe(true);
    expect(error.ambiguous).toBe(false);
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
    await smpp.close({ drainTimeoutMs: 0 });
    expect(((await first) as TidingsError).code).toBe(ErrorCode.ConnectionLost);
  });

  it('keeps a transmitter plus separate receiver binds', async () => {
    const sim = await simulator();
    const smpp = client([at(sim)], { mode: 'transmitter', binds: 1, receiverBinds: 1 });
    await smpp.connect();
    await waitForState(smpp, (state) => state.bound === 2);
    const modes = sim.sessions.filter((s) => s.state === 'bound').map((s) => s.bindMode);
    expect(modes.sort()).toEqual(['receiver', 'transmitter']);
    // Submits only go to the transmitter.
    await smpp.request(submit('+15550001'));
    const submitSession = sim.received.find((r) => r.pdu.command === 'submit_sm')?.sessionId;
    expect(sim.sessions.find((s) => s.id === submitSession)?.bindMode).toBe('transmitter');
  });
});
