import type { ChannelSettings } from '@tidings/core';
import type { SmppConnectionOptions } from '@tidings/transport-smpp';
import { z } from 'zod';

/** EngageLab's SMPP front, from the provider page ("SMPP address"). */
export const ENGAGELAB_DEFAULT_HOST = 'otpsmpp.api.engagelab.cc';

/** The page: "send an EnquireLink command every 30 seconds (tolerance ±5 seconds)". */
const KEEP_ALIVE_MS = 30_000;
const KEEP_ALIVE_TOLERANCE_MS = 5_000;

const int = (min: number, max: number) => z.int().min(min).max(max);
const durationMs = int(1, 2_147_483_647);
const port = int(1, 65_535);
/** An SMPP C-Octet string: printable ASCII, at most 64 characters before its NUL. */
const cString = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII');

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
  .transform((value: unknown, ctx): boolean | z.output<typeof tlsObject> => {
    if (typeof value === 'boolean') return value;
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

/**
 * Options of {@link engagelabChannel}: plain data (a config file can hold them), checked when the
 * plugin is created. Unknown keys are refused, so a typo (`systemID`) fails at startup.
 */
export const engagelabOptionsSchema = z.strictObject({
  /** The instance name hosts use in `send`. Default `engagelab`. */
  name: z.string().optional(),
  /** Default `otpsmpp.api.engagelab.cc`. */
  host: z.string().trim().min(1, 'must be a host name').default(ENGAGELAB_DEFAULT_HOST),
  /** Issued by EngageLab with the account. */
  port,
  backupHosts: z.array(z.strictObject({ host: z.string().trim().min(1, 'must be a host name'), port })).optional(),
  /** `true` for TLS with the system CAs; an object for a private CA, SNI or a client certificate. */
  tls: tls.optional(),
  /** The SMPP `system_id` EngageLab issued. */
  systemId: cString.min(1, 'must be the system_id EngageLab issued'),
  /** The SMPP `password` EngageLab issued. Never logged. */
  password: cString.min(1, 'must be the password EngageLab issued'),
  /**
   * EngageLab takes `bind_transceiver` (0x00000009) only; any other bind mode gets `generic_nack`.
   * The option exists so a config that asks for another mode fails here, not at the first bind.
   */
  bindMode: z
    .literal('transceiver', {
      error:
        'EngageLab accepts bind_transceiver only (other bind modes get generic_nack); use "transceiver" or leave it out',
    })
    .optional(),
  /** Sessions to bind at once. Default 1. */
  binds: int(1, 64).optional(),
  /** Max unanswered `submit_sm` per session. Default 10. */
  window: int(1, 10_000).optional(),
  /** Throughput cap over all sessions, in messages per second. Default: none. */
  maxPerSecond: z.number().positive().optional(),
  /** Keep-alive `enquire_link` interval: 30 s ± 5 s by the provider page. Default 30 000. */
  enquireLinkIntervalMs: int(KEEP_ALIVE_MS - KEEP_ALIVE_TOLERANCE_MS, KEEP_ALIVE_MS + KEEP_ALIVE_TOLERANCE_MS).default(
    KEEP_ALIVE_MS,
  ),
  enquireLinkTimeoutMs: durationMs.optional(),
  connectTimeoutMs: durationMs.optional(),
  bindTimeoutMs: durationMs.optional(),
  responseTimeoutMs: durationMs.optional(),
  unbindTimeoutMs: durationMs.optional(),
  reconnect: z
    .strictObject({
      initialDelayMs: durationMs.optional(),
      maxDelayMs: durationMs.optional(),
      multiplier: z.number().positive().optional(),
      jitter: z.number().min(0).max(1).optional(),
    })
    .optional(),
  /**
   * Refused binds in a row, per session, before that session stops reconnecting; the channel
   * fails with `TIDINGS_AUTH_FAILED` once every session has (with `binds: 2`, the server sees
   * twice as many attempts). EngageLab refuses credentials by closing the connection right after
   * the bind, with no response. Default 3.
   */
  maxBindFailures: int(1, 1_000).default(3),
  /**
   * `data_coding` of the JSON body: `ucs2` (0x08, the default, as the page recommends so `{}`
   * survive), or `default` (0x00, the JSON's ASCII bytes as they are) only where the route passes
   * `{}` unchanged. With `default`, non-ASCII characters are written as JSON `\uXXXX` escapes.
   */
  dataCoding: z.enum(['ucs2', 'default']).default('ucs2'),
  /**
   * EngageLab wants recipients in international format with `+` (`+6598765432`). By default a
   * number without `+` is refused; `true` turns `0065 9876-5432`, `65 9876 5432` and the like into
   * `+6598765432` first.
   */
  normalizeRecipients: z.boolean().default(false),
  /** Runtime settings (retries, in-flight limit, deadlines); see `ChannelSettings` in `@tidings/core`. */
  settings: z
    .custom<ChannelSettings>((value) => typeof value === 'object' && value !== null, 'must be an object')
    .optional(),
});

/** What a host writes (defaults optional). */
export type EngageLabChannelOptions<TName extends string = string> = Omit<
  z.input<typeof engagelabOptionsSchema>,
  'name'
> & {
  readonly name?: TName;
};

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
      backupHosts: options.backupHosts,
      tls: typeof options.tls === 'object' ? withoutUndefined(options.tls) : options.tls,
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
