import type { ChannelSettings } from '@tidings/core';
import { z } from 'zod';
import type { SmppConnectionOptions } from './connection-options.js';

/**
 * The zod pieces of the options every SMPP channel shares (host, port, backupHosts, tls,
 * credentials, binds, window, rate, deadlines, startTimeoutMs, reconnect, settings), so each channel names,
 * types and words them the same. A channel spreads {@link smppConnectionFields} into its own
 * `z.strictObject` and overrides only what its provider narrows or defaults differently.
 * No message quotes a value: a password never shows up in an error.
 */

/** A required option's first rule: "is required" when missing, `rule` for another type. */
const missingOr = (rule: string) => (issue: { readonly input?: unknown }) =>
  issue.input === undefined ? 'is required' : rule;

/** SMPP C-Octet strings (`system_id`, `password`, `system_type`…): printable ASCII. */
export const printableAscii = /^[\x20-\x7e]*$/;

/** A required string option: "is required" when missing, "must be a string" otherwise; `why` says what it is for. */
export const requiredString = (why = '') =>
  z.string({ error: (issue) => `${missingOr('must be a string')(issue)}${why}` });

/** A TCP port: "is required" when missing. */
export const portOption = z
  .int({ error: missingOr('must be a TCP port (1-65535)') })
  .min(1, 'must be a TCP port (1-65535)')
  .max(65_535, 'must be a TCP port (1-65535)');

/** A host name or IP address: "is required" when missing. */
export const hostOption = z
  .string({ error: missingOr('must be a host name or IP address') })
  .trim()
  .min(1, 'must be a host name or IP address');

/** Node runs a timer set beyond 2^31-1 ms after 1 ms. */
export const durationMsOption = z.int().min(1).max(2_147_483_647);

/** Failover hosts; a backup without `port` uses the primary's (see {@link toSmppConnection}). */
export const backupHostsOption = (host: z.ZodType<string, string> = hostOption) =>
  z.array(z.strictObject({ host, port: portOption.optional() }), { error: 'must be a list of { host, port? }' });

/**
 * The options every SMPP channel takes, as a host writes them: a channel's options interface
 * extends this one and redeclares what its provider narrows, defaults or explains. Every optional
 * field takes `undefined` too, so `host: process.env.SMPP_HOST` compiles.
 */
export interface SmppChannelOptions
  extends Pick<
    SmppConnectionOptions,
    | 'host'
    | 'port'
    | 'binds'
    | 'window'
    | 'connectTimeoutMs'
    | 'bindTimeoutMs'
    | 'responseTimeoutMs'
    | 'enquireLinkTimeoutMs'
    | 'unbindTimeoutMs'
    | 'startTimeoutMs'
  > {
  /** Instance name used in `send`. */
  readonly name?: string | undefined;
  /** Failover hosts, tried in order when the primary cannot be reached; a backup without `port` uses the primary `port`. */
  readonly backupHosts?: ReadonlyArray<{ readonly host: string; readonly port?: number | undefined }> | undefined;
  /** `true` for TLS with the system CAs; an object for a private CA, SNI or a client certificate. */
  readonly tls?: boolean | TlsOptionObject | undefined;
  /** SMPP `system_id` (printable ASCII, at most 64 characters). */
  readonly systemId: string;
  /** SMPP `password` (printable ASCII, at most 64 characters); never logged nor shown in errors. */
  readonly password: string;
  /** SMPP `system_type`, if the provider asks for one (at most 12 characters). Default empty. */
  readonly systemType?: string | undefined;
  readonly bindMode?: 'transceiver' | 'transmitter' | 'receiver' | undefined;
  /** Rate cap over all sessions, in SMS parts (submit_sm) per second. Default: no cap. */
  readonly maxPerSecond?: number | undefined;
  /** Keep-alive `enquire_link` interval; 0 turns it off. Default 30 s. */
  readonly enquireLinkIntervalMs?: number | undefined;
  /** Reconnect backoff. Default 1 s doubling to 30 s, jitter 0.5. */
  readonly reconnect?:
    | {
        readonly initialDelayMs?: number | undefined;
        readonly maxDelayMs?: number | undefined;
        /** At least 1. */
        readonly multiplier?: number | undefined;
        /** 0 to 1. */
        readonly jitter?: number | undefined;
      }
    | undefined;
  /**
   * Refused binds in a row, per session, before that session stops reconnecting; once every
   * session has, the channel goes `failed` with `TIDINGS_AUTH_FAILED`. Default 3.
   */
  readonly maxBindFailures?: number | undefined;
  /** Runtime settings (retries, in-flight limit, deadlines); see `ChannelSettings` in `@tidings/core`. */
  readonly settings?: ChannelSettings | undefined;
}

/** `tls` as an object: a private CA, SNI or a client certificate. */
export interface TlsOptionObject {
  readonly ca?: string | readonly string[] | undefined;
  /** Default true. Turn off only for a test server. */
  readonly rejectUnauthorized?: boolean | undefined;
  readonly servername?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

/** The fields of `tls` as an object, as {@link tlsOption} words them. */
export const tlsFields = z.strictObject({
  ca: z
    .union([z.string(), z.array(z.string())], { error: 'must be a PEM certificate string or an array of them' })
    .optional(),
  rejectUnauthorized: z.boolean({ error: 'must be true or false' }).optional(),
  servername: z.string({ error: 'must be a string' }).optional(),
  cert: z.string({ error: 'must be a PEM certificate string' }).optional(),
  key: z.string({ error: 'must be a PEM private key string' }).optional(),
});

const tlsNotAnObject = 'must be true, false or an object { ca, rejectUnauthorized, servername, cert, key }';

/**
 * `tls`: true, false, or an object checked field by field by `fields`. Not a `z.union`: a union
 * that fails reports a bare "Invalid input" on `tls`, while a bad field must be named (`tls.ca`…).
 * (z.custom only gives the input its type; the transform does the checking.)
 */
export function tlsOptionOf<TFields extends z.ZodType<TlsOptionObject, object>>(
  fields: TFields,
  notAnObject = tlsNotAnObject,
) {
  return z
    .custom<boolean | TlsOptionObject>(() => true)
    .transform((value: unknown, ctx): boolean | z.output<TFields> | undefined => {
      if (value === undefined || typeof value === 'boolean') return value;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        ctx.addIssue({ code: 'custom', message: notAnObject });
        return z.NEVER;
      }
      const parsed = fields.safeParse(value);
      if (parsed.success) return parsed.data;
      // The issues keep their paths (`ca`, `rejectUnauthorized`…), prefixed with `tls` by the object around.
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    });
}

/** `tls` with the {@link tlsFields} wording. */
export const tlsOption = tlsOptionOf(tlsFields);

/** Reconnect backoff; `delay` checks the two delays, `maxMultiplier` caps the growth. */
export const reconnectOption = ({
  delay = durationMsOption,
  maxMultiplier,
}: {
  readonly delay?: z.ZodType<number, number>;
  readonly maxMultiplier?: number;
} = {}) =>
  z.strictObject({
    initialDelayMs: delay.optional(),
    maxDelayMs: delay.optional(),
    multiplier: (maxMultiplier === undefined ? z.number().min(1) : z.number().min(1).max(maxMultiplier)).optional(),
    jitter: z.number().min(0).max(1).optional(),
  });

/**
 * The common connection options as a zod shape: spread it into a channel's `z.strictObject` and
 * override a field where the provider narrows it (`bindMode`) or defaults it
 * (`host: hostOption.default(…)`, `window: smppConnectionFields.window.unwrap().default(300)`).
 */
export const smppConnectionFields = {
  /** Instance name hosts use in `send`. */
  name: z.string({ error: 'must be a string' }).optional(),
  host: hostOption,
  port: portOption,
  backupHosts: backupHostsOption().optional(),
  tls: tlsOption.optional(),
  /** SMPP `system_id`. */
  systemId: requiredString()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .regex(printableAscii, 'must be printable ASCII'),
  /** SMPP `password`; never logged nor shown in errors. */
  password: requiredString().max(64, 'must be at most 64 characters').regex(printableAscii, 'must be printable ASCII'),
  /** SMPP `system_type`. */
  systemType: z
    .string({ error: 'must be a string' })
    .max(12, 'must be at most 12 characters')
    .regex(printableAscii, 'must be printable ASCII')
    .optional(),
  bindMode: z.enum(['transceiver', 'transmitter', 'receiver']).optional(),
  binds: z.int().min(1).max(64).optional(),
  window: z.int().min(1).max(10_000).optional(),
  /** SMS parts (submit_sm) per second over all sessions. */
  maxPerSecond: z.number().positive().optional(),
  connectTimeoutMs: durationMsOption.optional(),
  bindTimeoutMs: durationMsOption.optional(),
  responseTimeoutMs: durationMsOption.optional(),
  /** 0 turns keep-alive off. */
  enquireLinkIntervalMs: z.int().min(0).max(2_147_483_647).optional(),
  enquireLinkTimeoutMs: durationMsOption.optional(),
  unbindTimeoutMs: durationMsOption.optional(),
  /** How long start waits for a first bound session. */
  startTimeoutMs: durationMsOption.optional(),
  reconnect: reconnectOption().optional(),
  maxBindFailures: z.int().min(1).max(1_000).optional(),
  // A plain object (not an array), checked field by field by core when the plugin is defined.
  settings: z
    .record(z.string(), z.unknown(), { error: 'must be an object of runtime settings' })
    .transform((settings) => settings as ChannelSettings)
    .optional(),
};

/** The common options once checked, as {@link toSmppConnection} reads them. */
export type ResolvedConnectionFields = Omit<SmppChannelOptions, 'name' | 'settings'>;

/**
 * The common options → the transport's {@link SmppConnectionOptions}. Options left out stay out
 * (the transport keeps its defaults); a backup host without a port listens on the primary's.
 */
export function toSmppConnection(options: ResolvedConnectionFields): SmppConnectionOptions {
  return definedOnly({
    host: options.host,
    port: options.port,
    backupHosts: options.backupHosts?.map((backup) => ({ host: backup.host, port: backup.port ?? options.port })),
    tls: typeof options.tls === 'object' ? definedOnly(options.tls) : options.tls,
    systemId: options.systemId,
    password: options.password,
    systemType: options.systemType,
    bindMode: options.bindMode,
    binds: options.binds,
    window: options.window,
    maxPerSecond: options.maxPerSecond,
    connectTimeoutMs: options.connectTimeoutMs,
    bindTimeoutMs: options.bindTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs,
    enquireLinkIntervalMs: options.enquireLinkIntervalMs,
    enquireLinkTimeoutMs: options.enquireLinkTimeoutMs,
    unbindTimeoutMs: options.unbindTimeoutMs,
    startTimeoutMs: options.startTimeoutMs,
    reconnect: options.reconnect === undefined ? undefined : definedOnly(options.reconnect),
    maxBindFailures: options.maxBindFailures,
  }) as SmppConnectionOptions;
}

/** zod writes absent optional keys as `undefined`; the transport's types leave them out. */
function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
