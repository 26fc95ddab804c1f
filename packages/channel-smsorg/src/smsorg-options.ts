import type { ChannelSettings } from '@tidings/core';
import {
  hostOption,
  portOption,
  reconnectOption,
  requiredString,
  type SmppChannelOptions,
  type SmppConnectionOptions,
  smppConnectionFields,
  type TlsOptionObject,
  toSmppConnection,
} from '@tidings/transport-smpp';
import { z } from 'zod';
import { senderKind, senderRule } from './addresses.js';
import {
  ALPHANUMERIC_SENDER,
  BIND_DEADLINE_MS,
  NUMERIC_SENDER,
  RESPONSE_DEADLINE_MS,
  SMSORG_BIND_MODES,
  SMSORG_HOST,
  SMSORG_PORT,
  SYSTEM_ID_PATTERN,
} from './smsorg-rules.js';
import { DEFAULT_THROTTLE_PAUSE_MS } from './smsorg-status-table.js';

/**
 * How the channel learns delivery states:
 * - `true` (passive, the provider's preference, the default): `registered_delivery` 1, the server
 *   sends a `deliver_sm` receipt when the message reaches a final state. Needs
 *   `bindMode: 'transceiver'`. `{ mode: 'passive' }` means the same.
 * - `{ mode: 'active' }`: `registered_delivery` 0, the channel polls `query_sm` every `intervalMs`
 *   until a final state, at most `maxAttempts` times and for at most `maxDurationMs` after the submit.
 * - `false` (or `{ mode: 'none' }`): `registered_delivery` 0; a message ends when the provider accepts it.
 */
export type SmsorgReceipts =
  | boolean
  | { readonly mode: 'passive' }
  | {
      readonly mode: 'active';
      /** Between two `query_sm` of one message. Default 5 000 ms. */
      readonly intervalMs?: number | undefined;
      /** `query_sm` per message part at most. Default 120. */
      readonly maxAttempts?: number | undefined;
      /** Polling stops this long after the submit. Default 600 000 ms (10 min). */
      readonly maxDurationMs?: number | undefined;
    }
  | { readonly mode: 'none' };

/** `tls` as an object: a private CA, SNI or a client certificate. */
export type SmsorgTlsOptions = TlsOptionObject;

/** Options of {@link smsorgChannel}: plain data, validated when the plugin is created. */
export interface SmsorgOptions<TName extends string = string>
  extends Omit<SmppChannelOptions, 'name' | 'host' | 'port' | 'bindMode'> {
  /** The instance name hosts use in `send`. Default `smsorg`. */
  readonly name?: TName | undefined;
  /** Default `lcab.smsorg.ru`. */
  readonly host?: string | undefined;
  /** Default 8056. */
  readonly port?: number | undefined;
  /** `true` for TLS with the system CAs; an object for a private CA, SNI or a client certificate. Default false. */
  readonly tls?: boolean | SmsorgTlsOptions | undefined;
  /** The registered user name, of the form `XXXX.X`. */
  readonly systemId: string;
  /** Default `transceiver` (passive receipts and inbound messages need it); smsorg has no `bind_receiver`. */
  readonly bindMode?: 'transmitter' | 'transceiver' | undefined;
  /** The agreed speed, in SMS parts (submit_sm) per second over all sessions. Default: no cap. */
  readonly maxPerSecond?: number | undefined;
  /** Default sender (a number or an alphanumeric name); a message's `from` wins. */
  readonly sender?: string | undefined;
  /**
   * The default validity, in seconds (sent as a relative `validity_period`), for messages without
   * `validitySeconds`. Default: none (smsorg's own).
   */
  readonly validitySeconds?: number | undefined;
  /** TON / NPI by sender kind. Default numeric 1/1, alphanumeric 5/0. */
  readonly senderAddressing?:
    | {
        readonly numeric?: { readonly ton: number; readonly npi: number } | undefined;
        readonly alphanumeric?: { readonly ton: number; readonly npi: number } | undefined;
      }
    | undefined;
  /** Default `true` (passive); see {@link SmsorgReceipts}. */
  readonly receipts?: SmsorgReceipts | undefined;
  /** Offset from UTC of the dates in receipt texts, in minutes. Default 0. */
  readonly receiptUtcOffsetMinutes?: number | undefined;
  /** How long `ESME_RTHROTTLED` and `ESME_RMSGQFUL` hold submits. Default 1 000 ms. */
  readonly throttlePauseMs?: number | undefined;
  /** TCP connect. Default 10 000 ms. */
  readonly connectTimeoutMs?: number | undefined;
  /** From bind sent to bind response; below the server's 10 s bind deadline. Default 8 000 ms. */
  readonly bindTimeoutMs?: number | undefined;
  /** Per request (`submit_sm`, `query_sm`). Default 30 000 ms. */
  readonly responseTimeoutMs?: number | undefined;
  /** How long an `enquire_link` may go unanswered before the session is dropped. Default: the transport's. */
  readonly enquireLinkTimeoutMs?: number | undefined;
  /** How long `stop()` waits for the `unbind_resp`. Default: the transport's. */
  readonly unbindTimeoutMs?: number | undefined;
  /** Longest wait before answering a server PDU; below the server's 1 min deadline. Default 5 000 ms. */
  readonly serverRequestTimeoutMs?: number | undefined;
  /** Runtime settings (retry policy, receipt deadline…) over the plugin's defaults. */
  readonly settings?: ChannelSettings | undefined;
}

// Node fires a timer set beyond 2^31-1 ms after 1 ms.
export const maxTimerMs = 2_147_483_647;
const duration = (max = maxTimerMs, why = `must be at most ${max} ms`) =>
  z.int('must be an integer number of milliseconds').min(1, 'must be at least 1 ms').max(max, why);
/** A backup host without `host` is named as a bad host, not "is required". */
const hostName = z.string('must be a host name or IP address').trim().min(1, 'must be a host name or IP address');
const tonNpi = z.strictObject({ ton: z.int().min(0).max(255), npi: z.int().min(0).max(255) });
const receiptModes = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('passive') }),
    z.strictObject({
      mode: z.literal('active'),
      intervalMs: duration().default(5_000),
      maxAttempts: z.int().min(1).max(100_000).default(120),
      maxDurationMs: duration().default(600_000),
    }),
    z.strictObject({ mode: z.literal('none') }),
  ],
  {
    error: 'must be true (passive), false (none), or { mode: "active", intervalMs?, maxAttempts?, maxDurationMs? }',
  },
);
/** `true` is passive receipts, `false` none; the channel sees the `{ mode }` form. */
const receiptsSchema = z.preprocess(
  (value) => (value === true ? { mode: 'passive' } : value === false ? { mode: 'none' } : value),
  receiptModes,
);

/** The zod schema of {@link SmsorgOptions}; its output is {@link ResolvedSmsorgOptions}. */
export const smsorgOptionsSchema = z
  .strictObject({
    ...smppConnectionFields,
    name: z.string('must be a string').min(1, 'must not be empty').optional(),
    host: hostOption.default(SMSORG_HOST),
    port: portOption.default(SMSORG_PORT),
    backupHosts: z
      .array(z.strictObject({ host: hostName, port: portOption.optional() }), 'must be an array of { host, port? }')
      .readonly()
      .optional(),
    systemId: requiredString().regex(
      SYSTEM_ID_PATTERN,
      'must have the form XXXX.X (the user name smsorg registered, e.g. "1234.5")',
    ),
    password: smppConnectionFields.password.min(1, 'must not be empty'),
    bindMode: z
      .enum(SMSORG_BIND_MODES, 'must be "transmitter" or "transceiver" (smsorg has no bind_receiver)')
      .default('transceiver'),
    window: smppConnectionFields.window.unwrap().default(10),
    sender: z
      .string('must be a string')
      .refine((sender) => senderKind(sender) !== undefined, senderRule)
      .optional(),
    // SMPP relative time: 1 s up to 99 days 23:59:59.
    validitySeconds: z
      .int('must be a whole number of seconds')
      .min(1, 'must be 1 to 8639999 seconds')
      .max(100 * 86_400 - 1, 'must be 1 to 8639999 seconds')
      .optional(),
    senderAddressing: z
      .strictObject({ numeric: tonNpi.default(NUMERIC_SENDER), alphanumeric: tonNpi.default(ALPHANUMERIC_SENDER) })
      .prefault({}),
    receipts: receiptsSchema.default({ mode: 'passive' }),
    receiptUtcOffsetMinutes: z.int().min(-720).max(840).default(0),
    throttlePauseMs: duration(600_000).default(DEFAULT_THROTTLE_PAUSE_MS),
    connectTimeoutMs: duration().default(10_000),
    // The server closes a connection 10 s after the TCP connect unless it bound: waiting longer is pointless.
    bindTimeoutMs: duration(
      BIND_DEADLINE_MS - 1,
      'must be below 10 000 ms: smsorg closes a connection that has not bound 10 s after the TCP connect',
    ).default(8_000),
    responseTimeoutMs: duration().default(30_000),
    enquireLinkIntervalMs: smppConnectionFields.enquireLinkIntervalMs.unwrap().default(30_000),
    enquireLinkTimeoutMs: duration().optional(),
    unbindTimeoutMs: duration().optional(),
    // The server closes a session that leaves one of its PDUs unanswered 1 minute: answer well before.
    serverRequestTimeoutMs: duration(
      RESPONSE_DEADLINE_MS / 2,
      'must be at most 30 000 ms: smsorg closes a session that leaves one of its PDUs unanswered 1 minute',
    ).default(5_000),
    reconnect: reconnectOption({ delay: duration(), maxMultiplier: 100 }).optional(),
    // A plain object (not an array), checked field by field by core when the plugin is defined.
    settings: z
      .custom<ChannelSettings>(
        (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
        'must be an object of runtime settings',
      )
      .optional(),
  })
  .superRefine((options, ctx) => {
    if (options.receipts.mode === 'passive' && options.bindMode === 'transmitter') {
      ctx.addIssue({
        code: 'custom',
        path: ['receipts'],
        message:
          'passive receipts arrive as deliver_sm, which a bind_transmitter session never receives: use bindMode "transceiver", or receipts { mode: "active" } (query_sm polling)',
      });
    }
    const receipts = options.receipts;
    if (receipts.mode === 'active' && receipts.intervalMs > receipts.maxDurationMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['receipts', 'intervalMs'],
        message: `is longer than receipts.maxDurationMs (${receipts.intervalMs} > ${receipts.maxDurationMs} ms): not a single query_sm would be sent`,
      });
    }
  });

/** The options with every default filled in, as the channel receives them. */
export type ResolvedSmsorgOptions = z.output<typeof smsorgOptionsSchema>;

/** The SMPP connection of resolved options. */
export function toConnectionOptions(options: ResolvedSmsorgOptions): SmppConnectionOptions {
  return { ...toSmppConnection(options), serverRequestTimeoutMs: options.serverRequestTimeoutMs };
}
