/**
 * Where the two providers are. By default: two SMSC simulators started in this process on
 * 127.0.0.1 — one behaving like Telegram Gateway (some users may not receive codes), one like
 * SMSC (some phones are off). THIS is the part to replace for a real deployment: set the
 * environment variables below and the same consumers watch your real traffic.
 *
 *   TELEGRAM_SMPP_HOST, TELEGRAM_SMPP_PORT, TELEGRAM_SYSTEM_ID, TELEGRAM_PASSWORD, TELEGRAM_SENDER
 *   SMSC_LOGIN, SMSC_SMPP_PASSWORD, optional SMSC_REGION (smscentre.com | smsc.kz), SMSC_SENDER
 *   REACTIVE_TO: comma-separated phone numbers that each get a code (Telegram, else SMS)
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
  readonly simulated?: { readonly telegram: SmscSimulator; readonly smsc: SmscSimulator };
  /** The recipients of a real run (`REACTIVE_TO`). */
  readonly recipients?: readonly string[];
  stop(): Promise<void>;
}

/** Telegram users the simulated gateway may not send codes to (it answers 0x0B). */
export const blockedTelegramUsers = ['+79030000003', '+79030000005', '+79030000006', '+79030000008'];
/** Phones the simulated SMSC cannot reach (the receipt says UNDELIV). */
export const phonesOff = ['+79160000002', '+79160000005'];

/** Real accounts when the environment names one, else the embedded simulators. */
export async function startProviders(env: Env): Promise<Providers> {
  const wanted = [
    'TELEGRAM_SMPP_HOST',
    'TELEGRAM_SMPP_PORT',
    'TELEGRAM_SYSTEM_ID',
    'TELEGRAM_PASSWORD',
    'SMSC_LOGIN',
    'SMSC_SMPP_PASSWORD',
    'REACTIVE_TO',
  ] as const;
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
    },
    smsc: {
      systemId: env.SMSC_LOGIN as string,
      password: env.SMSC_SMPP_PASSWORD as string,
      region: env.SMSC_REGION === 'smsc.kz' ? 'smsc.kz' : 'smscentre.com',
      sender: env.SMSC_SENDER,
    },
    recipients: (env.REACTIVE_TO as string)
      .split(',')
      .map((to) => to.trim())
      .filter((to) => to !== ''),
    stop: async () => {},
  };
}

/** Two simulators on free ports of 127.0.0.1, with the providers' own simulator profiles. */
export async function startSimulatedProviders(): Promise<Providers & Required<Pick<Providers, 'simulated'>>> {
  const telegram = await SmscSimulator.start({
    profile: telegramSimulatorProfile({ blockedRecipients: blockedTelegramUsers }),
  });
  const smsc = await SmscSimulator.start({ profile: withPhonesOff(smscSimulatorProfile(), phonesOff) }).catch(
    async (error: unknown) => {
      await telegram.stop();
      throw error;
    },
  );
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
    // No real backup host behind the simulator.
    smsc: { host: smsc.host, port: smsc.port, backupHosts: [], ...account, sender: 'Tidings' },
    simulated: { telegram, smsc },
    stop: async () => {
      await Promise.all([telegram.stop(), smsc.stop()]);
    },
  };
}

/** Wraps a profile: messages to these numbers are accepted, then their receipt says UNDELIV. */
function withPhonesOff(profile: SimulatorProfile, numbers: readonly string[]): SimulatorProfile {
  const digits = (address: string): string => address.replace(/\D/g, '');
  const off = new Set(numbers.map(digits));
  const decide = profile.onSubmit;
  return {
    ...profile,
    async onSubmit(submit, ctx) {
      const decision = await decide?.call(profile, submit, ctx);
      const accepted = decision !== 'no-response' && (decision?.status ?? 0) === 0;
      if (!accepted || !off.has(digits(submit.destination_addr))) return decision;
      const receipt = typeof decision?.receipt === 'object' ? decision.receipt : {};
      // err 6: SMSC's "the subscriber is offline or out of coverage".
      return { ...decision, receipt: { ...receipt, stat: 'UNDELIV', err: 6 } };
    },
  };
}
