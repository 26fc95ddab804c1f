import {
  durationMsOption,
  printableAscii,
  requiredString,
  type SmppChannelOptions,
  type SmppConnectionOptions,
  smppConnectionFields,
  type TlsOptionObject,
  toSmppConnection,
} from '@tidings/transport-smpp';
import { z } from 'zod';
import { maxValiditySeconds, minValiditySeconds } from './lifetime.js';
import { defaultThrottlePauseMs } from './telegram-statuses.js';

/**
 * Options of a Telegram Gateway channel: plain data, so they can come from a config file. The
 * provider agrees the host, port, system_id, password, service name and message lifetime with
 * each partner; nothing is public.
 */
export interface TelegramOptions extends SmppChannelOptions {
  /** Instance name used in `send`. Default `telegram`. */
  readonly name?: string | undefined;
  /** `transceiver` (default) or `transmitter`; with `transmitter`, receipts need `receiverBinds`. */
  readonly bindMode?: 'transceiver' | 'transmitter' | undefined;
  /** Extra `bind_receiver` sessions for receipts, with bindMode `transmitter`. Default 0. */
  readonly receiverBinds?: number | undefined;
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
}

/** `tls` as an object: a private CA, SNI or a client certificate. */
export type TelegramTlsOptions = TlsOptionObject;

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

/** The zod schema behind {@link TelegramOptions}; `telegramChannel` applies it through core's `validateOptions`. */
export const telegramOptionsSchema = z
  .strictObject({
    ...smppConnectionFields,
    name: z.string().default('telegram'),
    // The channel sends: a receiver-only bind could not.
    bindMode: z
      .enum(['transceiver', 'transmitter'], {
        error: 'must be "transceiver" or "transmitter" (a receiver-only bind cannot send codes)',
      })
      .default('transceiver'),
    receiverBinds: z.int().min(0).max(64).optional(),
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
    throttlePauseMs: durationMsOption.default(defaultThrottlePauseMs),
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
    ...toSmppConnection(options),
    ...(options.receiverBinds === undefined ? {} : { receiverBinds: options.receiverBinds }),
  };
}
