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
export function resolveSimulatorOptions(options: SmscSimulatorOptions): ResolvedSimulatorOptions {
  const problems: string[] = [];
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
  integer(options.receipts?.delayMs, 'receipts.delayMs', 0);

  const accounts = new Map<string, SimulatorAccount>();
  for (const account of options.accounts ?? [DEFAULT_ACCOUNT]) {
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
  if (options.tls !== undefined && (options.tls.key === undefined || options.tls.cert === undefined)) {
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
