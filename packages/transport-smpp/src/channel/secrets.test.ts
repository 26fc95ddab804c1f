import { readFileSync } from 'node:fs';
import { ErrorCode, type LogFields, type Logger, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import type { SmscSimulator } from '../simulator/index.js';
import { resolveSmppConnection } from './connection-options.js';
import { sendMany, settleAll, startRuntime, startSimulator } from './runtime.test-helper.js';

/**
 * Security: a known password is bound with, everything a host or an operator could see is
 * captured (logs at the most verbose level, every event, every state, every error with its causes
 * and details) and searched for it.
 */

const PASSWORD = 'S3cr3t-pa55!';
const WRONG = 'Wr0ng-pa55!';

const fixtures = new URL('../../test/fixtures/tls/', import.meta.url);
const key = readFileSync(new URL('key.pem', fixtures), 'utf8');
const cert = readFileSync(new URL('cert.pem', fixtures), 'utf8');

/** Everything captured, as one JSON text. */
class Capture {
  readonly #items: unknown[] = [];

  readonly logger: Logger = {
    debug: (message, fields) => this.#log('debug', message, fields),
    info: (message, fields) => this.#log('info', message, fields),
    warn: (message, fields) => this.#log('warn', message, fields),
    error: (message, fields) => this.#log('error', message, fields),
  };

  /** Log lines captured; the test fails if nothing was captured (a capture that cannot fail). */
  logLines = 0;

  add(item: unknown): void {
    this.#items.push(item);
  }

  /** Listens to what the simulator tells its host (not its wire record: that is the SMSC's side). */
  watch(sim: SmscSimulator): void {
    for (const type of ['connect', 'bind', 'bindRefused', 'protocolError', 'close', 'submit'] as const) {
      sim.on(type, (event) => this.add({ simulatorEvent: type, event }));
    }
  }

  text(): string {
    return serialise(this.#items);
  }

  #log(level: string, message: string, fields: LogFields | undefined): void {
    this.logLines++;
    this.#items.push({ level, message, fields });
  }
}

/** JSON of anything: errors with their message, stack, code, details and causes; no cycles. */
function serialise(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'bigint') return item.toString();
    if (item instanceof Uint8Array) return Buffer.from(item).toString('latin1');
    if (typeof item !== 'object' || item === null) return item;
    if (seen.has(item)) return '[seen]';
    seen.add(item);
    if (item instanceof Error) {
      const own: Record<string, unknown> = {};
      for (const name of Object.getOwnPropertyNames(item))
        own[name] = (item as unknown as Record<string, unknown>)[name];
      if (item instanceof TidingsError) own.json = item.toJSON?.();
      if (item instanceof AggregateError) own.errors = item.errors;
      return { name: item.name, message: item.message, stack: item.stack, cause: item.cause, ...own };
    }
    // Session info objects hold sockets: keep their plain fields only.
    if ('socket' in item || item.constructor?.name === 'Socket') return '[socket]';
    return item;
  });
}

async function simulatorFor(capture: Capture, options: Parameters<typeof startSimulator>[0] = {}) {
  const sim = await startSimulator({
    accounts: [{ systemId: 'acme', password: PASSWORD }],
    logger: capture.logger,
    ...options,
  });
  capture.watch(sim);
  return sim;
}

function expectNoSecret(capture: Capture, ...secrets: string[]): void {
  expect(capture.logLines).toBeGreaterThan(0);
  const text = capture.text();
  for (const secret of secrets) expect(text).not.toContain(secret);
}

async function failedStart(promise: Promise<unknown>, capture: Capture): Promise<TidingsError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(TidingsError.is(error, ErrorCode.StartFailed), String(error)).toBe(true);
  capture.add({ error });
  return error as TidingsError;
}

describe('passwords never leak', () => {
  it('a bind, traffic, receipts, MO and stop: the password is on the wire but in no log, event, state or error', async () => {
    const capture = new Capture();
    const sim = await simulatorFor(capture, { faults: { rejectEveryNth: { n: 4, status: 0x0b } } });
    const { tidings } = await startRuntime(sim, {
      connection: { systemId: 'acme', password: PASSWORD },
      logger: capture.logger,
    });
    tidings.events$.subscribe((event) => capture.add({ event }));
    tidings.inbound$.subscribe((message) => capture.add({ message }));
    tidings.state$('sms').subscribe((state) => capture.add({ state }));
    const handles = await sendMany(tidings, 8);
    const settled = await settleAll(handles);
    capture.add({ settled });
    await sim.sendMo({ from: '15550001', to: 'Tidings', text: 'hello' });
    // The server drops the session: reconnect and bind again (a second bind, still no leak).
    for (const session of sim.sessions) sim.closeSession(session.id, 'reset');
    const again = await sendMany(tidings, 2, 100);
    capture.add({ settled: await settleAll(again) });
    await tidings.stop();
    // Control: the capture would see the password if it were there — the SMSC's wire record has it.
    const binds = sim.pdus({ command: 'bind_transceiver' });
    expect(binds.length).toBeGreaterThanOrEqual(2);
    expect(serialise(binds)).toContain(PASSWORD);
    expect(settled.some((end) => end.type === 'rejected')).toBe(true);
    expectNoSecret(capture, PASSWORD);
  });

  it('a wrong password (answered ESME_RINVPASWD): the start failure, its causes and the logs name neither password', async () => {
    const capture = new Capture();
    const sim = await simulatorFor(capture);
    const error = await failedStart(
      startRuntime(sim, { connection: { systemId: 'acme', password: WRONG }, logger: capture.logger }),
      capture,
    );
    expect(TidingsError.is(error.cause, ErrorCode.AuthFailed)).toBe(true);
    expectNoSecret(capture, PASSWORD, WRONG);
  });

  it('a wrong password answered by a silent close: the errors and logs name neither password', async () => {
    const capture = new Capture();
    const sim = await simulatorFor(capture, { faults: { silentCloseOnBadCredentials: true } });
    await failedStart(
      startRuntime(sim, { connection: { systemId: 'acme', password: WRONG }, logger: capture.logger }),
      capture,
    );
    expectNoSecret(capture, PASSWORD, WRONG);
  });

  it('a failing TLS handshake (untrusted certificate): the errors and logs do not hold the password', async () => {
    const capture = new Capture();
    const sim = await simulatorFor(capture, { tls: { key, cert } });
    const error = await failedStart(
      startRuntime(sim, {
        connection: { systemId: 'acme', password: PASSWORD, tls: true },
        channel: { startTimeoutMs: 300 },
        logger: capture.logger,
      }),
      capture,
    );
    expect(serialise(error)).toMatch(/certificate/i);
    expectNoSecret(capture, PASSWORD);
  });

  it('invalid connection options never echo the password, even when the password is what is wrong', () => {
    const tooLong = PASSWORD.repeat(10);
    const base = { host: '127.0.0.1', port: 2775, systemId: 'acme' };
    for (const password of [tooLong, `${PASSWORD}\u0000`]) {
      let thrown: unknown;
      try {
        resolveSmppConnection({ ...base, password }, 'test channel');
      } catch (error) {
        thrown = error;
      }
      expect(TidingsError.is(thrown, ErrorCode.InvalidOptions)).toBe(true);
      expect(serialise(thrown)).not.toContain(PASSWORD);
    }
  });
});

describe('secure defaults', () => {
  it('TLS verifies the certificate by default: `tls: true` refuses a self-signed server, a trusted CA binds', async () => {
    const sim = await startSimulator({ tls: { key, cert } });
    expect(
      resolveSmppConnection({ host: sim.host, port: sim.port, systemId: 'test', password: 'secret', tls: true }, 'x')
        .tls,
    ).toEqual({});
    const refused = await startRuntime(sim, { connection: { tls: true }, channel: { startTimeoutMs: 300 } }).then(
      () => undefined,
      (error: unknown) => error as TidingsError,
    );
    expect(serialise(refused)).toMatch(/self[- ]signed certificate/i);
    expect(sim.stats.binds).toBe(0);
    const { tidings } = await startRuntime(sim, { connection: { tls: { ca: cert } } });
    const [handle] = await sendMany(tidings, 1);
    expect((await handle?.settled)?.type).toBe('delivered');
  });

  it('the simulator listens on 127.0.0.1 unless told otherwise', async () => {
    const sim = await startSimulator();
    expect(sim.host).toBe('127.0.0.1');
  });
});
