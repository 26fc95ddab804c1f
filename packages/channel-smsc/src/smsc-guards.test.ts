import { createTidings, type MessageEvent, type Tidings } from '@tidings/core';
import { ManualClock } from '@tidings/core/testing';
import type { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmscOptions } from './options.js';
import { smscReceipt } from './receipt-details.js';
import { onCleanup, optionsFor, runCleanups, runtime, startSmsc, submits } from './smsc.test-helper.js';
import { smscChannel } from './smsc-channel-plugin.js';

afterEach(runCleanups);

const to = '+77011234567';

/** A runtime whose time moves only when the test says (guards, deadlines and retries use it). */
async function runtimeOnClock(
  sim: SmscSimulator,
  overrides: Partial<SmscOptions> = {},
): Promise<{ tidings: Tidings; events: MessageEvent[]; clock: ManualClock }> {
  const clock = new ManualClock(Date.now());
  // A frozen clock refills no throughput tokens: a high rate gives a burst big enough for the test.
  const plugin = smscChannel(
    optionsFor(sim, {
      responseTimeoutMs: 600_000,
      throughput: 10_000,
      settings: { submitTimeoutMs: 600_000, retry: { maxAttempts: 3 } },
      ...overrides,
    }),
  );
  const tidings = (await createTidings({ plugins: [plugin], clock })) as unknown as Tidings;
  onCleanup(async () => {
    // stop() drains on the runtime's clock: move it on until the drain deadline has passed.
    let stopped = false;
    const stopping = tidings.stop({ timeoutMs: 1_000 }).finally(() => {
      stopped = true;
    });
    for (let i = 0; i < 100 && !stopped; i++) {
      clock.advance(100);
      await settle(5);
    }
    await stopping;
  });
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return { tidings, events, clock };
}

/** Lets sockets and promises run (no time passes on the manual clock). */
const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe('guard: an identical request (same recipient + text) within 60 s is refused locally', () => {
  it('refuses the copy with SMSC_DUPLICATE_TEXT and sends nothing; other texts and recipients go', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    expect((await (await tidings.send('smsc', { to, text: 'Code 1234' })).settled).type).toBe('delivered');
    const copy = await (await tidings.send('smsc', { to, text: 'Code 1234' })).settled;
    expect(copy).toMatchObject({ type: 'failed', error: { code: 'SMSC_DUPLICATE_TEXT', retry: { kind: 'never' } } });
    await (await tidings.send('smsc', { to, text: 'Code 1235' })).accepted;
    await (await tidings.send('smsc', { to: '+77019999999', text: 'Code 1234' })).accepted;
    expect(submits(sim).map((submit) => submit.destination_addr)).toEqual([
      '77011234567',
      '77011234567',
      '77019999999',
    ]);
  });

  it('lets the same text go again once a minute has passed since it was accepted', async () => {
    const sim = await startSmsc({ duplicateWindowMs: 0 });
    const { tidings, clock } = await runtimeOnClock(sim);
    await (await tidings.send('smsc', { to, text: 'Code 1234' })).accepted;
    clock.advance(59_999);
    const early = await (await tidings.send('smsc', { to, text: 'Code 1234' })).settled;
    expect(early.type === 'failed' && early.error.code).toBe('SMSC_DUPLICATE_TEXT');
    clock.advance(1);
    await (await tidings.send('smsc', { to, text: 'Code 1234' })).accepted;
    expect(submits(sim)).toHaveLength(2);
  });

  it('is configurable: duplicateWindowMs 0 leaves it to the server, which refuses the copy', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim, { guards: { duplicateWindowMs: 0 } });
    await (await tidings.send('smsc', { to, text: 'Code 1234' })).accepted;
    const copy = await (await tidings.send('smsc', { to, text: 'Code 1234' })).settled;
    expect(copy).toMatchObject({ type: 'rejected', error: { code: 'TIDINGS_REJECTED', providerStatus: 0x45 } });
    expect(submits(sim)).toHaveLength(2);
  });
});

describe('guard: more than 50 messages to one subscriber less than 30 s apart', () => {
  it('holds the 51st until 30 s after the 50th, then sends it', async () => {
    const sim = await startSmsc({ duplicateWindowMs: 0, maxPerSecond: 10_000 });
    const { tidings, events, clock } = await runtimeOnClock(sim);
    for (let i = 0; i < 50; i++) await (await tidings.send('smsc', { to, text: `Update ${i}` })).accepted;
    const held = await tidings.send('smsc', { to, text: 'Update 50' });
    await settle();
    const retrying = events.find((event) => event.messageId === held.id && event.type === 'retrying');
    expect(retrying).toMatchObject({ type: 'retrying', delayMs: 30_000, error: { code: 'SMSC_FLOOD_GUARD' } });
    expect(submits(sim)).toHaveLength(50);
    clock.advance(30_000);
    expect(await held.accepted).toMatchObject({ type: 'accepted' });
    expect(submits(sim)).toHaveLength(51);
  });

  it('refuses instead when configured (action: refuse), sending nothing', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim, { guards: { flood: { maxMessages: 3, action: 'refuse' } } });
    for (let i = 0; i < 3; i++) await (await tidings.send('smsc', { to, text: `Update ${i}` })).accepted;
    const refused = await (await tidings.send('smsc', { to, text: 'Update 3' })).settled;
    expect(refused).toMatchObject({ type: 'failed', error: { code: 'SMSC_FLOOD_GUARD', retry: { kind: 'never' } } });
    await (await tidings.send('smsc', { to: '+77019999999', text: 'Update 3' })).accepted;
    expect(submits(sim)).toHaveLength(4);
  });

  it('with the guard off, the server blocks the message with err 251', async () => {
    const sim = await startSmsc({ flood: { maxMessages: 3 } });
    const { tidings } = await runtime(sim, { guards: { flood: false } });
    for (let i = 0; i < 3; i++)
      expect((await (await tidings.send('smsc', { to, text: `U${i}` })).settled).type).toBe('delivered');
    const blocked = await (await tidings.send('smsc', { to, text: 'U3' })).settled;
    expect(blocked.type).toBe('undelivered');
    expect(blocked.type === 'undelivered' && smscReceipt(blocked.report)?.error).toMatchObject({
      code: 251,
      reason: 'number-limit-exceeded',
    });
  });
});

describe('guard: all parts of a long message go out within one minute', () => {
  it('stops sending parts past the deadline; the attempt fails ambiguous (the first part went)', async () => {
    const sim = await startSmsc({}, { faults: { noResponse: { everyNth: 2 } } });
    const { tidings, events, clock } = await runtimeOnClock(sim);
    const handle = await tidings.send('smsc', { to, text: 'p'.repeat(400) });
    await sim.waitFor({ command: 'submit_sm', count: 2 });
    await settle();
    clock.advance(60_000);
    await settle();
    const retrying = events.find((event) => event.messageId === handle.id && event.type === 'retrying');
    expect(retrying).toMatchObject({
      type: 'retrying',
      error: {
        code: 'TIDINGS_TIMEOUT',
        ambiguous: true,
        details: { partsAccepted: 1, parts: 3, partsWithinMs: 60_000 },
      },
    });
    // The third part was never sent.
    expect(submits(sim)).toHaveLength(2);
  });

  it('is off with partsWithinMs 0: the part waits for its own response deadline', async () => {
    const sim = await startSmsc({}, { faults: { noResponse: { everyNth: 2 } } });
    const { tidings, clock } = await runtimeOnClock(sim, { guards: { partsWithinMs: 0 }, responseTimeoutMs: 120_000 });
    const handle = await tidings.send('smsc', { to, text: 'q'.repeat(400) });
    await sim.waitFor({ command: 'submit_sm', count: 2 });
    await settle();
    clock.advance(60_000);
    await settle();
    expect(await Promise.race([handle.settled.then(() => 'settled'), settle(50).then(() => 'pending')])).toBe(
      'pending',
    );
    expect(submits(sim)).toHaveLength(2);
  });
});
