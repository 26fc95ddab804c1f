import { createTidings, type MessageEvent, type Tidings } from '@tidings/core';
import type { SubmitSm } from '@tidings/transport-smpp';
import { SmscSimulator, type SmscSimulatorOptions } from '@tidings/transport-smpp/simulator';
import { onTestFinished } from 'vitest';
import { type TelegramSimulatorProfileOptions, telegramSimulatorProfile } from './simulator/index.js';
import type { TelegramMessage } from './telegram-message.js';
import type { TelegramOptions } from './telegram-options.js';
import { telegramChannel } from './telegram-plugin.js';

/** A simulated Telegram Gateway on 127.0.0.1, stopped when the test ends. */
export async function startGateway(
  profile: TelegramSimulatorProfileOptions = {},
  options: Omit<SmscSimulatorOptions, 'profile'> = {},
): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start({ ...options, profile: telegramSimulatorProfile(profile) });
  onTestFinished(() => sim.stop());
  return sim;
}

/** Channel options pointing at the simulator, with short pauses and quick retries for tests. */
export function gatewayOptions(sim: SmscSimulator, overrides: Partial<TelegramOptions> = {}): TelegramOptions {
  return {
    host: sim.host,
    port: sim.port,
    systemId: 'test',
    password: 'secret',
    sender: 'TgCodes',
    enquireLinkIntervalMs: 0,
    unbindTimeoutMs: 500,
    reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
    throttlePauseMs: 20,
    settings: { retry: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 } },
    ...overrides,
  };
}

/** A runtime with one Telegram channel named `telegram`, stopped when the test ends, and every event it emits. */
export async function startRuntime(
  sim: SmscSimulator,
  overrides: Partial<TelegramOptions> = {},
): Promise<{
  tidings: Tidings<{ telegram: TelegramMessage }>;
  events: MessageEvent[];
}> {
  const tidings = await createTidings({ plugins: [telegramChannel(gatewayOptions(sim, overrides))] });
  onTestFinished(() => tidings.stop({ timeoutMs: 1_000 }));
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return { tidings, events };
}

export const submits = (sim: SmscSimulator): SubmitSm[] => sim.pdus({ command: 'submit_sm' });

/** UCS2 (UTF-16BE) bytes as text. */
export function ucs2(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : Buffer.from(bytes).swap16().toString('utf16le');
}

/** The events of one message, by type. */
export function typesOf(events: readonly MessageEvent[], messageId: string): string[] {
  return events.filter((event) => event.messageId === messageId).map((event) => event.type);
}
