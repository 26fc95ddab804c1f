import type { ChannelSettings } from '@tidings/core';
import type { SmppConnectionOptions } from '@tidings/transport-smpp';
import { z } from 'zod';
import { senderKind, senderRule, type TonNpi } from './addresses.js';
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

/**
 * How the channel learns delivery states:
 * - `passive` (the provider's preference): `registered_delivery` 1, the server sends a
 *   `deliver_sm` receipt when the message reaches a final state. Needs `bindMode: 'transceiver'`.
 * - `active`: `registered_delivery` 0, the channel polls `query_sm` every `intervalMs` until a
 *   final state, at most `maxAttempts` times and for at most `maxDurationMs` after the submit.
 * - `none`: `registered_delivery` 0; a message ends when the provider accepts it.
 */
export type SmsorgReceipts =
  | { readonly mode: 'passive' }
  | {
      readonly mode: 'active';
      /** Between two `query_sm` of one message. Default 5 000 ms. */
      readonly intervalMs?: number;
      /** `query_sm` per message part at most. Default 120. */
      readonly maxAttempts?: number;
      /** Polling stops this long after the submit. Default 600 000 ms (10 min). */
      readonly maxDurationMs?: number;
    }
  | { readonly mode: 'none' };

/** Options of {@link smsorgChannel}: plain data, validated when the plugin is created. */
export interface SmsorgOptions<TName extends string = string> {
  /** The instance name hosts use in `send`. Default `smsorg`. */
  readonly name?: TName;
  /** Default `lcab.smsorg.ru`. */
  readonly host?: string;
  /** Default 8056. */
  readonly port?: number;
  /** The registered user name, of the form `XXXX.X`. */
  readonly systemId: string;
  readonly password: string;
  /** Default `transceiver` (receipts and inbound messages need it). */
  readonly bindMode?: 'transmitter' | 'transceiver';
  /** Most unanswered requests per session. Default 10. */
  readonly window?: number;
  /** Throughput cap in SMS parts per second (the speed agreed with smsorg). Default: none. */
  readonly maxPerSecond?: number;
  /** Default sender (a number or an alphanumeric name); a message's `from` wins. */
  readonly sender?: string;
  /** TON / NPI by sender kind. Default numeric 1/1, alphanumeric 5/0. */
  readonly senderAddressing?: { readonly numeric?: TonNpi; readonly alphanumeric?: TonNpi };
  /** Default `{ mode: 'passive' }`. */
  readonly receipts?: SmsorgReceipts;
  /** Offset from UTC of the dates in receipt texts, in minutes. Default 0. */
  readonly receiptUtcOffsetMinutes?: number;
  /** TCP connect. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** From bind sent to bind response; below the server's 10 s bind deadline. Default 8 000 ms. */
  readonly bindTimeoutMs?: number;
  /** Per request (`submit_sm`, `query_sm`). Default 30 000 ms. */
  readonly responseTimeoutMs?: number;
  /** Keep-alive `enquire_link` interval; 0 turns it off. Default 30 000 ms. */
  readonly enquireLinkIntervalMs?: number;
  /** Longest wait before answering a server PDU; below the server's 1 min deadline. Default 5 000 ms. */
  readonly serverRequestTimeoutMs?: number;
  /** Reconnect backoff. Default 1 s doubling to 30 s, jitter 0.5. */
  readonly reconnect?: {
    readonly initialDelayMs?: number;
    readonly maxDelayMs?: number;
    readonly multiplier?: number;
    readonly jitter?: number;
  };
  /** Runtime settings (retry policy, receipt deadline…) over the plugin's defaults. */
  readonly settings?: ChannelSettings;
}

// Node fires a timer set beyond 2^31-1 ms after 1 ms.
export const maxTimerMs = 2_147_483_647;
const duration = (max = maxTimerMs, why = `must be at most ${max} ms`) =>
  z.int('must be an integer number of milliseconds').min(1, 'must be at least 1 ms').max(max, why);
const tonNpi = z.strictObject({ ton: z.int().min(0).max(255), npi: z.int().min(0).max(255) });

const receiptsSchema = z.discriminatedUnion(
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
    error:
      'must be { mode: "passive" }, { mode: "active", intervalMs?, maxAttempts?, maxDurationMs? } or { mode: "none" }',
  },
);

/** The zod schema of {@link SmsorgOptions}; its output is {@link ResolvedSmsorgOptions}. */
export const smsorgOptionsSchema = z
  .strictObject({
    name: z.string().optional(),
    host: z.string().trim().min(1, 'must be a host name or IP address').default(SMSORG_HOST),
    port: z.int().min(1).max(65_535).default(SMSORG_PORT),
    systemId: z
      .string('must be a string')
      .regex(SYSTEM_ID_PATTERN, 'must have the form XXXX.X (the user name smsorg registered, e.g. "1234.5")'),
    // Never echo a password in a message.
    password: z
      .string('must be a string')
      .min(1, 'must not be empty')
      .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII'),
    bindMode: z
      .enum(SMSORG_BIND_MODES, 'must be "transmitter" or "transceiver" (smsorg has no bind_receiver)')
      .default('transceiver'),
    window: z.int().min(1).max(10_000).default(10),
    maxPerSecond: z.number().positive().finite().optional(),
    sender: z
      .string()
      .refine((sender) => senderKind(sender) !== undefined, senderRule)
      .optional(),
    senderAddressing: z
      .strictObject({ numeric: tonNpi.default(NUMERIC_SENDER), alphanumeric: tonNpi.default(ALPHANUMERIC_SENDER) })
      .prefault({}),
    receipts: receiptsSchema.prefault({ mode: 'passive' }),
    receiptUtcOffsetMinutes: z.int().min(-720).max(840).default(0),
    connectTimeoutMs: duration().default(10_000),
    // The server closes a connection 10 s after the TCP connect unless it bound: waiting longer is pointless.
    bindTimeoutMs: duration(
      BIND_DEADLINE_MS - 1,
      'must be below 10 000 ms: smsorg closes a connection that has not bound 10 s after the TCP connect',
    ).default(8_000),
    responseTimeoutMs: duration().default(30_000),
    enquireLinkIntervalMs: z.int().min(0).max(maxTimerMs).default(30_000),
    // The server closes a session that leaves one of its PDUs unanswered 1 minute: answer well before.
    serverRequestTimeoutMs: duration(
      RESPONSE_DEADLINE_MS / 2,
      'must be at most 30 000 ms: smsorg closes a session that leaves one of its PDUs unanswered 1 minute',
    ).default(5_000),
    reconnect: z
      .strictObject({
        initialDelayMs: duration().optional(),
        maxDelayMs: duration().optional(),
        multiplier: z.number().min(1).max(100).optional(),
        jitter: z.number().min(0).max(1).optional(),
      })
      .optional(),
    settings: z
      .custom<ChannelSettings>((value) => typeof value === 'object' && value !== null, 'must be an object')
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
  return {
    host: options.host,
    port: options.port,
    systemId: options.systemId,
    password: options.password,
    bindMode: options.bindMode,
    window: options.window,
    ...(options.maxPerSecond === undefined ? {} : { maxPerSecond: options.maxPerSecond }),
    connectTimeoutMs: options.connectTimeoutMs,
    bindTimeoutMs: options.bindTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs,
    enquireLinkIntervalMs: options.enquireLinkIntervalMs,
    serverRequestTimeoutMs: options.serverRequestTimeoutMs,
    // Absent keys stay absent: the transport keeps its defaults for them.
    ...(options.reconnect === undefined ? {} : { reconnect: definedOnly(options.reconnect) }),
  };
}

function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
