import {
  createTidings,
  ErrorCode,
  type LogFields,
  type Logger,
  type MessageBase,
  type Tidings,
  TidingsError,
} from '@tidings/core';
import { type FakeChannelPlugin, type FakeOutcome, fakeChannel, ManualClock } from '@tidings/core/testing';
import { onTestFinished } from 'vitest';
import { createVerifier } from './create-verifier.js';
import { InMemoryVerificationStore } from './in-memory-verification-store.js';
import type { VerificationEvent } from './verification-events.js';
import type { VerificationStore } from './verification-store.js';
import type { Verifier } from './verifier.js';
import type { VerifierOptions } from './verifier-options.js';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields?: LogFields;
}

/** A logger that keeps every line, debug included, to search for secrets. */
export function recordingLogger(): Logger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push(fields === undefined ? { level, message } : { level, message, fields });
    };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** Telegram-like: codes of 4 to 8 digits only, as the real channel's page says. */
interface CodeMessage extends MessageBase {
  readonly code: string;
}

export interface FakeSetup {
  readonly tidings: Tidings<{ telegram: CodeMessage; sms: MessageBase }>;
  readonly verifier: Verifier<'telegram' | 'sms'>;
  readonly clock: ManualClock;
  readonly store: InMemoryVerificationStore;
  readonly events: VerificationEvent[];
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly telegram: FakeChannelPlugin<'telegram', CodeMessage>['control'];
  readonly sms: FakeChannelPlugin<'sms', MessageBase>['control'];
}

/**
 * A verifier over two in-memory fake channels (`telegram` then `sms`) on a ManualClock: for the
 * state machine, limits and expiry without sockets. Stopped when the test ends.
 */
export async function fakeSetup(
  options: VerifierOptions & { readonly store?: VerificationStore } = {},
  scripts: { readonly telegram?: readonly FakeOutcome[]; readonly sms?: readonly FakeOutcome[] } = {},
): Promise<FakeSetup> {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 8, 0, 0));
  const logger = recordingLogger();
  const telegram = fakeChannel<'telegram', CodeMessage>({
    name: 'telegram',
    capabilities: { kinds: ['code'] },
    validate: (message) => {
      if (!/^[0-9]{4,8}$/.test(message.code)) {
        throw new TidingsError(ErrorCode.InvalidMessage, 'message.code must be 4 to 8 digits', {
          details: { field: 'code' },
        });
      }
    },
    ...(scripts.telegram === undefined ? {} : { script: scripts.telegram }),
  });
  const sms = fakeChannel<'sms', MessageBase>({
    name: 'sms',
    ...(scripts.sms === undefined ? {} : { script: scripts.sms }),
  });
  const tidings = await createTidings({ plugins: [telegram, sms], clock, logger });
  const store = new InMemoryVerificationStore();
  const verifier = createVerifier(tidings, {
    via: ['telegram', 'sms'],
    store,
    clock,
    logger,
    ...options,
  });
  const events: VerificationEvent[] = [];
  verifier.verifications$.subscribe((event) => events.push(event));
  onTestFinished(async () => {
    await verifier.close();
    await tidings.stop({ timeoutMs: 0 });
  });
  return { tidings, verifier, clock, store, events, logger, telegram: telegram.control, sms: sms.control };
}

/** The code a fake channel was given in its `n`th send (what the provider would deliver). */
export function codeSent(control: { readonly sends: readonly { readonly message: MessageBase }[] }, n = -1): string {
  const send = control.sends.at(n);
  if (send?.message.code === undefined) throw new Error(`no send #${n}`);
  return send.message.code;
}

/** Lets promise callbacks and the fake channels' zero-delay work run. */
export async function settle(clock?: ManualClock): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    clock?.advance(0);
  }
}

/** A code of the same length that is surely not `code`. */
export function otherCode(code: string): string {
  return code.replace(/^./, (digit) => String((Number(digit) + 1) % 10));
}

/**
 * The in-memory store with every operation answering a macrotask later: concurrent calls
 * interleave as they would against a remote store, so the atomicity of each operation is what
 * keeps the limits.
 */
export function slowStore(inner: VerificationStore = new InMemoryVerificationStore()): VerificationStore {
  const later = <T>(call: () => Promise<T>): Promise<T> =>
    new Promise((resolve) => setImmediate(resolve))
      .then(() => call())
      .then((value) => new Promise<T>((resolve) => setImmediate(() => resolve(value))));
  return {
    create: (record, limit) => later(() => inner.create(record, limit)),
    get: (id) => later(() => inner.get(id)),
    latestFor: (recipient) => later(() => inner.latestFor(recipient)),
    takeAttempt: (id, now) => later(() => inner.takeAttempt(id, now)),
    finish: (id, status, now) => later(() => inner.finish(id, status, now)),
    countWrong: (id, now) => later(() => inner.countWrong(id, now)),
    addCode: (id, code, limit, now) => later(() => inner.addCode(id, code, limit, now)),
    addMessageId: (id, messageId, now) => later(() => inner.addMessageId(id, messageId, now)),
    discard: (id) => later(() => inner.discard(id)),
  };
}
