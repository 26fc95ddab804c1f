import { createTidings, type MessageEvent, type Tidings } from '@tidings/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SmscSimulator, type SmscSimulatorOptions } from '../simulator/index.js';
import type { SmppConnectionOptions } from './connection-options.js';
import { connectionTo, testSms } from './test-sms-channel.test-helper.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  simOptions: SmscSimulatorOptions,
  connection: Partial<SmppConnectionOptions> = {},
): Promise<{ sim: SmscSimulator; tidings: Tidings; events: MessageEvent[] }> {
  const sim = await SmscSimulator.start(simOptions);
  cleanups.push(() => sim.stop());
  const plugin = testSms(
    'sms',
    { connection: connectionTo(sim, { window: 50, ...connection }), sender: 'Tidings' },
    { retry: { initialDelayMs: 10, maxDelayMs: 100, maxAttempts: 20 }, receiptTimeoutMs: 30_000 },
  );
  const tidings = (await createTidings({ plugins: [plugin] })) as unknown as Tidings;
  cleanups.push(() => tidings.stop({ timeoutMs: 5_000 }));
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return { sim, tidings, events };
}

/** Every message has exactly one terminal event, and it is its last. */
function expectExactlyOneTerminal(ids: readonly string[], events: readonly MessageEvent[]): void {
  const byId = new Map<string, MessageEvent[]>();
  for (const event of events) byId.set(event.messageId, [...(byId.get(event.messageId) ?? []), event]);
  for (const id of ids) {
    const own = byId.get(id) ?? [];
    const terminals = own.filter((event) => event.terminal);
    expect(terminals, `message ${id}`).toHaveLength(1);
    expect(own.at(-1)?.terminal, `message ${id}: terminal event last`).toBe(true);
  }
}

describe('reliability over TCP against the simulator', () => {
  for (const mode of ['reset', 'close'] as const) {
    it(`1000 messages through connections ${mode === 'reset' ? 'reset (RST)' : 'closed'} mid-window: each ends exactly once`, async () => {
      const { sim, tidings, events } = await setup({
        faults: { dropAfter: { submits: 250, mode, times: 3 } },
        receipts: { delayMs: 1 },
      });
      const handles = await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          tidings.send('sms', { to: `+1555${String(i).padStart(7, '0')}`, text: `code ${i}` }),
        ),
      );
      const settled = await Promise.all(handles.map((handle) => handle.settled));
      expectExactlyOneTerminal(
        handles.map((handle) => handle.id),
        events,
      );
      // Ambiguous outcomes are retried by default: nothing is lost, everything is delivered.
      expect(settled.filter((event) => event.type !== 'delivered')).toEqual([]);
      expect(sim.stats.connections).toBeGreaterThanOrEqual(4);
      expect(events.some((event) => event.type === 'retrying')).toBe(true);
    });
  }

  it('a throttling storm pauses the channel and resumes without losing a message', async () => {
    const { sim, tidings, events } = await setup({ faults: { throttle: { durationMs: 300 } } });
    const handles = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        tidings.send('sms', { to: `+1555${String(i).padStart(7, '0')}`, text: 'hi' }),
      ),
    );
    const settled = await Promise.all(handles.map((handle) => handle.settled));
    expect(settled.filter((event) => event.type !== 'delivered')).toEqual([]);
    expectExactlyOneTerminal(
      handles.map((handle) => handle.id),
      events,
    );
    expect(sim.stats.submitResponses.get(0x58)).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'retrying')).toBe(true);
  });

  it('messages sent while the server is gone wait for the reconnect and are delivered', async () => {
    const { sim, tidings } = await setup({});
    for (const session of sim.sessions) sim.closeSession(session.id, 'reset');
    const handles = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        tidings.send('sms', { to: `+1555${String(i).padStart(7, '0')}`, text: 'hi' }),
      ),
    );
    const settled = await Promise.all(handles.map((handle) => handle.settled));
    expect(settled.filter((event) => event.type !== 'delivered')).toEqual([]);
  });

  it('when binds start being refused, the channel goes failed and every message ends, none hangs', async () => {
    const { sim, tidings } = await setup({});
    const states: string[] = [];
    tidings.state$('sms').subscribe((state) => states.push(state.status));
    sim.faults.set({ bindFailure: 0x0e });
    for (const session of sim.sessions) sim.closeSession(session.id, 'reset');
    await new Promise<void>((resolve) => {
      const subscription = tidings.state$('sms').subscribe((state) => {
        if (state.status === 'failed') {
          queueMicrotask(() => subscription.unsubscribe());
          resolve();
        }
      });
    });
    expect(states).toContain('reconnecting');
    const handle = await tidings.send('sms', { to: '+15550001', text: 'hi' });
    const end = await handle.settled;
    expect(end.type).toBe('failed');
    expect(end.type === 'failed' && end.error.code).toBe('TIDINGS_AUTH_FAILED');
    // No hot loop: the client stopped after maxBindFailures (3) refused binds.
    expect(sim.stats.bindsRefused).toBe(3);
  });

  it('stop() drains what is in flight: every message still ends in one terminal event', async () => {
    const { tidings, events } = await setup({ faults: { responseDelayMs: 50 }, receipts: { delayMs: 10_000 } });
    const handles = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        tidings.send('sms', { to: `+1555${String(i).padStart(7, '0')}`, text: 'hi' }),
      ),
    );
    await tidings.stop({ timeoutMs: 3_000 });
    const settled = await Promise.all(handles.map((handle) => handle.settled));
    expect(settled).toHaveLength(100);
    expectExactlyOneTerminal(
      handles.map((handle) => handle.id),
      events,
    );
  });
});
