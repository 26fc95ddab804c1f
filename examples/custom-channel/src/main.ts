/**
 * The Acme SMS channel at work: an embedded Acme simulator on 127.0.0.1, a runtime with the
 * channel, three messages (a login code, a flash SMS under a campaign, one to a phone that is
 * off) and a reply, every event printed as it happens.
 *
 * Run it with `pnpm --filter @tidings/example-custom-channel start`.
 */
import { fileURLToPath } from 'node:url';
import { createTidings, type InboundMessage, type MessageEvent, type TerminalEvent } from '@tidings/core';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { acmeChannel } from './acme-plugin.js';
import { acmeSimulatorProfile } from './simulator/index.js';

export interface MainOptions {
  /** Where lines go. Default: `console.log`. */
  readonly write?: (line: string) => void;
}

export interface MainResult {
  /** Each message's terminal event, by client reference. */
  readonly outcomes: Readonly<Record<string, TerminalEvent>>;
  readonly inbound: readonly InboundMessage[];
  /** Every event seen on `events$`. */
  readonly events: readonly MessageEvent[];
}

export async function main(options: MainOptions = {}): Promise<MainResult> {
  const write = options.write ?? ((line: string) => console.log(line));
  const sim = await SmscSimulator.start({
    profile: acmeSimulatorProfile({ senders: ['Acme', '73311'], undeliverable: ['+4915100000009'] }),
  });
  write(`Acme SMSC simulator listening on ${sim.host}:${sim.port}`);
  try {
    const tidings = await createTidings({
      plugins: [
        acmeChannel({
          host: sim.host,
          port: sim.port,
          systemId: 'test',
          password: 'secret',
          sender: 'Acme',
          enquireLinkIntervalMs: 0,
        }),
      ],
    });
    const events: MessageEvent[] = [];
    const inbound: InboundMessage[] = [];
    tidings.events$.subscribe((event) => {
      events.push(event);
      write(`  ${(event.clientRef ?? '').padEnd(8)} ${event.type.padEnd(11)} ${describeEvent(event)}`);
    });
    tidings.inbound$.subscribe((message) => {
      inbound.push(message);
      write(`  inbound  from ${message.from}: "${message.text}"${message.extras?.optOut ? ' (opt-out)' : ''}`);
    });

    const handles = await Promise.all([
      tidings.send('acme', {
        to: '+4915112345678',
        code: '482913',
        text: 'Your Acme code: {code}',
        clientRef: 'login',
      }),
      tidings.send('acme', {
        to: '+4915187654321',
        text: 'Your table is ready',
        flash: true,
        from: '73311',
        campaign: 'bistro',
        clientRef: 'flash',
      }),
      tidings.send('acme', { to: '+4915100000009', text: 'See you soon', clientRef: 'off' }),
    ]);
    const outcomes: Record<string, TerminalEvent> = {};
    for (const handle of handles) {
      const end = await handle.settled;
      outcomes[end.clientRef ?? handle.id] = end;
    }
    await sim.sendMo({ from: '4915187654321', to: '73311', text: 'STOP' });
    await tidings.stop();
    write('done: every message ended in exactly one terminal event');
    return { outcomes, inbound, events };
  } finally {
    await sim.stop();
  }
}

function describeEvent(event: MessageEvent): string {
  switch (event.type) {
    case 'accepted':
      return `provider id ${event.providerMessageId}, ${event.parts} part(s)`;
    case 'delivered':
      return `price ${String(event.report.extras?.priceMillicents ?? '-')} millicents`;
    case 'undelivered':
      return `${String(event.report.extras?.reason ?? event.report.errorCode)}`;
    case 'rejected':
    case 'failed':
      return `${event.error.code}: ${event.error.message}`;
    default:
      return '';
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
