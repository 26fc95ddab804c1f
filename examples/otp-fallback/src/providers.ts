/**
 * Where the two providers are. By default: two SMSC simulators started in this process on
 * 127.0.0.1 — one behaving like Telegram Gateway, one like SMSC. THIS is the part to replace for a
 * real deployment: set the environment variables below and the same program talks to your real
 * accounts (nothing else changes).
 *
 *   TELEGRAM_SMPP_HOST, TELEGRAM_SMPP_PORT, TELEGRAM_SYSTEM_ID, TELEGRAM_PASSWORD, TELEGRAM_SENDER
 *   SMSC_LOGIN, SMSC_SMPP_PASSWORD, optional SMSC_REGION (smscentre.com | smsc.kz), SMSC_SENDER
 *   OTP_TO: the phone number that receives the code
 */

import type { SmscOptions } from '@tidings/channel-smsc';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import type { TelegramOptions } from '@tidings/channel-telegram';
import { telegramSimulatorProfile } from '@tidings/channel-telegram/simulator';
import { type SimulatorProfile, SmscSimulator } from '@tidings/transport-smpp/simulator';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Providers {
  readonly telegram: TelegramOptions;
  readonly smsc: SmscOptions;
  /** The embedded simulators, when no real account is configured. */
  readonly simulated?: SimulatedProviders;
  /** The recipient of a real run (`OTP_TO`). */
  readonly recipient?: string;
  stop(): Promise<void>;
}

export interface SimulatedProviders {
  readonly telegram: SmscSimulator;
  readonly smsc: SmscSimulator;
  /** A Telegram user whose receipt the simulated gateway holds back: Telegram is "too slow" for them. */
  readonly slowRecipient: string;
  /** A Telegram user whose code is delivered at once. */
  readonly fastRecipient: string;
}

const telegramVars = ['TELEGRAM_SMPP_HOST', 'TELEGRAM_SMPP_PORT', 'TELEGRAM_SYSTEM_ID', 'TELEGRAM_PASSWORD'] as const;
const smscVars = ['SMSC_LOGIN', 'SMSC_SMPP_PASSWORD'] as const;

/** Real accounts when the environment names one, else the embedded simulators. */
export async function startProviders(env: Env): Promise<Providers> {
  const wanted = [...telegramVars, ...smscVars, 'OTP_TO'] as const;
  if (!wanted.some((name) => env[name] !== undefined)) return startSimulatedProviders();
  const missing = wanted.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`real providers need these environment variables too: ${missing.join(', ')}`);
  }
  return {
    telegram: {
      host: env.TELEGRAM_SMPP_HOST as string,
      port: Number(env.TELEGRAM_SMPP_PORT),
      systemId: env.TELEGRAM_SYSTEM_ID as string,
      password: env.TELEGRAM_PASSWORD as string,
      // The service name agreed with the provider.
      sender: env.TELEGRAM_SENDER ?? 'Tidings',
      validitySeconds: 300,
    },
    smsc: {
      systemId: env.SMSC_LOGIN as string,
      password: env.SMSC_SMPP_PASSWORD as string,
      region: env.SMSC_REGION === 'smsc.kz' ? 'smsc.kz' : 'smscentre.com',
      sender: env.SMSC_SENDER,
    },
    recipient: env.OTP_TO as string,
    stop: async () => {},
  };
}

/** Two simulators on free ports of 127.0.0.1, with the providers' own simulator profiles. */
export async function startSimulatedProviders(): Promise<Providers & { readonly simulated: SimulatedProviders }> {
  const slowRecipient = '+79030000002';
  const telegram = await SmscSimulator.start({
    profile: holdReceiptsFor(telegramSimulatorProfile(), [slowRecipient]),
  });
  const smsc = await SmscSimulator.start({ profile: smscSimulatorProfile() }).catch(async (error: unknown) => {
    await telegram.stop();
    throw error;
  });
  const account = { systemId: 'test', password: 'secret' } as const;
  return {
    telegram: {
      host: telegram.host,
      port: telegram.port,
      ...account,
      sender: 'Tidings',
      // Stop quickly; no keep-alive needed for a run of a few seconds.
      enquireLinkIntervalMs: 0,
      unbindTimeoutMs: 500,
    },
    smsc: {
      host: smsc.host,
      port: smsc.port,
      // No real backup host behind the simulator.
      backupHosts: [],
      ...account,
      sender: 'Tidings',
    },
    simulated: { telegram, smsc, slowRecipient, fastRecipient: '+79030000001' },
    stop: async () => {
      await Promise.all([telegram.stop(), smsc.stop()]);
    },
  };
}

/**
 * Wraps a simulator profile: messages to these recipients are accepted as usual, but their
 * delivery receipt is held back (send it later with `sim.sendReceipt`). On a real gateway this is
 * a user whose Telegram is offline, or a gateway that is slow today.
 */
function holdReceiptsFor(profile: SimulatorProfile, recipients: readonly string[]): SimulatorProfile {
  const digits = (address: string): string => address.replace(/\D/g, '');
  const held = new Set(recipients.map(digits));
  const decide = profile.onSubmit;
  return {
    ...profile,
    async onSubmit(submit, ctx) {
      const decision = await decide?.call(profile, submit, ctx);
      const accepted = decision !== 'no-response' && (decision?.status ?? 0) === 0;
      if (!accepted || !held.has(digits(submit.destination_addr))) return decision;
      return { ...decision, receipt: false };
    },
  };
}
