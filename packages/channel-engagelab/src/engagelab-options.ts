import type { ChannelSettings } from '@tidings/core';
import type { SmppConnectionOptions } from '@tidings/transport-smpp';
import { z } from 'zod';
import type { EngageLabDataCoding } from './engagelab-body.js';

/** EngageLab's SMPP front, from the provider page ("SMPP address"). */
export const defaultHost = 'otpsmpp.api.engagelab.cc';

/** The page: "send an EnquireLink command every 30 seconds (tolerance ±5 seconds)". */
const KEEP_ALIVE_MS = 30_000;
const KEEP_ALIVE_TOLERANCE_MS = 5_000;
/** `source_addr` is a C-Octet string of 21 octets: 20 characters before its NUL. */
const MAX_SENDER = 20;

/**
 * Options of {@link engagelabChannel}: plain data (a config file can hold them), checked when the
 * plugin is created. Unknown keys are refused, so a typo (`systemID`) fails at startup. Every
 * optional field takes `undefined` too, so `host: process.env.ENGAGELAB_HOST` compiles.
 */
export interface EngageLabOptions {
  /** The instance name hosts use in `send`. Default `engagelab`. */
  readonly name?: string | undefined;
  /** Default `otpsmpp.api.engagelab.cc`. */
  readonly host?: string | undefined;
  /** Issued by EngageLab with the account. */
  readonly port: number;
  /** Failover hosts, tried in order when the primary cannot be reached; a backup without `port` uses the primary `port`. */
  readonly backupHosts?: ReadonlyArray<{ readonly host: string; readonly port?: number | undefined }> | undefined;
  /** `true` for TLS with the system CAs; an object for a private CA, SNI or a client certificate. */
  readonly tls?: boolean | EngageLabTlsOptions | undefined;
  /** The SMPP `system_id` EngageLab issued. */
  readonly systemId: string;
  /** The SMPP `password` EngageLab issued (printable ASCII, at most 64 characters); never logged nor shown in errors. */
  readonly password: string;
  /** SMPP `system_type` of the bind, if EngageLab asks for one (at most 12 characters). Default empty. */
  readonly systemType?: string | undefined;
  /**
   * EngageLab takes `bind_transceiver` (0x00000009) only; any other bind mode gets `generic_nack`.
   * The option exists so a config that asks for another mode fails here, not at the first bind.
   */
  readonly bindMode?: 'transceiver' | undefined;
  /** Sessions to bind at once. Default 1. */
  readonly binds?: number | undefined;
  /** Max unanswered `submit_sm` per session. Default 10. */
  readonly window?: number | undefined;
  /**
   * Rate cap over all sessions, in SMS parts (submit_sm) per second; at EngageLab one message is
   * one submit_sm. Default: no cap.
   */
  readonly maxPerSecond?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
  readonly bindTimeoutMs?: number | undefined;
  readonly responseTimeoutMs?: number | undefined;
  /** Keep-alive `enquire_link` interval: 30 s ± 5 s by the provider page (25 000–35 000). Default 30 000. */
  readonly enquireLinkIntervalMs?: number | undefined;
  /** How long an `enquire_link` may go unanswered before the session is dropped. */
  readonly enquireLinkTimeoutMs?: number | undefined;
  readonly unbindTimeoutMs?: number | undefined;
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
   * session has, the channel goes `failed` with `TIDINGS_AUTH_FAILED` (with `binds: 2`, the server
   * sees twice as many attempts). EngageLab refuses credentials by closing the connection right
   * after the bind, with no response. Default 3.
   */
  readonly maxBindFailures?: number | undefined;
  /**
   * Delivery reports. EngageLab sends one for every message (`registered_delivery` 1, always
   * on): only `true` (the default) is accepted.
   */
  readonly receipts?: true | undefined;
  /**
   * The default sender: every submit's `source_addr` unless a message sets `from` (printable
   * ASCII, at most 20 characters). EngageLab does not use it for OTP. Default empty.
   */
  readonly sender?: string | undefined;
  /**
   * `data_coding` of the JSON body: `ucs2` (0x08, the default, as the page recommends so `{}`
   * survive), or `default` (0x00, the JSON's ASCII bytes as they are) only where the route passes
   * `{}` unchanged. With `default`, non-ASCII characters are written as JSON `\uXXXX` escapes.
   */
  readonly dataCoding?: EngageLabDataCoding | undefined;
  /**
   * EngageLab wants recipients in international format with `+` (`+6598765432`). By default a
   * number without `+` is refused; `true` turns `0065 9876-5432`, `65 9876 5432` and the like into
   * `+6598765432` first.
   */
  readonly normalizeRecipients?: boolean | undefined;
  /** Runtime settings (retries, in-flight limit, deadlines); see `ChannelSettings` in `@tidings/core`. */
  readonly settings?: ChannelSettings | undefined;
}

export interface EngageLabTlsOptions {
  readonly ca?: string | readonly string[] | undefined;
  /** Default true. Turn off only for a test server. */
  readonly rejectUnauthorized?: boolean | undefined;
  readonly servername?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

/** A required option's first rule: "is required" when missing, `rule` for another type. */
const missingOr = (rule: string) => (issue: { readonly input?: unknown }) =>
  issue.input === undefined ? 'is required' : rule;
const int = (min: number, max: number) => z.int().min(min).max(max);
const durationMs = int(1, 2_147_483_647);
const port = z
  .int({ error: missingOr('must be a TCP port (1-65535)') })
  .min(1, 'must be a TCP port (1-65535)')
  .max(65_535, 'must be a TCP port (1-65535)');
const hostName = z
  .string({ error: missingOr('must be a host name or IP address') })
  .trim()
  .min(1, 'must be a host name or IP address');
const printableAscii = /^[\x20-\x7e]*$/;
/** A required string option: "is required" when missing, "must be a string" otherwise. */
const requiredString = () => z.string({ error: missingOr('must be a string') });

const tlsObject = z.strictObject({
  ca: z.union([z.string(), z.array(z.string())], { error: 'must be PEM text or a list of PEM texts' }).optional(),
  rejectUnauthorized: z.boolean({ error: 'must be true or false' }).optional(),
  servername: z.string({ error: 'must be a host name' }).min(1, 'must not be empty').optional(),
  cert: z.string({ error: 'must be PEM text' }).optional(),
  key: z.string({ error: 'must be PEM text' }).optional(),
});
// Not a z.union: zod reports a failed union as a bare "Invalid input" on `tls`; this way a bad
// field inside the object is named (`tls.ca`).
// (z.custom only gives the input its type; the transform does the checking.)
const tls = z
  .custom<boolean | z.input<typeof tlsObject>>(() => true)
  .transform((value: unknown, ctx): boolean | z.output<typeof tlsObject> | undefined => {
    if (value === undefined || typeof value === 'boolean') return value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be true, false, or an object { ca, rejectUnauthorized, servername, cert, key }',
      });
      return z.NEVER;
    }
    const parsed = tlsObject.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });

/** The zod schema behind {@link EngageLabOptions}; `engagelabChannel` applies it through core's `validateOptions`. */
export const engagelabOptionsSchema = z.strictObject({
  name: z.string({ error: 'must be a string' }).default('engagelab'),
  host: hostName.default(defaultHost),
  port,
  backupHosts: z
    .array(z.strictObject({ host: hostName, port: port.optional() }), { error: 'must be a list of { host, port? }' })
    .optional(),
  tls: tls.optional(),
  systemId: requiredString()
    .min(1, 'must not be empty: use the system_id EngageLab issued')
    .max(64, 'must be at most 64 characters')
    .regex(printableAscii, 'must be printable ASCII'),
  // Every message is our own, none quotes the value: a password never shows up in errors.
  password: requiredString()
    .min(1, 'must not be empty: use the password EngageLab issued')
    .max(64, 'must be at most 64 characters')
    .regex(printableAscii, 'must be printable ASCII'),
  systemType: z
    .string({ error: 'must be a string' })
    .max(12, 'must be at most 12 characters')
    .regex(printableAscii, 'must be printable ASCII')
    .optional(),
  bindMode: z
    .literal('transceiver', {
      error:
        'EngageLab accepts bind_transceiver only (other bind modes get generic_nack); use "transceiver" or leave it out',
    })
    .optional(),
  binds: int(1, 64).optional(),
  window: int(1, 10_000).optional(),
  maxPerSecond: z.number().positive().finite().optional(),
  connectTimeoutMs: durationMs.optional(),
  bindTimeoutMs: durationMs.optional(),
  responseTimeoutMs: durationMs.optional(),
  enquireLinkIntervalMs: z
    .int({ error: 'must be a whole number of milliseconds' })
    .min(
      KEEP_ALIVE_MS - KEEP_ALIVE_TOLERANCE_MS,
      'must be 25000 to 35000: EngageLab wants an enquire_link every 30 s (±5 s)',
    )
    .max(
      KEEP_ALIVE_MS + KEEP_ALIVE_TOLERANCE_MS,
      'must be 25000 to 35000: EngageLab wants an enquire_link every 30 s (±5 s)',
    )
    .default(KEEP_ALIVE_MS),
  enquireLinkTimeoutMs: durationMs.optional(),
  unbindTimeoutMs: durationMs.optional(),
  reconnect: z
    .strictObject({
      initialDelayMs: durationMs.optional(),
      maxDelayMs: durationMs.optional(),
      multiplier: z.number().min(1).finite().optional(),
      jitter: z.number().min(0).max(1).optional(),
    })
    .optional(),
  maxBindFailures: int(1, 1_000).default(3),
  receipts: z
    .literal(true, {
      error: 'must be true: EngageLab sends a delivery report for every message and has no way to turn them off',
    })
    .default(true),
  sender: z
    .string({ error: 'must be a string' })
    .max(MAX_SENDER, `must be at most ${MAX_SENDER} characters (source_addr)`)
    .regex(printableAscii, 'must be printable ASCII (source_addr)')
    .default(''),
  dataCoding: z.enum(['ucs2', 'default']).default('ucs2'),
  normalizeRecipients: z.boolean().default(false),
  // A plain object (not an array), checked field by field by core when the plugin is defined.
  settings: z.record(z.string(), z.unknown(), { error: 'must be an object of runtime settings' }).optional(),
});

/** The options once checked, defaults filled in. */
export type ResolvedEngageLabOptions = z.output<typeof engagelabOptionsSchema>;

/** The SMPP connection the options describe: always a transceiver with keep-alive. */
export function toConnectionOptions(options: ResolvedEngageLabOptions): SmppConnectionOptions {
  return {
    host: options.host,
    port: options.port,
    systemId: options.systemId,
    password: options.password,
    bindMode: 'transceiver',
    enquireLinkIntervalMs: options.enquireLinkIntervalMs,
    maxBindFailures: options.maxBindFailures,
    ...withoutUndefined({
      // A backup host without a port listens on the primary's.
      backupHosts: options.backupHosts?.map((backup) => ({ host: backup.host, port: backup.port ?? options.port })),
      tls: typeof options.tls === 'object' ? withoutUndefined(options.tls) : options.tls,
      systemType: options.systemType,
      binds: options.binds,
      window: options.window,
      maxPerSecond: options.maxPerSecond,
      enquireLinkTimeoutMs: options.enquireLinkTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      bindTimeoutMs: options.bindTimeoutMs,
      responseTimeoutMs: options.responseTimeoutMs,
      unbindTimeoutMs: options.unbindTimeoutMs,
      reconnect: options.reconnect === undefined ? undefined : withoutUndefined(options.reconnect),
    }),
  };
}

/** zod writes absent optional keys as `undefined`; the transport's types leave them out. */
type WithoutUndefined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

function withoutUndefined<T extends object>(value: T): WithoutUndefined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as WithoutUndefined<T>;
}
