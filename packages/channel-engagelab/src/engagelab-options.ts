import {
  hostOption,
  printableAscii,
  requiredString,
  type SmppChannelOptions,
  type SmppConnectionOptions,
  smppConnectionFields,
  type TlsOptionObject,
  tlsOptionOf,
  toSmppConnection,
} from '@tidings/transport-smpp';
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
export interface EngageLabOptions extends Omit<SmppChannelOptions, 'host' | 'bindMode'> {
  /** The instance name hosts use in `send`. Default `engagelab`. */
  readonly name?: string | undefined;
  /** Default `otpsmpp.api.engagelab.cc`. */
  readonly host?: string | undefined;
  /** Issued by EngageLab with the account. */
  readonly port: number;
  /** The SMPP `system_id` EngageLab issued. */
  readonly systemId: string;
  /** The SMPP `password` EngageLab issued (printable ASCII, at most 64 characters); never logged nor shown in errors. */
  readonly password: string;
  /**
   * EngageLab takes `bind_transceiver` (0x00000009) only; any other bind mode gets `generic_nack`.
   * The option exists so a config that asks for another mode fails here, not at the first bind.
   */
  readonly bindMode?: 'transceiver' | undefined;
  /**
   * Rate cap over all sessions, in SMS parts (submit_sm) per second; at EngageLab one message is
   * one submit_sm. Default: no cap.
   */
  readonly maxPerSecond?: number | undefined;
  /** Keep-alive `enquire_link` interval: 30 s ± 5 s by the provider page (25 000–35 000). Default 30 000. */
  readonly enquireLinkIntervalMs?: number | undefined;
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
}

/** `tls` as an object: a private CA, SNI or a client certificate. */
export type EngageLabTlsOptions = TlsOptionObject;

const tlsFields = z.strictObject({
  ca: z.union([z.string(), z.array(z.string())], { error: 'must be PEM text or a list of PEM texts' }).optional(),
  rejectUnauthorized: z.boolean({ error: 'must be true or false' }).optional(),
  servername: z.string({ error: 'must be a host name' }).min(1, 'must not be empty').optional(),
  cert: z.string({ error: 'must be PEM text' }).optional(),
  key: z.string({ error: 'must be PEM text' }).optional(),
});

/** The zod schema behind {@link EngageLabOptions}; `engagelabChannel` applies it through core's `validateOptions`. */
export const engagelabOptionsSchema = z.strictObject({
  ...smppConnectionFields,
  name: z.string({ error: 'must be a string' }).default('engagelab'),
  host: hostOption.default(defaultHost),
  tls: tlsOptionOf(
    tlsFields,
    'must be true, false, or an object { ca, rejectUnauthorized, servername, cert, key }',
  ).optional(),
  systemId: requiredString()
    .min(1, 'must not be empty: use the system_id EngageLab issued')
    .max(64, 'must be at most 64 characters')
    .regex(printableAscii, 'must be printable ASCII'),
  password: smppConnectionFields.password.min(1, 'must not be empty: use the password EngageLab issued'),
  bindMode: z
    .literal('transceiver', {
      error:
        'EngageLab accepts bind_transceiver only (other bind modes get generic_nack); use "transceiver" or leave it out',
    })
    .optional(),
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
  maxBindFailures: smppConnectionFields.maxBindFailures.unwrap().default(3),
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
});

/** The options once checked, defaults filled in. */
export type ResolvedEngageLabOptions = z.output<typeof engagelabOptionsSchema>;

/** The SMPP connection the options describe: always a transceiver with keep-alive. */
export function toConnectionOptions(options: ResolvedEngageLabOptions): SmppConnectionOptions {
  return { ...toSmppConnection(options), bindMode: 'transceiver' };
}
