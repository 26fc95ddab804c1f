import type { ChannelSettings } from '@tidings/core';
import { relativeSmppTime, type SmppConnectionOptions, type TlsSettings } from '@tidings/transport-smpp';
import { z } from 'zod';
import { isValidSender, senderRule } from './addressing.js';
import { SMSC_PORT, SMSC_TLS_PORT, smscRegions } from './regions.js';
import { buildSystemType } from './system-type.js';

/** SMSC drops a connection after 2 minutes without traffic; keep-alive must come well before. */
export const SMSC_IDLE_LIMIT_MS = 120_000;
const MAX_ENQUIRE_LINK_INTERVAL_MS = 100_000;

const cyrillic = /[\u0400-\u04FF]/;
const printableAscii = /^[\x20-\x7E]+$/;

/** "The username and password must not be in Russian": Latin only, said plainly. */
const credential = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} must not be empty`)
    .max(64, `${what} must be at most 64 characters`)
    .superRefine((value, ctx) => {
      if (cyrillic.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message: `${what} must not contain Cyrillic letters: SMSC takes Latin (ASCII) logins and passwords only`,
        });
      } else if (!printableAscii.test(value)) {
        ctx.addIssue({ code: 'custom', message: `${what} must be printable ASCII characters` });
      }
    });

const host = z
  .string()
  .trim()
  .min(1, 'must be a host name or IP address')
  .regex(/^[A-Za-z0-9.:\-[\]]+$/, 'must be a host name or IP address');
const milliseconds = (min: number, max: number) => z.number().int().min(min).max(max);

const tlsSchema = z.union([
  z.boolean(),
  z.strictObject({
    ca: z.union([z.string(), z.array(z.string())]).optional(),
    rejectUnauthorized: z.boolean().optional(),
    servername: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
  }),
]);

const floodSchema = z.strictObject({
  maxMessages: z.number().int().min(1).max(10_000).default(50),
  minGapMs: milliseconds(1, 3_600_000).default(30_000),
  /** `hold`: wait until the gap has passed, then send; `refuse`: fail the message. */
  action: z.enum(['hold', 'refuse']).default('hold'),
});

const guardsSchema = z.strictObject({
  /** Refuse the same text to the same recipient within this time; 0 turns the guard off. */
  duplicateWindowMs: milliseconds(0, 3_600_000).default(60_000),
  /** The per-subscriber flood guard; `false` turns it off. */
  flood: z.union([z.literal(false), floodSchema]).prefault({}),
  /** Every part of a long message must be sent within this time; 0 turns the guard off. */
  partsWithinMs: milliseconds(0, 3_600_000).default(60_000),
});

/**
 * The options of `smscChannel(options)`: plain data (JSON-serialisable), checked when the plugin
 * is created.
 */
export const smscOptionsSchema = z
  .strictObject({
    /** Instance name hosts use in `send`. Default `smsc`. */
    name: z.string().optional(),
    /** Which site's SMPP servers: primary and backup host. Default `smscentre.com`. */
    region: z.enum(['smscentre.com', 'smsc.kz']).default('smscentre.com'),
    /** Overrides the region's primary host (then only `backupHosts` back it up). */
    host: host.optional(),
    /** Failover hosts, on the same port. Default: the region's backup host. */
    backupHosts: z.array(host).max(8).optional(),
    /** Default 3700, or 3443 with TLS. */
    port: z.number().int().min(1).max(65_535).optional(),
    /** SMPP over TLS (port 3443): `true`, or `{ ca, servername, rejectUnauthorized }`. */
    tls: tlsSchema.default(false),
    /** The account login (SMPP `system_id`). */
    systemId: credential('systemId'),
    /** The SMPP password created on the account's "Passwords for access" page. */
    password: credential('password'),
    /** Sessions this channel binds, 1 to 9. More than one announces `MCONn` (SMSC kicks an older bind otherwise). */
    binds: z.number().int().min(1).max(9).default(1),
    /**
     * `MCONn`: simultaneous connections the login allows across all processes (1 to 9), set on
     * every connection. Default: `binds` when more than one.
     */
    maxConnections: z.number().int().min(1).max(9).optional(),
    /** `ISO`: `coding = 1` (data_coding 4) means ISO-8859-1 instead of GSM. */
    iso: z.boolean().default(false),
    /** `SINGLE`: a status and a distinct id per SMS part of a long message. */
    single: z.boolean().default(false),
    /** Default sender (`source_addr`); empty for the account's default sender. */
    sender: z
      .string()
      .refine((value) => isValidSender(value), senderRule)
      .optional(),
    /** Max pending submits per connection (`max-pending-submits`): 300, up to 2000 for mass mailings. */
    window: z.number().int().min(1).max(2_000).default(300),
    /** SMS parts per second over all connections; the provider's default is 30. */
    maxPerSecond: z.number().positive().max(10_000).default(30),
    /** Keep-alive `enquire_link`: SMSC drops a connection idle for 2 minutes. Default 60 s. */
    enquireLinkIntervalMs: milliseconds(100, MAX_ENQUIRE_LINK_INTERVAL_MS).default(60_000),
    /** `validity_period` for messages without `validitySeconds` (reference `validityperiod = 1440` minutes). */
    validityMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .default(1_440),
    /** Ask for delivery receipts over SMPP (`registered_delivery`); else statuses go to the account's HTTP handler. */
    receipts: z.boolean().default(true),
    /** How long the channel holds its sends after the provider's speed error. Default 1 s. */
    throttlePauseMs: milliseconds(1, 600_000).default(1_000),
    /** Deadline of one request's response. Default 30 s. */
    responseTimeoutMs: milliseconds(1, 600_000).optional(),
    /** Reconnect backoff. Default 1 s doubling to 30 s, jitter 0.5. */
    reconnect: z
      .strictObject({
        initialDelayMs: milliseconds(1, 3_600_000).optional(),
        maxDelayMs: milliseconds(1, 3_600_000).optional(),
        multiplier: z.number().min(1).max(10).optional(),
        jitter: z.number().min(0).max(1).optional(),
      })
      .optional(),
    /** Client-side guards mirroring the server's protections; on by default. */
    guards: guardsSchema.prefault({}),
    /** Runtime settings (retry policy, receipt timeout…) under the host's overrides. */
    settings: z
      .custom<ChannelSettings>((value) => typeof value === 'object' && value !== null, 'must be an object')
      .optional(),
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
export type SmscResolvedOptions = z.output<typeof smscOptionsSchema>;

/** The MCON value announced: explicit, else the binds when more than one. */
export function mconOf(options: SmscResolvedOptions): number | undefined {
  return options.maxConnections ?? (options.binds > 1 ? options.binds : undefined);
}

/** SMSC options → the transport's connection options. */
export function toConnectionOptions(options: SmscResolvedOptions): SmppConnectionOptions {
  const region = smscRegions[options.region];
  const tls = options.tls === false ? undefined : options.tls;
  const port = options.port ?? (tls === undefined ? SMSC_PORT : SMSC_TLS_PORT);
  const backups = options.backupHosts ?? (options.host === undefined ? [region.backupHost] : []);
  const systemType = buildSystemType({ mcon: mconOf(options), iso: options.iso, single: options.single });
  return {
    host: options.host ?? region.host,
    port,
    backupHosts: backups.map((backup) => ({ host: backup, port })),
    ...(tls === undefined ? {} : { tls: tls === true ? true : (stripUndefined(tls) as TlsSettings) }),
    systemId: options.systemId,
    password: options.password,
    ...(systemType === '' ? {} : { systemType }),
    // Reference settings: transceiver-mode = true, interface-version = 34.
    bindMode: 'transceiver',
    addressing: { interfaceVersion: 0x34 },
    binds: options.binds,
    window: options.window,
    maxPerSecond: options.maxPerSecond,
    enquireLinkIntervalMs: options.enquireLinkIntervalMs,
    ...(options.responseTimeoutMs === undefined ? {} : { responseTimeoutMs: options.responseTimeoutMs }),
    ...(options.reconnect === undefined
      ? {}
      : { reconnect: stripUndefined(options.reconnect) as NonNullable<SmppConnectionOptions['reconnect']> }),
  };
}

/** The default `validity_period` (relative). */
export function defaultValidity(options: SmscResolvedOptions): string {
  return relativeSmppTime(options.validityMinutes * 60);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
