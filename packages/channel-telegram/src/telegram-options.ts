import type { ChannelSettings } from '@tidings/core';
import type { SmppConnectionOptions } from '@tidings/transport-smpp';
import { z } from 'zod';
import { maxValiditySeconds, minValiditySeconds } from './lifetime.js';
import { defaultThrottlePauseMs } from './telegram-statuses.js';

/**
 * Options of a Telegram Gateway channel: plain data, so they can come from a config file. The
 * provider agrees the host, port, system_id, password, service name and message lifetime with
 * each partner; nothing is public.
 */
export interface TelegramOptions {
  /** Instance name used in `send`. Default `telegram`. */
  readonly name?: string | undefined;
  readonly host: string;
  readonly port: number;
  /** Failover hosts, tried in order when the primary cannot be reached; a backup without `port` uses the primary `port`. */
  readonly backupHosts?: ReadonlyArray<{ readonly host: string; readonly port?: number | undefined }> | undefined;
  /** `true` for TLS with the system CAs; an object for a private CA, SNI or a client certificate. */
  readonly tls?: boolean | TelegramTlsOptions | undefined;
  /** SMPP `system_id`. */
  readonly systemId: string;
  /** SMPP `password` (printable ASCII, at most 64 characters); never logged nor shown in errors. */
  readonly password: string;
  /** SMPP `system_type`, if the provider asks for one (at most 12 characters). Default empty. */
  readonly systemType?: string | undefined;
  /** `transceiver` (default) or `transmitter`; with `transmitter`, receipts need `receiverBinds`. */
  readonly bindMode?: 'transceiver' | 'transmitter' | undefined;
  /** Sessions to bind. Default 1. */
  readonly binds?: number | undefined;
  /** Extra `bind_receiver` sessions for receipts, with bindMode `transmitter`. Default 0. */
  readonly receiverBinds?: number | undefined;
  /** Max unanswered submits per session. Default 10. */
  readonly window?: number | undefined;
  /**
   * The agreed rate, in SMS parts (submit_sm) per second over all sessions; at Telegram Gateway
   * one message is one submit_sm. Submits never go faster; after `0x58` the channel resumes below
   * it and climbs back. Default: no cap.
   */
  readonly maxPerSecond?: number | undefined;
  /**
   * The default sender: the service name agreed with the provider, every submit's `source_addr`
   * unless a message sets `from` (ASCII, 1-20 characters).
   */
  readonly sender: string;
  /**
   * The default validity: the message lifetime agreed with the provider, 30-3600 s, sent as
   * `validity_period` unless a message sets `validitySeconds`. Default: none (the account's).
   */
  readonly validitySeconds?: number | undefined;
  /**
   * `ucs2`: data_coding 8, what the page recommends (default). `gsm7` or `ascii`: data_coding 0,
   * which the provider reads as GSM default alphabet or ASCII, as the account is set.
   */
  readonly encoding?: 'ucs2' | 'gsm7' | 'ascii' | undefined;
  /**
   * How a text over 254 octets is sent: `payload` (default) in one PDU's `message_payload` TLV,
   * `udh` split with UDH. Must match the account's concatenation setting (else `0x500`).
   */
  readonly concatenation?: 'payload' | 'udh' | undefined;
  /** Ask for delivery receipts (`registered_delivery` 1). Default true. */
  readonly receipts?: boolean | undefined;
  /**
   * The default `priority_flag` (0-2; higher goes to the operator first). Priority is off at the
   * provider unless agreed: leave this out, and messages may not set `priority`.
   */
  readonly priority?: number | undefined;
  /** Send a message's `ptag` as the vendor TLV 0x1411. Default true. */
  readonly sendPtag?: boolean | undefined;
  /** How long `0x14` and `0x58` hold submits. Default 5000, as the page says; change it only in tests. */
  readonly throttlePauseMs?: number | undefined;
  readonly connectTimeoutMs?: number | undefined;
  readonly bindTimeoutMs?: number | undefined;
  readonly responseTimeoutMs?: number | undefined;
  /** Keep-alive interval; 0 turns it off. Default 30 s. */
  readonly enquireLinkIntervalMs?: number | undefined;
  /** How long an `enquire_link` may go unanswered before the session is dropped. */
  readonly enquireLinkTimeoutMs?: number | undefined;
  readonly unbindTimeoutMs?: number | undefined;
  /** Reconnect backoff. Default 1 s doubling to 30 s, jitter 0.5. */
  readonly reconnect?:
    | {
        readonly initialDelayMs?: number | undefined;
        readonly maxDelayMs?: number | undefined;
        readonly multiplier?: number | undefined;
        readonly jitter?: number | undefined;
      }
    | undefined;
  /**
   * Refused binds in a row, per session, before that session stops reconnecting; once every
   * session has, the channel goes `failed` with `TIDINGS_AUTH_FAILED`. Default 3.
   */
  readonly maxBindFailures?: number | undefined;
  /** Runtime settings: retries, in-flight limit, deadlines (see `ChannelSettings`). */
  readonly settings?: ChannelSettings | undefined;
}

export interface TelegramTlsOptions {
  readonly ca?: string | readonly string[] | undefined;
  /** Default true. Turn off only for a test server. */
  readonly rejectUnauthorized?: boolean | undefined;
  readonly servername?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

/** The options after validation, defaults filled in. */
export interface ResolvedTelegramOptions
  extends Omit<
    TelegramOptions,
    'name' | 'encoding' | 'concatenation' | 'receipts' | 'sendPtag' | 'throttlePauseMs' | 'bindMode' | 'sender'
  > {
  readonly name: string;
  readonly sender: string;
  readonly bindMode: 'transceiver' | 'transmitter';
  readonly encoding: 'ucs2' | 'gsm7' | 'ascii';
  readonly concatenation: 'payload' | 'udh';
  readonly receipts: boolean;
  readonly sendPtag: boolean;
  readonly throttlePauseMs: number;
}

/** A required option's first rule: "is required" when missing, `rule` for another type. */
const missingOr = (rule: string) => (issue: { readonly input?: unknown }) =>
  issue.input === undefined ? 'is required' : rule;
const port = z
  .int({ error: missingOr('must be a TCP port (1-65535)') })
  .min(1, 'must be a TCP port (1-65535)')
  .max(65_535, 'must be a TCP port (1-65535)');
const hostName = z
  .string({ error: missingOr('must be a host name or IP address') })
  .trim()
  .min(1, 'must be a host name or IP address');
const durationMs = z.int().min(1).max(2_147_483_647);
const printableAscii = /^[\x20-\x7e]*$/;

/** A required string option: "is required" when missing, "must be a string" otherwise; `why` says what it is for. */
const requiredString = (why = '') => z.string({ error: (issue) => `${missingOr('must be a string')(issue)}${why}` });

const tlsObject = z.strictObject({
  ca: z
    .union([z.string(), z.array(z.string())], { error: 'must be a PEM certificate string or an array of them' })
    .optional(),
  rejectUnauthorized: z.boolean({ error: 'must be true or false' }).optional(),
  servername: z.string({ error: 'must be a string' }).optional(),
  cert: z.string({ error: 'must be a PEM certificate string' }).optional(),
  key: z.string({ error: 'must be a PEM private key string' }).optional(),
});

/**
 * `tls`: true, false, or an object checked field by field. Not a `z.union`: a union that fails
 * reports a bare "Invalid input" on `tls`, while a bad field must be named (`tls.ca`…).
 */
const tlsOption = z
  .custom<boolean | z.input<typeof tlsObject>>(() => true)
  .transform((value: unknown, ctx): boolean | z.output<typeof tlsObject> | undefined => {
    if (value === undefined || typeof value === 'boolean') return value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be true, false or an object { ca, rejectUnauthorized, servername, cert, key }',
      });
      return z.NEVER;
    }
    const parsed = tlsObject.safeParse(value);
    if (parsed.success) return parsed.data;
    // The issues keep their paths (`ca`, `rejectUnauthorized`…), prefixed with `tls` by the object around.
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
    return z.NEVER;
  });

/** The zod schema behind {@link TelegramOptions}; `telegramChannel` applies it through core's `validateOptions`. */
export const telegramOptionsSchema = z
  .strictObject({
    name: z.string().default('telegram'),
    host: hostName,
    port,
    backupHosts: z
      .array(z.strictObject({ host: hostName, port: port.optional() }), { error: 'must be a list of { host, port? }' })
      .optional(),
    tls: tlsOption.optional(),
    systemId: requiredString()
      .min(1, 'must not be empty')
      .max(64, 'must be at most 64 characters')
      .regex(printableAscii, 'must be printable ASCII'),
    // Every message is our own, none quotes the value: a password never shows up in errors.
    password: requiredString()
      .max(64, 'must be at most 64 characters')
      .regex(printableAscii, 'must be printable ASCII'),
    systemType: z
      .string({ error: 'must be a string' })
      .max(12, 'must be at most 12 characters')
      .regex(printableAscii, 'must be printable ASCII')
      .optional(),
    // The channel sends: a receiver-only bind could not.
    bindMode: z
      .enum(['transceiver', 'transmitter'], {
        error: 'must be "transceiver" or "transmitter" (a receiver-only bind cannot send codes)',
      })
      .default('transceiver'),
    binds: z.int().min(1).max(64).optional(),
    receiverBinds: z.int().min(0).max(64).optional(),
    window: z.int().min(1).max(10_000).optional(),
    maxPerSecond: z.number().positive().finite().optional(),
    sender: requiredString(': the service name agreed with the provider (source_addr)')
      .min(1, 'must not be empty: use the service name agreed with the provider')
      .max(20, 'must be at most 20 characters (source_addr)')
      .regex(printableAscii, 'must be ASCII (source_addr)'),
    validitySeconds: z
      .int()
      .min(minValiditySeconds, `must be ${minValiditySeconds} to ${maxValiditySeconds} seconds`)
      .max(maxValiditySeconds, `must be ${minValiditySeconds} to ${maxValiditySeconds} seconds`)
      .optional(),
    encoding: z.enum(['ucs2', 'gsm7', 'ascii']).default('ucs2'),
    concatenation: z.enum(['payload', 'udh']).default('payload'),
    receipts: z.boolean().default(true),
    priority: z.int().min(0, 'must be 0, 1 or 2').max(2, 'must be 0, 1 or 2').optional(),
    sendPtag: z.boolean().default(true),
    throttlePauseMs: durationMs.default(defaultThrottlePauseMs),
    connectTimeoutMs: durationMs.optional(),
    bindTimeoutMs: durationMs.optional(),
    responseTimeoutMs: durationMs.optional(),
    enquireLinkIntervalMs: z.int().min(0).max(2_147_483_647).optional(),
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
    maxBindFailures: z.int().min(1).max(1_000).optional(),
    // A plain object (not an array), checked field by field by core when the plugin is defined.
    settings: z.record(z.string(), z.unknown(), { error: 'must be an object of runtime settings' }).optional(),
  })
  .superRefine((options, ctx) => {
    if (options.receiverBinds !== undefined && options.receiverBinds > 0 && options.bindMode !== 'transmitter') {
      ctx.addIssue({
        code: 'custom',
        path: ['receiverBinds'],
        message: 'only makes sense with bindMode "transmitter" (a transceiver receives receipts itself)',
      });
    }
    if (options.receipts && options.bindMode === 'transmitter' && !options.receiverBinds) {
      ctx.addIssue({
        code: 'custom',
        path: ['receiverBinds'],
        message: 'must be at least 1 with bindMode "transmitter" and receipts on: receipts need a receiving bind',
      });
    }
  });

/** The SMPP connection the channel opens. */
export function connectionOptions(options: ResolvedTelegramOptions): SmppConnectionOptions {
  return {
    host: options.host,
    port: options.port,
    // A backup host without a port listens on the primary's.
    backupHosts: options.backupHosts?.map((backup) => ({ host: backup.host, port: backup.port ?? options.port })),
    tls: options.tls as SmppConnectionOptions['tls'],
    systemId: options.systemId,
    password: options.password,
    systemType: options.systemType,
    bindMode: options.bindMode,
    binds: options.binds,
    receiverBinds: options.receiverBinds,
    window: options.window,
    maxPerSecond: options.maxPerSecond,
    connectTimeoutMs: options.connectTimeoutMs,
    bindTimeoutMs: options.bindTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs,
    enquireLinkIntervalMs: options.enquireLinkIntervalMs,
    enquireLinkTimeoutMs: options.enquireLinkTimeoutMs,
    unbindTimeoutMs: options.unbindTimeoutMs,
    reconnect: options.reconnect as SmppConnectionOptions['reconnect'],
    maxBindFailures: options.maxBindFailures,
  };
}
