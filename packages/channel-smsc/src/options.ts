import {
  backupHostsOption,
  portOption,
  printableAscii,
  reconnectOption,
  relativeSmppTime,
  requiredString,
  type SmppConnectionOptions,
  smppConnectionFields,
  tlsOptionOf,
  toSmppConnection,
} from '@tidings/transport-smpp';
import { z } from 'zod';
import { isValidSender, senderRule } from './addressing.js';
import { SMSC_PORT, SMSC_TLS_PORT, smscRegions } from './regions.js';
import { buildSystemType } from './system-type.js';

/** SMSC drops a connection after 2 minutes without traffic; keep-alive must come well before. */
const MAX_ENQUIRE_LINK_INTERVAL_MS = 100_000;
/** The reference `validityperiod = 1440` minutes. */
const DEFAULT_VALIDITY_SECONDS = 86_400;
const MIN_VALIDITY_SECONDS = 60;
const MAX_VALIDITY_SECONDS = 30 * 86_400;

const cyrillic = /[\u0400-\u04FF]/;

/**
 * `systemId` and `password`: printable ASCII, at most 64 characters. "The username and password
 * must not be in Russian": Cyrillic is refused with that reason. No message quotes the value, so a
 * password never shows up in an error.
 */
const credential = requiredString()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .superRefine((value, ctx) => {
    if (cyrillic.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: 'must not contain Cyrillic letters: SMSC takes Latin (ASCII) logins and passwords only',
      });
    } else if (!printableAscii.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'must be printable ASCII' });
    }
  });

const host = z
  .string({ error: 'must be a host name or IP address' })
  .trim()
  .min(1, 'must be a host name or IP address')
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'must be a host name or IP address');
/** `MCONn` takes 1 to 9 connections per login. */
const oneToNine = 'must be 1 to 9: SMSC allows at most 9 connections per login (MCON9)';
const tlsFields = z.strictObject({
  ca: z.union([z.string(), z.array(z.string())], { error: 'must be PEM text or a list of PEM texts' }).optional(),
  rejectUnauthorized: z.boolean({ error: 'must be true or false' }).optional(),
  servername: z.string({ error: 'must be a host name' }).min(1, 'must not be empty').optional(),
  cert: z.string({ error: 'must be PEM text' }).optional(),
  key: z.string({ error: 'must be PEM text' }).optional(),
});

const floodSchema = z.strictObject({
  maxMessages: z.int().min(1).max(10_000).default(50),
  minGapMs: z.int().min(1).max(3_600_000).default(30_000),
  /** `hold`: wait until the gap has passed, then send; `refuse`: fail the message. */
  action: z.enum(['hold', 'refuse']).default('hold'),
});

const guardsSchema = z.strictObject({
  /** Refuse the same text to the same recipient within this time; 0 turns the guard off. */
  duplicateWindowMs: z.int().min(0).max(3_600_000).default(60_000),
  /** The per-subscriber flood guard; `false` turns it off. */
  flood: z.union([z.literal(false), floodSchema]).prefault({}),
  /** Every part of a long message must be sent within this time; 0 turns the guard off. */
  partsWithinMs: z.int().min(0).max(3_600_000).default(60_000),
});

/**
 * The options of `smscChannel(options)`: plain data (JSON-serialisable), checked when the plugin
 * is created. Unknown keys are refused, so a typo fails at startup.
 */
export const smscOptionsSchema = z
  .strictObject({
    // name (default `smsc`), timeouts, maxBindFailures, settings: as every SMPP channel.
    ...smppConnectionFields,
    /** Which site's SMPP servers: primary and backup host. Default `smscentre.com`. */
    region: z.enum(['smscentre.com', 'smsc.kz']).default('smscentre.com'),
    /** Overrides the region's primary host (then only `backupHosts` back it up). */
    host: host.optional(),
    /** Default 3700, or 3443 with TLS. */
    port: portOption.optional(),
    /** Failover hosts, tried in order; a backup without `port` uses the primary's. Default: the region's backup host. */
    backupHosts: backupHostsOption(host).max(8).optional(),
    /** SMPP over TLS (port 3443): `true`, or `{ ca, rejectUnauthorized, servername, cert, key }`. Default false. */
    tls: tlsOptionOf(tlsFields).default(false),
    /** The account login (SMPP `system_id`). */
    systemId: credential,
    /** The SMPP password created on the account's "Passwords for access" page. Never logged. */
    password: credential,
    /**
     * Built by the channel (`MCONn`, `ISO`, `SINGLE`), so not an option: a hand-written one would
     * drop the flags the channel relies on.
     */
    systemType: z
      .never({
        error:
          'is built by the channel from maxConnections / binds (MCONn), iso (ISO) and single (SINGLE): set those instead',
      })
      .optional(),
    /**
     * SMSC's reference settings bind as a transceiver (`transceiver-mode = true`). A separate
     * receiver would be another connection with the same login, which SMSC ends unless `MCON`
     * allows it: the option exists so a config asking for another mode fails here.
     */
    bindMode: z
      .literal('transceiver', {
        error:
          'SMSC takes a transceiver bind (transceiver-mode = true; a separate receiver would end the transmitter without MCON): use "transceiver" or leave it out',
      })
      .optional(),
    /** Sessions this channel binds, 1 to 9. More than one announces `MCONn` (SMSC kicks an older bind otherwise). */
    binds: z.int().min(1, oneToNine).max(9, oneToNine).default(1),
    /**
     * `MCONn`: simultaneous connections the login allows across all processes (1 to 9), set on
     * every connection. Default: `binds` when more than one.
     */
    maxConnections: z.int().min(1, oneToNine).max(9, oneToNine).optional(),
    /** Max pending submits per connection (`max-pending-submits`): 300, up to 2000 for mass mailings. */
    window: z
      .int()
      .min(1, 'must be 1 to 2000 pending submits')
      .max(2_000, 'must be 1 to 2000 pending submits')
      .default(300),
    /** SMS parts (submit_sm) per second over all connections; the provider's default is 30. */
    maxPerSecond: smppConnectionFields.maxPerSecond.unwrap().max(10_000).default(30),
    /** Keep-alive `enquire_link`: SMSC drops a connection idle for 2 minutes. Default 60 s. */
    enquireLinkIntervalMs: z
      .int()
      .min(100, 'must be at least 100 ms')
      .max(
        MAX_ENQUIRE_LINK_INTERVAL_MS,
        `must be at most ${MAX_ENQUIRE_LINK_INTERVAL_MS} ms: SMSC drops a connection idle for 2 minutes`,
      )
      .default(60_000),
    /** Reconnect backoff. Default 1 s doubling to 30 s, jitter 0.5. */
    reconnect: reconnectOption({ maxMultiplier: 10 }).optional(),
    /** `ISO`: `coding = 1` (data_coding 4) means ISO-8859-1 instead of GSM. */
    iso: z.boolean().default(false),
    /** `SINGLE`: a status and a distinct id per SMS part of a long message. */
    single: z.boolean().default(false),
    /** Default sender (`source_addr`); empty for the account's default sender. */
    sender: z
      .string({ error: 'must be a string' })
      .refine((value) => isValidSender(value), senderRule)
      .optional(),
    /** `validity_period` of messages without `validitySeconds`: the reference `validityperiod = 1440` minutes. */
    validitySeconds: z
      .int()
      .min(
        MIN_VALIDITY_SECONDS,
        `must be ${MIN_VALIDITY_SECONDS} to ${MAX_VALIDITY_SECONDS} seconds (1 minute to 30 days)`,
      )
      .max(
        MAX_VALIDITY_SECONDS,
        `must be ${MIN_VALIDITY_SECONDS} to ${MAX_VALIDITY_SECONDS} seconds (1 minute to 30 days)`,
      )
      .default(DEFAULT_VALIDITY_SECONDS),
    /** Ask for delivery receipts over SMPP (`registered_delivery`); else statuses go to the account's HTTP handler. */
    receipts: z.boolean().default(true),
    /** How long the channel holds its sends after the provider's speed error. Default 1 s. */
    throttlePauseMs: z.int().min(1).max(600_000).default(1_000),
    /** Client-side guards mirroring the server's protections; on by default. */
    guards: guardsSchema.prefault({}),
  })
  .superRefine((options, ctx) => {
    if (options.maxConnections !== undefined && options.maxConnections < options.binds) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxConnections'],
        message: `must be at least "binds" (${options.binds}): SMSC would end the extra connections`,
      });
    }
  });

/** What `smscChannel` takes. */
export type SmscOptions = z.input<typeof smscOptionsSchema>;
/** The options with every default filled in, as the channel receives them. */
export type ResolvedSmscOptions = z.output<typeof smscOptionsSchema>;

/** The MCON value announced: explicit, else the binds when more than one. */
export function mconOf(options: ResolvedSmscOptions): number | undefined {
  return options.maxConnections ?? (options.binds > 1 ? options.binds : undefined);
}

/** SMSC options → the transport's connection options. */
export function toConnectionOptions(options: ResolvedSmscOptions): SmppConnectionOptions {
  const region = smscRegions[options.region];
  const tls = options.tls === false ? undefined : options.tls;
  const systemType = buildSystemType({ mcon: mconOf(options), iso: options.iso, single: options.single });
  return {
    ...toSmppConnection({
      ...options,
      host: options.host ?? region.host,
      port: options.port ?? (tls === undefined ? SMSC_PORT : SMSC_TLS_PORT),
      backupHosts:
        options.backupHosts ?? (options.host === undefined ? [{ host: region.backupHost, port: undefined }] : []),
      tls,
      systemType: systemType === '' ? undefined : systemType,
    }),
    // Reference settings: transceiver-mode = true, interface-version = 34.
    bindMode: 'transceiver',
    addressing: { interfaceVersion: 0x34 },
  };
}

/** The default `validity_period` (relative). */
export function defaultValidity(options: ResolvedSmscOptions): string {
  return relativeSmppTime(options.validitySeconds);
}
