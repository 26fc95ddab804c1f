import { readFileSync } from 'node:fs';
import { createTidings, type MessageEvent, type Tidings } from '@tidings/core';
import type { SubmitSm } from '@tidings/transport-smpp';
import { SmscSimulator, type SmscSimulatorOptions } from '@tidings/transport-smpp/simulator';
import type { SmscOptions } from './options.js';
import { type SmscSimulatorProfileOptions, smscSimulatorProfile } from './simulator/index.js';
import { smscChannel } from './smsc-channel-plugin.js';

const cleanups: Array<() => Promise<void>> = [];

/** Runs (in reverse) what the tests started; call from `afterEach`. */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export function onCleanup(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

// A test-only pair (self-signed, 127.0.0.1), as in transport-smpp's fixtures.
const fixtures = new URL('../test/fixtures/tls/', import.meta.url);
export const tlsKey = readFileSync(new URL('key.pem', fixtures), 'utf8');
export const tlsCert = readFileSync(new URL('cert.pem', fixtures), 'utf8');

/** An SMSC simulator on 127.0.0.1 with the SMSC profile; stopped after the test. */
export async function startSmsc(
  profile: SmscSimulatorProfileOptions = {},
  options: Omit<SmscSimulatorOptions, 'profile'> = {},
): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start({ ...options, profile: smscSimulatorProfile(profile) });
  onCleanup(() => sim.stop());
  return sim;
}

/** Channel options pointing at a simulator, with quick reconnects for tests. */
export function optionsFor(sim: SmscSimulator, overrides: Partial<SmscOptions> = {}): SmscOptions {
  return {
    host: sim.host,
    port: sim.port,
    backupHosts: [],
    systemId: 'test',
    password: 'secret',
    reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
    settings: { retry: { initialDelayMs: 10, maxDelayMs: 100, maxAttempts: 10 } },
    ...overrides,
  } as SmscOptions;
}

/** A runtime with one SMSC channel named `smsc`, its events recorded. */
export async function runtime(
  sim: SmscSimulator,
  overrides: Partial<SmscOptions> = {},
): Promise<{ tidings: Tidings; events: MessageEvent[] }> {
  const tidings = (await createTidings({ plugins: [smscChannel(optionsFor(sim, overrides))] })) as unknown as Tidings;
  onCleanup(() => tidings.stop({ timeoutMs: 2_000 }));
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return { tidings, events };
}

export const submits = (sim: SmscSimulator): SubmitSm[] => sim.pdus({ command: 'submit_sm' });
