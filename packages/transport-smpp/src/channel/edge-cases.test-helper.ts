import type { SendContext } from '@tidings/core';
import { type DeliveryReport, type InboundMessage, type MessageBase, silentLogger, systemClock } from '@tidings/core';
import { onTestFinished } from 'vitest';
import type { SmppConnectionOptions } from '../channel/connection-options.js';
import { SmppChannel, type SmppChannelConfig, type SubmitPlan } from '../channel/smpp-channel.js';
import { SmscSimulator, type SmscSimulatorOptions } from '../simulator/index.js';
import { connectionTo } from './test-sms-channel.test-helper.js';

/** A channel built directly (no DI), with every base option reachable from a test. */
export class DirectChannel extends SmppChannel<MessageBase> {
  readonly reports: DeliveryReport[] = [];
  readonly inbound: InboundMessage[] = [];

  constructor(overrides: Partial<SmppChannelConfig> & { connection: SmppConnectionOptions }) {
    super({
      name: 'direct',
      kind: 'direct-sms',
      capabilities: { kinds: ['sms'], receipts: true, inbound: true },
      clock: systemClock,
      logger: silentLogger,
      startTimeoutMs: 5_000,
      drainTimeoutMs: 1_000,
      ...overrides,
    });
    this.reports$.subscribe((report) => this.reports.push(report));
    this.inbound$.subscribe((message) => this.inbound.push(message));
  }

  protected toSubmit(message: MessageBase): SubmitPlan {
    return {
      text: message.text ?? message.code ?? '',
      source: { addr: message.from ?? 'Tidings', ton: 5, npi: 0 },
      destination: { addr: message.to.replace(/^\+/, ''), ton: 1, npi: 1 },
    };
  }
}

export async function simulator(options: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start(options);
  onTestFinished(() => sim.stop());
  return sim;
}

export async function startedChannel(
  sim: SmscSimulator,
  overrides: Partial<SmppChannelConfig> = {},
  connection: Partial<SmppConnectionOptions> = {},
): Promise<DirectChannel> {
  const channel = new DirectChannel({ ...overrides, connection: connectionTo(sim, connection) });
  await channel.start();
  onTestFinished(() => channel.stop());
  return channel;
}

export const context = (id = 'm1'): SendContext => ({
  messageId: id,
  attempt: 1,
  signal: new AbortController().signal,
});
