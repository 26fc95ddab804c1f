/**
 * Tidings quickstart: the smallest host application. One channel plugin (SMSC), one message, its
 * events as they happen, `settled`, stop.
 *
 * Out of the box it sends to an SMSC simulator it starts on 127.0.0.1: no account, no network.
 * To send a real SMS through your SMSC (smscentre.com / smsc.kz) account instead, set SMSC_LOGIN,
 * SMSC_PASSWORD and SMSC_TO (your phone), and optionally SMSC_HOST / SMSC_PORT.
 */
import { fileURLToPath } from 'node:url';
import { type SmscOptions, smscChannel } from '@tidings/channel-smsc';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { createTidings, isSuccessEvent, type MessageEvent, type TerminalEvent } from '@tidings/core';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';

export interface QuickstartOptions {
  /** Where lines go. Default `console.log`. */
  readonly write?: (line: string) => void;
  /** Where SMSC_* are read. Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Sends one message and resolves with its terminal event. */
export async function main({ write = console.log, env = process.env }: QuickstartOptions = {}): Promise<TerminalEvent> {
  // 1. Where to send: your SMSC account, or the embedded simulator (see `smscProvider` below).
  const provider = await smscProvider(env);
  try {
    // 2. The runtime, with one plugin. Options are checked here: a bad one throws TIDINGS_INVALID_OPTIONS.
    const tidings = await createTidings({ plugins: [smscChannel(provider.options)] });
    try {
      // 3. Send. `send('smsc', …)` is type-checked against the SMSC message shape.
      const message = await tidings.send('smsc', { to: provider.to, text: 'Your Acme code: 4821' });

      // 4. Its events, from the first (the handle replays them), then its end.
      message.events$.subscribe((event) => write(describe(event)));
      const end = await message.settled;
      write(isSuccessEvent(end) ? 'Done: delivered.' : `Done: ${end.type}.`);
      return end;
    } finally {
      // 5. Stop: drains what is in flight and closes the connection.
      await tidings.stop();
    }
  } finally {
    await provider.stop();
  }
}

interface Provider {
  readonly options: SmscOptions;
  /** The recipient. */
  readonly to: string;
  readonly stop: () => Promise<void>;
}

/**
 * ▶ Replace with your provider's host and credentials. With SMSC_LOGIN set, this is your real
 * account (SMSC_PASSWORD, SMSC_TO, optional SMSC_HOST / SMSC_PORT); without it, an SMSC simulator
 * on 127.0.0.1 with a made-up login plays the provider, speaking SMPP as SMSC does.
 */
async function smscProvider(env: NodeJS.ProcessEnv): Promise<Provider> {
  if (env.SMSC_LOGIN) {
    if (!env.SMSC_TO) throw new Error('Set SMSC_TO to the phone number to send to (yours: +79161234567).');
    return {
      options: {
        // Without SMSC_HOST: smscentre.com, with its backup host.
        ...(env.SMSC_HOST ? { host: env.SMSC_HOST } : {}),
        ...(env.SMSC_PORT ? { port: Number(env.SMSC_PORT) } : {}),
        systemId: env.SMSC_LOGIN,
        password: env.SMSC_PASSWORD ?? '',
      },
      to: env.SMSC_TO,
      stop: async () => {},
    };
  }
  const account = { systemId: 'quickstart', password: 'simulated' };
  const simulator = await SmscSimulator.start({ profile: smscSimulatorProfile(), accounts: [account] });
  return {
    options: { host: simulator.host, port: simulator.port, backupHosts: [], ...account },
    to: '+79161234567',
    stop: () => simulator.stop(),
  };
}

function describe(event: MessageEvent): string {
  switch (event.type) {
    case 'accepted':
      return `accepted   provider id ${event.providerMessageId}`;
    case 'delivered':
      return `delivered  receipt: ${event.report.state}`;
    case 'retrying':
      return `retrying   in ${event.delayMs} ms (${event.error.code})`;
    case 'rejected':
    case 'failed':
    case 'undelivered':
    case 'expired':
      return `${event.type.padEnd(10)} ${event.error.code}: ${event.error.message}`;
    default:
      return event.type;
  }
}

// `pnpm start` runs this file; the test imports `main`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    (end) => {
      process.exitCode = isSuccessEvent(end) ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
