import { ErrorCode, type Logger, silentLogger, TidingsError } from '@tidings/core';
import type { BindMode } from '../session/session-options.js';
import type { SimulatorFaults } from './faults.js';
import type { MessageIdScheme } from './message-ids.js';
import type { ReceiptOptions } from './receipt-builder.js';
import { defaultProfile, type SimulatorProfile } from './simulator-profile.js';

/** A login the simulator accepts. */
export interface SimulatorAccount {
  readonly systemId: string;
  readonly password: string;
  /** Default: every mode the profile allows. */
  readonly bindModes?: readonly BindMode[];
  /** Most sessions bound at once; one more gets ESME_RBINDFAIL. Default: no limit. */
  readonly maxBinds?: number;
}

/** PEM key and certificate: the simulator then speaks SMPP over TLS. */
export interface SimulatorTls {
  readonly key: string | Uint8Array;
  readonly cert: string | Uint8Array;
}

export interface SmscSimulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: a free port (read it from `sim.port`). */
  readonly port?: number;
  /** The simulator's own system_id in bind responses. Default `TidingsSMSC`. */
  readonly systemId?: string;
  /** Default: one account `test` / `secret`, every bind mode. */
  readonly accounts?: readonly SimulatorAccount[];
  readonly tls?: SimulatorTls;
  /** Default: the profile's, else `decimal`. */
  readonly messageIds?: MessageIdScheme;
  /** Default `defaultProfile`. */
  readonly profile?: SimulatorProfile;
  /** Most deliver_sm the simulator leaves unanswered per session; more wait. Default 100. */
  readonly window?: number;
  /** Merged over the profile's receipt options. */
  readonly receipts?: ReceiptOptions;
  /** Faults in force from the start. */
  readonly faults?: SimulatorFaults;
  /** Default: silent. The simulator never logs passwords. */
  readonly logger?: Logger;
  /** Accepted messages kept for query_sm and receipts; the oldest go first. Default 1 000 000. */
  readonly maxStoredMessages?: number;
  /** Received PDUs kept for `received` / `waitFor`; the oldest go first. Default 100 000. */
  readonly maxRecordedPdus?: number;
  /** Longest frame accepted from a client. Default 70 000 bytes. */
  readonly maxFrameBytes?: number;
  /** On close and stop, how long a client may keep its side open before the socket is destroyed. Default 500 ms. */
  readonly closeGraceMs?: number;
}

export interface ResolvedSimulatorOptions {
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
  readonly accounts: ReadonlyMap<string, SimulatorAccount>;
  readonly tls: SimulatorTls | undefined;
  readonly messageIds: MessageIdScheme;
  readonly profile: SimulatorProfile;
  readonly window: number;
  readonly receipts: ReceiptOptions;
  readonly faults: SimulatorFaults;
  readonly logger: Logger;
  readonly maxStoredMessages: number;
  readonly maxRecordedPdus: number;
  readonly maxFrameBytes: number | undefined;
  readonly closeGraceMs: number;
}

const BIND_MODES: readonly BindMode[] = ['transmitter', 'receiver', 'transceiver'];

/** The default login: `test` / `secret`, every bind mode. */
export const DEFAULT_ACCOUNT: SimulatorAccount = Object.freeze({ systemId: 'test', password: 'secret' });

/** Checks the options and fills in the defaults; throws TIDINGS_INVALID_OPTIONS listing every problem. */
export function resolveSimulatorOptions(input: SmscSimulatorOptions): ResolvedSimulatorOptions {
  // JavaScript callers: anything but an object is refused here, not met as a TypeError later.
  if (!isObject(input)) {
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      `Invalid SMSC simulator options: expected an object, got ${describeType(input)}.`,
      { details: { problems: ['options must be an object'] } },
    );
  }
  const options: SmscSimulatorOptions = input;
  const problems: string[] = [];
  const object = (value: unknown, name: string): void => {
    if (value !== undefined && !isObject(value)) problems.push(`${name} must be an object, got ${describeType(value)}`);
  };
  if (options.host !== undefined && (typeof options.host !== 'string' || options.host === '')) {
    problems.push(`host must be a non-empty string, got ${describeType(options.host)}`);
  }
  object(options.faults, 'faults');
  object(options.receipts, 'receipts');
  object(options.tls, 'tls');
  object(options.logger, 'logger');
  if (options.profile !== undefined && !(isObject(options.profile) && typeof options.profile.name === 'string')) {
    problems.push('profile must be a SimulatorProfile: an object with a string name');
  }
  if (isObject(options.profile)) {
    const { maxPerSecond, overRateStatus, now } = options.profile as SimulatorProfile;
    if (
      maxPerSecond !== undefined &&
      !(maxPerSecond === Number.POSITIVE_INFINITY || (Number.isInteger(maxPerSecond) && maxPerSecond >= 1))
    ) {
      problems.push(
        `profile.maxPerSecond must be a whole number of submits from 1 (or Infinity), got ${String(maxPerSecond)}`,
      );
    }
    if (
      overRateStatus !== undefined &&
      !(Number.isInteger(overRateStatus) && overRateStatus >= 1 && overRateStatus <= 0xffffffff)
    ) {
      problems.push(`profile.overRateStatus must be a non-zero command_status, got ${String(overRateStatus)}`);
    }
    if (now !== undefined && typeof now !== 'function') {
      problems.push(`profile.now must be a function returning epoch ms, got ${describeType(now)}`);
    }
  }
  if (options.accounts !== undefined && !Array.isArray(options.accounts)) {
    problems.push(`accounts must be an array of { systemId, password }, got ${describeType(options.accounts)}`);
  }
  const integer = (value: number | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): void => {
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
    }
  };
  integer(options.port, 'port', 0, 65_535);
  integer(options.window, 'window', 1);
  integer(options.maxStoredMessages, 'maxStoredMessages', 1);
  integer(options.maxRecordedPdus, 'maxRecordedPdus', 1);
  integer(options.closeGraceMs, 'closeGraceMs', 0);
  if (isObject(options.receipts)) integer(options.receipts.delayMs, 'receipts.delayMs', 0);
  // The client's frame reader takes 16 (a bare header) to 2^32-1.
  integer(options.maxFrameBytes, 'maxFrameBytes', 16, 0xffffffff);

  const accounts = new Map<string, SimulatorAccount>();
  const listed: readonly SimulatorAccount[] = Array.isArray(options.accounts) ? options.accounts : [DEFAULT_ACCOUNT];
  for (const [index, account] of listed.entries()) {
    if (!isObject(account as unknown)) {
      problems.push(`accounts[${index}] must be an object { systemId, password }, got ${describeType(account)}`);
      continue;
    }
    const label = `account '${account.systemId}'`;
    // SMPP 3.4 says 15 and 8 characters, but providers issue longer ones (the client takes 64).
    if (typeof account.systemId !== 'string' || account.systemId.length === 0 || account.systemId.length > 64) {
      problems.push(`${label}: systemId must be 1 to 64 characters`);
    }
    if (typeof account.password !== 'string' || account.password.length > 64) {
      problems.push(`${label}: password must be a string of at most 64 characters`);
    }
    if (accounts.has(account.systemId)) problems.push(`${label} is listed twice`);
    for (const mode of account.bindModes ?? []) {
      if (!BIND_MODES.includes(mode)) problems.push(`${label}: unknown bind mode '${String(mode)}'`);
    }
    integer(account.maxBinds, `${label}: maxBinds`, 0);
    accounts.set(account.systemId, account);
  }
  if (isObject(options.tls) && (options.tls.key === undefined || options.tls.cert === undefined)) {
    problems.push('tls needs both key and cert (PEM)');
  }
  if (problems.length > 0) {
    throw new TidingsError(ErrorCode.InvalidOptions, `Invalid SMSC simulator options: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }

  const profile = options.profile ?? defaultProfile;
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    systemId: options.systemId ?? 'TidingsSMSC',
    accounts,
    tls: options.tls,
    messageIds: options.messageIds ?? profile.messageIds ?? 'decimal',
    profile,
    window: options.window ?? 100,
    receipts: { ...profile.receipts, ...options.receipts },
    faults: options.faults ?? {},
    logger: options.logger ?? silentLogger,
    maxStoredMessages: options.maxStoredMessages ?? 1_000_000,
    maxRecordedPdus: options.maxRecordedPdus ?? 100_000,
    maxFrameBytes: options.maxFrameBytes,
    closeGraceMs: options.closeGraceMs ?? 500,
  };
}

/** Whether `mode` is allowed for the account under the profile. */
export function bindModeAllowed(account: SimulatorAccount, profile: SimulatorProfile, mode: BindMode): boolean {
  return (account.bindModes ?? BIND_MODES).includes(mode) && (profile.bindModes ?? BIND_MODES).includes(mode);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, for a message: never the value itself (it may hold a password or a key). */
function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
