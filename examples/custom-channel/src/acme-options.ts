import {
  durationMsOption,
  portOption,
  requiredString,
  type SmppChannelOptions,
  type SmppConnectionOptions,
  smppConnectionFields,
  toSmppConnection,
} from '@tidings/transport-smpp';
import { z } from 'zod';
import { senderAddress, senderRule } from './acme-address.js';
import { defaultRouteBusyRetryMs, defaultThrottlePauseMs } from './acme-statuses.js';

/** Acme's SMPP port (TLS: 3550). */
export const acmePort = 2775;
/** Acme answers at most 50 unanswered submits per session. */
export const acmeMaxWindow = 50;
/** The account rate unless the contract says more, in submits per second. */
export const acmeDefaultRate = 10;

/**
 * Options of an Acme SMS channel: plain data, so they can come from a config file. Acme binds
 * transceivers only, so there is no `bindMode`.
 */
export interface AcmeOptions extends Omit<SmppChannelOptions, 'bindMode' | 'port'> {
  /** Instance name used in `send`. Default `acme`. */
  readonly name?: string | undefined;
  /** Default 2775. */
  readonly port?: number | undefined;
  /** Unanswered submits per session, at most 50. Default 50. */
  readonly window?: number | undefined;
  /** Submits per second over all sessions. Default 10, the account rate. */
  readonly maxPerSecond?: number | undefined;
  /** The default sender: a long number, a short code or a name (see the page). */
  readonly sender: string;
  /** Ask for delivery receipts (`registered_delivery` 1). Default true. */
  readonly receipts?: boolean | undefined;
  /** How long `0x58` holds the channel. Default 1000, as the page says; change it only in tests. */
  readonly throttlePauseMs?: number | undefined;
  /** How long after `0x0404` a message is resent. Default 2000, as the page says; change it only in tests. */
  readonly routeBusyRetryMs?: number | undefined;
}

/** The options after validation, defaults filled in. */
export interface ResolvedAcmeOptions extends Omit<AcmeOptions, 'name' | 'port' | 'window' | 'receipts'> {
  readonly name: string;
  readonly port: number;
  readonly window: number;
  readonly maxPerSecond: number;
  readonly receipts: boolean;
  readonly throttlePauseMs: number;
  readonly routeBusyRetryMs: number;
}

// Acme binds transceivers only: the common `bindMode` is left out, so the strict object refuses it.
const { bindMode: _transceiverOnly, ...common } = smppConnectionFields;

/** The zod schema behind {@link AcmeOptions}; `acmeChannel` applies it through core's `validateOptions`. */
export const acmeOptionsSchema = z.strictObject({
  ...common,
  name: z.string({ error: 'must be a string' }).default('acme'),
  port: portOption.default(acmePort),
  window: z
    .int({ error: `must be an integer from 1 to ${acmeMaxWindow}` })
    .min(1, `must be an integer from 1 to ${acmeMaxWindow}`)
    .max(acmeMaxWindow, `must be at most ${acmeMaxWindow}: Acme answers at most ${acmeMaxWindow} submits at a time`)
    .default(acmeMaxWindow),
  maxPerSecond: z.number().positive().default(acmeDefaultRate),
  sender: requiredString(': the default sender (source_addr)').refine(
    (sender) => senderAddress(sender) !== undefined,
    senderRule,
  ),
  receipts: z.boolean({ error: 'must be true or false' }).default(true),
  throttlePauseMs: durationMsOption.default(defaultThrottlePauseMs),
  routeBusyRetryMs: durationMsOption.default(defaultRouteBusyRetryMs),
});

/** The SMPP connection the channel opens: always a transceiver. */
export function connectionOptions(options: ResolvedAcmeOptions): SmppConnectionOptions {
  return { ...toSmppConnection(options), bindMode: 'transceiver' };
}
