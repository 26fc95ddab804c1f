import { createTidings, type MessageEvent, type Tidings } from '@tidings/core';
import { type SubmitSm, TlvRegistry } from '@tidings/transport-smpp';
import { SmscSimulator, type SmscSimulatorOptions } from '@tidings/transport-smpp/simulator';
import { onTestFinished } from 'vitest';
import type { AcmeMessage } from './acme-message.js';
import type { AcmeOptions } from './acme-options.js';
import { acmeChannel } from './acme-plugin.js';
import { acmeTlvs } from './acme-tlvs.js';
import { type AcmeSimulatorProfileOptions, acmeSimulatorProfile } from './simulator/index.js';

/** The registry a test reads Acme's TLVs with, as the channel does. */
export const tlvs = TlvRegistry.standard.withVendor(acmeTlvs);

/** A simulated Acme SMSC on 127.0.0.1 (a free port), stopped when the test ends. */
export async function startAcme(
  profile: AcmeSimulatorProfileOptions = {},
  options: Omit<SmscSimulatorOptions, 'profile'> = {},
): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start({ ...options, profile: acmeSimulatorProfile(profile) });
  onTestFinished(() => sim.stop());
  return sim;
}

/** Channel options pointing at the simulator, with short pauses and quick retries for tests. */
export function acmeOptions(sim: SmscSimulator, overrides: Partial<AcmeOptions> = {}): AcmeOptions {
  return {
    host: sim.host,
    port: sim.port,
    systemId: 'test',
    password: 'secret',
    sender: 'Acme',
    enquireLinkIntervalMs: 0,
    unbindTimeoutMs: 500,
    reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
    throttlePauseMs: 20,
    routeBusyRetryMs: 30,
    settings: { retry: { initialDelayMs: 5, maxDelayMs: 20, jitter: 0 } },
    ...overrides,
  };
}

/** A runtime with one Acme channel named `acme`, stopped when the test ends, and every event it emits. */
export async function startRuntime(
  sim: SmscSimulator,
  overrides: Partial<AcmeOptions> = {},
): Promise<{ tidings: Tidings<{ acme: AcmeMessage }>; events: MessageEvent[] }> {
  const tidings = await createTidings({ plugins: [acmeChannel(acmeOptions(sim, overrides))] });
  onTestFinished(() => tidings.stop({ timeoutMs: 1_000 }));
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return { tidings, events };
}

export const submits = (sim: SmscSimulator): SubmitSm[] => sim.pdus({ command: 'submit_sm' });

/** The events of one message, by type. */
export function typesOf(events: readonly MessageEvent[], messageId: string): string[] {
  return events.filter((event) => event.messageId === messageId).map((event) => event.type);
}

/** UCS2 (UTF-16BE) bytes as text. */
export function ucs2(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : Buffer.from(bytes).swap16().toString('utf16le');
}
