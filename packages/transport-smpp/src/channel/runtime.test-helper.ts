import {
  type ChannelSettings,
  createTidings,
  type Logger,
  type MessageEvent,
  type MessageHandle,
  type TerminalEvent,
  type Tidings,
} from '@tidings/core';
import { expect, onTestFinished } from 'vitest';
import { SmscSimulator, type SmscSimulatorOptions } from '../simulator/index.js';
import type { SmppConnectionOptions } from './connection-options.js';
import { connectionTo, type TestSmsOptions, testSms } from './test-sms-channel.test-helper.js';

/** The full runtime (what users see) over one test channel bound to its own simulator. */
export interface RuntimeHarness {
  readonly sim: SmscSimulator;
  readonly tidings: Tidings;
  /** Every event of `tidings.events$`, in order. */
  readonly events: MessageEvent[];
}

export interface HarnessOptions {
  readonly simulator?: SmscSimulatorOptions;
  readonly connection?: Partial<SmppConnectionOptions>;
  readonly channel?: Partial<Omit<TestSmsOptions, 'connection'>>;
  readonly settings?: ChannelSettings;
  readonly logger?: Logger;
}

/** Quick retries and deadlines, so faults play out in milliseconds. */
export const quickSettings: ChannelSettings = {
  retry: { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 10 },
  receiptTimeoutMs: 30_000,
};

/** A simulator and a runtime, both stopped when the test ends. */
export async function startSimulator(options: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start(options);
  onTestFinished(() => sim.stop());
  return sim;
}

/** The runtime over the test channel, connected to `sim`; stopped when the test ends. */
export async function startRuntime(sim: SmscSimulator, options: HarnessOptions = {}): Promise<RuntimeHarness> {
  const plugin = testSms(
    'sms',
    {
      sender: 'Tidings',
      ...options.channel,
      connection: connectionTo(sim, { window: 50, responseTimeoutMs: 2_000, ...options.connection }),
    },
    options.settings ?? quickSettings,
  );
  const tidings = (await createTidings({
    plugins: [plugin],
    ...(options.logger ? { logger: options.logger } : {}),
  })) as unknown as Tidings;
  onTestFinished(() => tidings.stop({ timeoutMs: 2_000 }));
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return { sim, tidings, events };
}

export async function startHarness(options: HarnessOptions = {}): Promise<RuntimeHarness> {
  return startRuntime(await startSimulator(options.simulator), options);
}

/** Sends `count` one-part messages to distinct numbers. */
export function sendMany(tidings: Tidings, count: number, from = 0): Promise<MessageHandle[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) =>
      tidings.send('sms', { to: `+1555${String(from + i).padStart(7, '0')}`, text: `code ${from + i}` }),
    ),
  );
}

export function settleAll(handles: readonly MessageHandle[]): Promise<TerminalEvent[]> {
  return Promise.all(handles.map((handle) => handle.settled));
}

/** Every message has exactly one terminal event on `events$`, and it is its last. */
export function expectExactlyOneTerminal(handles: readonly MessageHandle[], events: readonly MessageEvent[]): void {
  const byId = new Map<string, MessageEvent[]>();
  for (const event of events) {
    const own = byId.get(event.messageId);
    if (own) own.push(event);
    else byId.set(event.messageId, [event]);
  }
  for (const { id } of handles) {
    const own = byId.get(id) ?? [];
    expect(own.filter((event) => event.terminal).length, `terminal events of message ${id}`).toBe(1);
    expect(own.at(-1)?.terminal, `message ${id}: its terminal event is its last`).toBe(true);
  }
}

/** How many terminal events of each type, e.g. `{ delivered: 48, rejected: 2 }`. */
export function countByType(settled: readonly TerminalEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of settled) {
    const key = event.type === 'failed' ? `failed:${event.error.code}` : event.type;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Resolves with the first event that matches (already seen or to come). */
export function firstEvent(harness: RuntimeHarness, test: (event: MessageEvent) => boolean): Promise<MessageEvent> {
  const seen = harness.events.find(test);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const subscription = harness.tidings.events$.subscribe((event) => {
      if (!test(event)) return;
      queueMicrotask(() => subscription.unsubscribe());
      resolve(event);
    });
  });
}
