/**
 * The four providers of the demo, each an embedded SMSC simulator on 127.0.0.1 running that
 * provider's profile, and the four channel plugins pointing at them. Nothing leaves the machine.
 */

import { engagelabChannel } from '@tidings/channel-engagelab';
import { engagelabSimulatorProfile } from '@tidings/channel-engagelab/simulator';
import { smscChannel } from '@tidings/channel-smsc';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { smsorgChannel } from '@tidings/channel-smsorg';
import { smsorgSimulatorProfile } from '@tidings/channel-smsorg/simulator';
import { telegramChannel } from '@tidings/channel-telegram';
import { telegramSimulatorProfile } from '@tidings/channel-telegram/simulator';
import { createTidings } from '@tidings/core';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';

/** The channel instance names, in the order the story introduces them. */
export const channelNames = ['telegram', 'smsc', 'engagelab', 'smsorg'] as const;
export type DemoChannel = (typeof channelNames)[number];

/**
 * Simulator-only logins. The channels send them in `bind_transceiver`; the demo never prints them
 * (its test checks that no password shows up in the output).
 */
export const demoAccounts = {
  telegram: { systemId: 'demo-partner', password: 'tg-demo-secret' },
  smsc: { systemId: 'demo', password: 'smsc-demo-secret' },
  engagelab: { systemId: 'acme', password: 'el-demo-secret' },
  // smsorg user names have the form XXXX.X.
  smsorg: { systemId: '1234.5', password: 'so-demo-secret' },
} as const satisfies Record<DemoChannel, { systemId: string; password: string }>;

/** The Telegram Gateway account may not send to this number: its submits get `0x0B`. */
export const blockedTelegramRecipient = '+79990000013';
/** The service name agreed with Telegram Gateway (`source_addr`). */
export const telegramServiceName = 'DemoCodes';
/** How long a receipt takes at every simulated provider: short, yet long enough to see `accepted` come first. */
const receiptDelayMs = 120;
/** How long `0x58` / ESME_RTHROTTLED holds a channel in the demo. The providers' pages say 5 s or 1 s. */
export const throttlePauseMs = 400;

/** One simulator per provider. */
export type DemoSimulators = Readonly<Record<DemoChannel, SmscSimulator>>;

/** Which profile each simulator runs, as the banner shows it. */
export const profileNames: Readonly<Record<DemoChannel, string>> = {
  telegram: 'Telegram Gateway',
  smsc: 'SMSC (smscentre.com)',
  engagelab: 'EngageLab OTP',
  smsorg: 'smsorg.ru',
};

/** Starts the four simulators on free ports; on a failure, stops the ones already started. */
export async function startSimulators(): Promise<DemoSimulators> {
  const started: SmscSimulator[] = [];
  const start = async (options: Parameters<typeof SmscSimulator.start>[0]): Promise<SmscSimulator> => {
    const sim = await SmscSimulator.start({ host: '127.0.0.1', port: 0, ...options });
    started.push(sim);
    return sim;
  };
  try {
    return {
      telegram: await start({
        accounts: [demoAccounts.telegram],
        profile: telegramSimulatorProfile({
          serviceNames: [telegramServiceName],
          blockedRecipients: [blockedTelegramRecipient],
        }),
        receipts: { delayMs: receiptDelayMs },
      }),
      smsc: await start({
        accounts: [demoAccounts.smsc],
        profile: smscSimulatorProfile(),
        receipts: { delayMs: receiptDelayMs },
      }),
      engagelab: await start({
        accounts: [demoAccounts.engagelab],
        profile: engagelabSimulatorProfile({ templates: ['login-otp'] }),
        receipts: { delayMs: receiptDelayMs },
      }),
      smsorg: await start({
        accounts: [demoAccounts.smsorg],
        profile: smsorgSimulatorProfile({ deliveryDelayMs: receiptDelayMs }),
      }),
    };
  } catch (error) {
    await stopSimulators(started);
    throw error;
  }
}

export async function stopSimulators(sims: Iterable<SmscSimulator>): Promise<void> {
  await Promise.allSettled([...sims].map((sim) => sim.stop()));
}

/**
 * The four plugins, as a host would configure them for real accounts, except for the host and
 * port of each simulator and shortened pauses. Every option is plain data, checked right here.
 */
export function demoPlugins(sims: DemoSimulators) {
  const at = (sim: SmscSimulator) => ({ host: sim.host, port: sim.port });
  return [
    telegramChannel({
      ...at(sims.telegram),
      ...demoAccounts.telegram,
      sender: telegramServiceName,
      validitySeconds: 300,
      throttlePauseMs,
    }),
    // No backup host: the region's default backup is a real SMSC server.
    smscChannel({ ...at(sims.smsc), backupHosts: [], ...demoAccounts.smsc, sender: 'Acme', throttlePauseMs }),
    engagelabChannel({ ...at(sims.engagelab), ...demoAccounts.engagelab }),
    smsorgChannel({ ...at(sims.smsorg), ...demoAccounts.smsorg, sender: 'Acme', throttlePauseMs }),
  ] as const;
}

/** The runtime with the four channels loaded and started. */
export function startRuntime(sims: DemoSimulators) {
  return createTidings({ plugins: demoPlugins(sims) });
}

export type DemoTidings = Awaited<ReturnType<typeof startRuntime>>;
