import { ErrorCode, type RetryPolicy, TidingsError } from '@tidings/core';
import {
  type BindAddressing,
  type BindMode,
  defaultSessionTimeouts,
  type Endpoint,
  maxTimerMs,
  type SessionTimeouts,
  type TlsSettings,
} from '../session/session-options.js';

/**
 * How to reach a provider over SMPP: plain data (JSON-serialisable), so it can come from a
 * config file. Channel packages embed it in their own options.
 */
export interface SmppConnectionOptions {
  readonly host: string;
  readonly port: number;
  /** Failover hosts, tried in order when the primary cannot be reached. */
  readonly backupHosts?: readonly Endpoint[] | undefined;
  /** `true` for TLS with the system CAs; an object for a custom CA or SNI. */
  readonly tls?: boolean | TlsSettings | undefined;
  readonly systemId: string;
  readonly password: string;
  readonly systemType?: string | undefined;
  /** Default `transceiver`. */
  readonly bindMode?: BindMode | undefined;
  /** Sessions to bind (providers allow several per account). Default 1. */
  readonly binds?: number | undefined;
  /** Extra `bind_receiver` sessions, when `bindMode` is `transmitter`. Default 0. */
  readonly receiverBinds?: number | undefined;
  /** Max unanswered requests per session. Default 10. */
  readonly window?: number | undefined;
  /** Throughput cap over all sessions, in SMS parts per second. Default: none. */
  readonly maxPerSecond?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
  readonly bindTimeoutMs?: number | undefined;
  readonly responseTimeoutMs?: number | undefined;
  /** 0 turns keep-alive off. */
  readonly enquireLinkIntervalMs?: number | undefined;
  readonly enquireLinkTimeoutMs?: number | undefined;
  readonly serverRequestTimeoutMs?: number | undefined;
  readonly unbindTimeoutMs?: number | undefined;
  /** Reconnect backoff. Default 1 s doubling to 30 s, jitter 0.5. */
  readonly reconnect?: Partial<Omit<RetryPolicy, 'maxAttempts'>> | undefined;
  /** Refused binds in a row before the channel stops reconnecting and reports. Default 3. */
  readonly maxBindFailures?: number | undefined;
  readonly addressing?: BindAddressing | undefined;
  /** Frames longer than this close the session. Default 70 000 bytes. */
  readonly maxFrameBytes?: number | undefined;
  /**
   * How long the channel's `start()` waits for a first bound session before it fails (the
   * runtime's start then rejects with `TIDINGS_START_FAILED`). Default: the channel's, else 30 s.
   */
  readonly startTimeoutMs?: number | undefined;
}

/** Connection options with every default filled in. */
export interface ResolvedSmppConnection {
  readonly endpoints: readonly Endpoint[];
  readonly tls: TlsSettings | undefined;
  readonly credentials: { readonly systemId: string; readonly password: string; readonly systemType?: string };
  readonly mode: BindMode;
  readonly binds: number;
  readonly receiverBinds: number;
  readonly window: number;
  readonly maxPerSecond: number | undefined;
  readonly timeouts: SessionTimeouts;
  readonly reconnect: RetryPolicy;
  readonly maxBindFailures: number;
  readonly addressing: BindAddressing | undefined;
  readonly maxFrameBytes: number | undefined;
  /** Undefined: the channel's own default. */
  readonly startTimeoutMs: number | undefined;
}

export const defaultReconnectPolicy: RetryPolicy = Object.freeze({
  maxAttempts: Number.POSITIVE_INFINITY,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.5,
});

const bindModes: readonly BindMode[] = ['transmitter', 'receiver', 'transceiver'];

/**
 * Checks connection options and fills in defaults. Throws `TIDINGS_INVALID_OPTIONS` naming the
 * owner and the option (never echoing the password).
 *
 * @param owner e.g. `smsc channel "sms"`
 * @param defaults provider defaults the host's options override (a provider's window, deadlines)
 */
export function resolveSmppConnection(
  input: SmppConnectionOptions,
  owner: string,
  defaults: Partial<SmppConnectionOptions> = {},
): ResolvedSmppConnection {
  // A host's `undefined` (an unset environment variable) keeps the provider default.
  const options = { ...defaults } as Record<string, unknown>;
  if (typeof input === 'object' && input !== null) {
    for (const [key, value] of Object.entries(input)) if (value !== undefined) options[key] = value;
  }
  return resolve(options as unknown as SmppConnectionOptions, owner, input);
}

function resolve(options: SmppConnectionOptions, owner: string, input: unknown): ResolvedSmppConnection {
  const bad = (option: string, rule: string, got?: unknown): never => {
    const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
    throw new TidingsError(ErrorCode.InvalidOptions, `${owner}: option "${option}" ${rule}${shown}`, {
      details: { option },
    });
  };
  if (typeof input !== 'object' || input === null) bad('connection', 'must be an object');
  const host = (value: unknown, option: string): string =>
    typeof value === 'string' && value.trim() !== '' ? value : bad(option, 'must be a host name or IP address', value);
  const port = (value: unknown, option: string): number =>
    Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65_535
      ? (value as number)
      : bad(option, 'must be a TCP port (1-65535)', value);
  const integer = (value: unknown, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined =>
    value === undefined
      ? undefined
      : Number.isInteger(value) && (value as number) >= min && (value as number) <= max
        ? (value as number)
        : bad(option, `must be an integer from ${min} to ${max}`, value);
  const positive = (value: unknown, option: string): number | undefined =>
    value === undefined
      ? undefined
      : typeof value === 'number' && Number.isFinite(value) && value > 0
        ? value
        : bad(option, 'must be a number > 0', value);
  // Node runs a timer set beyond 2^31-1 ms after 1 ms: refuse such durations.
  const duration = (value: unknown, option: string): number | undefined => {
    const ms = positive(value, option);
    return ms === undefined || ms <= maxTimerMs
      ? ms
      : bad(option, `must be at most ${maxTimerMs} ms (about 24.8 days)`, ms);
  };
  const cString = (value: unknown, option: string, max: number, secret = false): string => {
    if (typeof value !== 'string') return bad(option, 'must be a string', secret ? undefined : value);
    // SMPP C-Octet strings are ASCII with a NUL terminator: the limit includes it.
    if (value.length > max - 1 || !/^[\x20-\x7e]*$/.test(value)) {
      return bad(option, `must be printable ASCII of at most ${max - 1} characters`, secret ? undefined : value);
    }
    return value;
  };

  const endpoints: Endpoint[] = [{ host: host(options.host, 'host'), port: port(options.port, 'port') }];
  if (options.backupHosts !== undefined) {
    if (!Array.isArray(options.backupHosts)) bad('backupHosts', 'must be a list of { host, port }');
    options.backupHosts.forEach((backup, i) => {
      endpoints.push({
        host: host(backup?.host, `backupHosts[${i}].host`),
        port: port(backup?.port, `backupHosts[${i}].port`),
      });
    });
  }
  let tls: TlsSettings | undefined;
  if (options.tls === true) tls = {};
  else if (options.tls === false || options.tls === undefined) tls = undefined;
  else if (typeof options.tls === 'object' && options.tls !== null) tls = options.tls;
  else bad('tls', 'must be true, false or an object { ca, rejectUnauthorized, servername }', options.tls);
  if (tls?.rejectUnauthorized !== undefined && typeof tls.rejectUnauthorized !== 'boolean') {
    bad('tls.rejectUnauthorized', 'must be a boolean', tls.rejectUnauthorized);
  }

  // SMPP 3.4 caps system_id/password at 15/8 characters, but providers issue longer ones and
  // their servers accept them: only reject what cannot be a C-Octet string.
  const systemId = cString(options.systemId, 'systemId', 65);
  if (systemId === '') bad('systemId', 'must not be empty');
  const password = cString(options.password, 'password', 65, true);
  // Likewise system_type: providers carry flag lists in it (SMSC: "MCON2,ISO,SINGLE").
  const systemType = options.systemType === undefined ? undefined : cString(options.systemType, 'systemType', 65);
  const mode = options.bindMode ?? 'transceiver';
  if (!bindModes.includes(mode)) bad('bindMode', `must be one of ${bindModes.join(', ')}`, mode);
  const binds = integer(options.binds, 'binds', 1, 64) ?? 1;
  const receiverBinds = integer(options.receiverBinds, 'receiverBinds', 0, 64) ?? 0;
  if (receiverBinds > 0 && mode !== 'transmitter') {
    bad('receiverBinds', 'only makes sense with bindMode "transmitter" (a transceiver receives on its own binds)');
  }
  const window = integer(options.window, 'window', 1, 10_000) ?? 10;
  const maxPerSecond = positive(options.maxPerSecond, 'maxPerSecond');
  const timeouts: SessionTimeouts = {
    connectTimeoutMs: duration(options.connectTimeoutMs, 'connectTimeoutMs') ?? defaultSessionTimeouts.connectTimeoutMs,
    bindTimeoutMs: duration(options.bindTimeoutMs, 'bindTimeoutMs') ?? defaultSessionTimeouts.bindTimeoutMs,
    responseTimeoutMs:
      duration(options.responseTimeoutMs, 'responseTimeoutMs') ?? defaultSessionTimeouts.responseTimeoutMs,
    enquireLinkIntervalMs:
      integer(options.enquireLinkIntervalMs, 'enquireLinkIntervalMs', 0, maxTimerMs) ??
      defaultSessionTimeouts.enquireLinkIntervalMs,
    enquireLinkTimeoutMs:
      duration(options.enquireLinkTimeoutMs, 'enquireLinkTimeoutMs') ?? defaultSessionTimeouts.enquireLinkTimeoutMs,
    serverRequestTimeoutMs:
      duration(options.serverRequestTimeoutMs, 'serverRequestTimeoutMs') ??
      defaultSessionTimeouts.serverRequestTimeoutMs,
    unbindTimeoutMs: duration(options.unbindTimeoutMs, 'unbindTimeoutMs') ?? defaultSessionTimeouts.unbindTimeoutMs,
  };
  const reconnectInput = options.reconnect ?? {};
  if (typeof reconnectInput !== 'object' || reconnectInput === null) bad('reconnect', 'must be an object');
  const reconnect: RetryPolicy = {
    maxAttempts: Number.POSITIVE_INFINITY,
    initialDelayMs:
      duration(reconnectInput.initialDelayMs, 'reconnect.initialDelayMs') ?? defaultReconnectPolicy.initialDelayMs,
    maxDelayMs: duration(reconnectInput.maxDelayMs, 'reconnect.maxDelayMs') ?? defaultReconnectPolicy.maxDelayMs,
    multiplier: positive(reconnectInput.multiplier, 'reconnect.multiplier') ?? defaultReconnectPolicy.multiplier,
    jitter: reconnectInput.jitter ?? defaultReconnectPolicy.jitter,
  };
  if (!(reconnect.jitter >= 0 && reconnect.jitter <= 1))
    bad('reconnect.jitter', 'must be between 0 and 1', reconnect.jitter);
  const maxBindFailures = integer(options.maxBindFailures, 'maxBindFailures', 1, 1_000) ?? 3;
  const maxFrameBytes = integer(options.maxFrameBytes, 'maxFrameBytes', 1_024, 16 * 1024 * 1024);
  const startTimeoutMs = duration(options.startTimeoutMs, 'startTimeoutMs');
  return {
    endpoints,
    tls,
    credentials: systemType === undefined ? { systemId, password } : { systemId, password, systemType },
    mode,
    binds,
    receiverBinds,
    window,
    maxPerSecond,
    timeouts,
    reconnect,
    maxBindFailures,
    addressing: options.addressing,
    maxFrameBytes,
    startTimeoutMs,
  };
}
