/**
 * Where the provider is. By default: an SMSC simulator started in this process on 127.0.0.1,
 * behaving like smsorg.ru (its own simulator profile), where a few numbers do not exist and a few
 * phones are off. THIS is the part to replace for a real deployment: set the environment variables
 * below and the same program sends through your smsorg account.
 *
 *   SMSORG_SYSTEM_ID, SMSORG_PASSWORD (the registered user name `XXXX.X` and its password)
 *   optional SMSORG_HOST, SMSORG_PORT (default lcab.smsorg.ru:8056), SMSORG_SENDER
 *   BULK_RECIPIENTS_FILE: one phone number per line
 */
import { readFile } from 'node:fs/promises';
import type { SmsorgOptions } from '@tidings/channel-smsorg';
import { smsorgSimulatorProfile } from '@tidings/channel-smsorg/simulator';
import { CommandStatus } from '@tidings/transport-smpp';
import { type SimulatorProfile, SmscSimulator } from '@tidings/transport-smpp/simulator';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Provider {
  /** The channel's connection and account; the throughput cap is added by the caller. */
  readonly smsorg: SmsorgOptions;
  /** Who gets the campaign. */
  readonly recipients: readonly string[];
  /** The embedded simulator, when no real account is configured. */
  readonly simulator?: SmscSimulator;
  stop(): Promise<void>;
}

export interface SimulatedProviderOptions {
  /** How many recipients to make up. */
  readonly count: number;
  /** From the submit to the delivery receipt. Default 200 ms. */
  readonly deliveryDelayMs?: number;
  /**
   * The speed agreed with the provider: above it, submits get ESME_RTHROTTLED. Default: no limit.
   * The simulator shares this process's event loop: when the loop lags it reads a backlog of
   * submits at once and may count more than that within its second. The channel then pauses and
   * goes on slower, as it would with a real provider (the summary counts these as `throttled`).
   */
  readonly maxPerSecond?: number;
}

/** The real account when the environment names one, else the simulator and `count` made-up recipients. */
export async function startProvider(env: Env, simulated: SimulatedProviderOptions): Promise<Provider> {
  const wanted = ['SMSORG_SYSTEM_ID', 'SMSORG_PASSWORD', 'BULK_RECIPIENTS_FILE'] as const;
  if (!wanted.some((name) => env[name] !== undefined)) return startSimulatedProvider(simulated);
  const missing = wanted.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`a real account needs these environment variables too: ${missing.join(', ')}`);
  }
  const file = await readFile(env.BULK_RECIPIENTS_FILE as string, 'utf8');
  return {
    smsorg: {
      host: env.SMSORG_HOST,
      port: env.SMSORG_PORT === undefined ? undefined : Number(env.SMSORG_PORT),
      systemId: env.SMSORG_SYSTEM_ID as string,
      password: env.SMSORG_PASSWORD as string,
      sender: env.SMSORG_SENDER,
    },
    recipients: file
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    stop: async () => {},
  };
}

/** Made-up numbers the simulated provider refuses (they do not exist): ending in 13. */
export const isUnknownNumber = (to: string): boolean => to.endsWith('13');
/** Made-up numbers whose phone is off (the receipt says UNDELIV): ending in 42. */
export const isPhoneOff = (to: string): boolean => to.endsWith('42');

/**
 * `count` recipients, `+79001000000` onwards; every 50th is malformed (a typo in the list) so that
 * the channel refuses it before sending.
 */
export function madeUpRecipients(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (i % 50 === 49 ? `+7900-typo-${i}` : `+${79_001_000_000 + i}`));
}

export async function startSimulatedProvider(
  options: SimulatedProviderOptions,
): Promise<Provider & { simulator: SmscSimulator }> {
  const account = { systemId: '1234.5', password: 'secret' };
  const simulator = await SmscSimulator.start({
    accounts: [account],
    profile: withSubscribers(
      smsorgSimulatorProfile({ deliveryDelayMs: options.deliveryDelayMs ?? 200, maxPerSecond: options.maxPerSecond }),
    ),
  });
  return {
    smsorg: { host: simulator.host, port: simulator.port, ...account, sender: 'Tidings' },
    recipients: madeUpRecipients(options.count),
    simulator,
    stop: () => simulator.stop(),
  };
}

/**
 * Wraps the smsorg profile with a subscriber base: unknown numbers are refused
 * (`ESME_RINVDSTADR`), phones that are off get an `UNDELIV` receipt. Everything else is the
 * provider's own behaviour.
 */
function withSubscribers(profile: SimulatorProfile): SimulatorProfile {
  const decide = profile.onSubmit;
  return {
    ...profile,
    async onSubmit(submit, ctx) {
      const decision = await decide?.call(profile, submit, ctx);
      if (decision !== undefined) return decision; // the provider's own refusal
      if (isUnknownNumber(submit.destination_addr)) return { status: CommandStatus.ESME_RINVDSTADR };
      if (isPhoneOff(submit.destination_addr)) return { receipt: { stat: 'UNDELIV', err: '1' } };
      return undefined;
    },
  };
}
