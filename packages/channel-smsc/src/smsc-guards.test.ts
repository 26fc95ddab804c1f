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
      maxPerSecond: 10_000,
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

describe('an unanswered attempt meets the identical-request rule', () => {
  it('a resend SMSC refuses because it took the unanswered first copy ends failed, ambiguous, not rejected', async () => {
    const sim = await startSmsc();
    // The first response comes after the channel's deadline: the attempt is ambiguous, and resent.
    sim.faults.set({ responseDelayMs: 300 });
    const { tidings, events } = await runtime(sim, { responseTimeoutMs: 100 });
    const handle = await tidings.send('smsc', { to, text: 'Your code is 4821' });
    const clearOnRetry = tidings.events$.subscribe((event) => {
      if (event.messageId === handle.id && event.type === 'retrying') sim.faults.clear();
    });
    const end = await handle.settled;
    clearOnRetry.unsubscribe();
    const retrying = events.find((event) => event.messageId === handle.id && event.type === 'retrying');
    expect(retrying).toMatchObject({ error: { code: 'TIDINGS_TIMEOUT', ambiguous: true } });
    // SMSC took the first copy and refused the second as identical (the profile answers 0x45).
    expect(submits(sim)).toHaveLength(2);
    expect(sim.stats.submitResponses.get(0x45)).toBe(1);
    expect(end).toMatchObject({
      type: 'failed',
      error: {
        code: 'SMSC_RESEND_REFUSED',
        ambiguous: true,
        providerStatus: 0x45,
        retry: { kind: 'never' },
        message: expect.stringMatching(/most likely holds the first copy: delivery unknown/),
      },
    });
  });

  it('a resend of an unanswered attempt is still sent, and delivered when SMSC did not keep the first copy', async () => {
    // A server without the identical-request rule stands in for one the first copy never reached.
    const sim = await startSmsc({ duplicateWindowMs: 0 });
    sim.faults.set({ responseDelayMs: 300 });
    const { tidings } = await runtime(sim, { responseTimeoutMs: 100 });
    const handle = await tidings.send('smsc', { to, text: 'Your code is 4821' });
    const clearOnRetry = tidings.events$.subscribe((event) => {
      if (event.messageId === handle.id && event.type === 'retrying') sim.faults.clear();
    });
    const end = await handle.settled;
    clearOnRetry.unsubscribe();
    expect(end.type).toBe('delivered');
    expect(submits(sim)).toHaveLength(2);
  });
});

describe('guard: more than 50 messages to one subscriber less than 30 s apart', () => {
  it('holds the 51st until 30 s after the 50th was accepted, then sends it, inside its attempt', async () => {
    const sim = await startSmsc({ duplicateWindowMs: 0, maxPerSecond: 10_000 });
    const { tidings, events, clock } = await runtimeOnClock(sim);
    for (let i = 0; i < 50; i++) await (await tidings.send('smsc', { to, text: `Update ${i}` })).accepted;
    const held = await tidings.send('smsc', { to, text: 'Update 50' });
    await settle();
    expect(submits(sim)).toHaveLength(50);
    clock.advance(29_999);
    await settle();
    expect(submits(sim)).toHaveLength(50);
    clock.advance(1);
    expect(await held.accepted).toMatchObject({ type: 'accepted' });
    expect(submits(sim)).toHaveLength(51);
    // Held, not retried: no attempt of the retry budget was spent.
    expect(events.some((event) => event.messageId === held.id && event.type === 'retrying')).toBe(false);
  });

  it('holds a burst as long as it takes without spending retry attempts', async () => {
    const sim = await startSmsc({ duplicateWindowMs: 0, maxPerSecond: 10_000 });
    const { tidings, events, clock } = await runtimeOnClock(sim, {
      settings: { submitTimeoutMs: 600_000, retry: { maxAttempts: 2 } },
      guards: { flood: { maxMessages: 1, minGapMs: 1_000, action: 'hold' } },
    });
    // Seven messages to one subscriber at once: the guard lets one through per gap.
    const handles = [];
    for (let i = 0; i < 7; i++) handles.push(await tidings.send('smsc', { to, text: `Alert ${i}` }));
    for (let round = 0; round < 7; round++) {
      await settle();
      expect(submits(sim)).toHaveLength(round + 1);
      clock.advance(1_000);
    }
    await Promise.all(handles.map((handle) => handle.accepted));
    expect(events.filter((event) => event.type === 'retrying' || event.type === 'failed')).toEqual([]);
  });

  it('measures the gap from when SMSC accepted a message: a burst queued in the rate limiter is never blocked', async () => {
    const sim = await startSmsc({ duplicateWindowMs: 0, flood: { maxMessages: 3, minGapMs: 500 } });
    const { tidings } = await runtime(sim, {
      // The account speed, low enough that the burst waits in the rate limiter, not in the guard.
      maxPerSecond: 5,
      guards: { flood: { maxMessages: 3, minGapMs: 500, action: 'hold' } },
    });
    const handles = await Promise.all(
      Array.from({ length: 4 }, (_, i) => tidings.send('smsc', { to, text: `Alert ${i}` })),
    );
    const ends = await Promise.all(handles.map((handle) => handle.settled));
    expect(ends.map((end) => (end.type === 'undelivered' ? smscReceipt(end.report)?.error?.code : end.type))).toEqual([
      'delivered',
      'delivered',
      'delivered',
      'delivered',
    ]);
  }, 15_000);

  it('counts a message once, however many attempts it takes', async () => {
    const sim = await startSmsc({ duplicateWindowMs: 0, maxPerSecond: 10_000 });
    // The server throttles the first two submits: the channel sends the same message three times.
    sim.faults.set({ throttle: { submits: 2 } });
    const { tidings } = await runtime(sim, {
      throttlePauseMs: 10,
      guards: { flood: { maxMessages: 2, action: 'refuse' } },
    });
    const end = await (await tidings.send('smsc', { to, text: 'One message' })).settled;
    expect(end.type).toBe('delivered');
    expect(submits(sim)).toHaveLength(3);
    // It counted once: a second message still fits the run of two.
    expect((await (await tidings.send('smsc', { to, text: 'Two' })).settled).type).toBe('delivered');
    const third = await (await tidings.send('smsc', { to, text: 'Three' })).settled;
    expect(third.type === 'failed' && third.error.code).toBe('SMSC_FLOOD_GUARD');
  });

  it('a held message whose attempt ends (submitTimeoutMs) is not sent, and goes on its retry', async () => {
    const sim = await startSmsc({ duplicateWindowMs: 0, maxPerSecond: 10_000 });
    const { tidings, events, clock } = await runtimeOnClock(sim, {
      settings: { submitTimeoutMs: 1_000, retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 10 } },
      guards: { flood: { maxMessages: 1, minGapMs: 1_500, action: 'hold' } },
    });
    await (await tidings.send('smsc', { to, text: 'First' })).accepted;
    const held = await tidings.send('smsc', { to, text: 'Second' });
    await settle();
    clock.advance(1_000);
    await settle();
    expect(events.find((event) => event.messageId === held.id && event.type === 'retrying')).toMatchObject({
      error: { code: 'TIDINGS_TIMEOUT' },
    });
    expect(submits(sim)).toHaveLength(1);
    // The retry (10 ms later) is held for the rest of the gap, then sent.
    clock.advance(10);
    await settle();
    expect(submits(sim)).toHaveLength(1);
    clock.advance(490);
    expect(await held.accepted).toMatchObject({ type: 'accepted' });
    expect(submits(sim)).toHaveLength(2);
  });

  it('refuses instead when configured (action: refuse), sending nothing', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim, { guards: { flood: { maxMessages: 3, action: 'refuse' } } });
    for (let i = 0; i < 3; i++) await (await tidings.send('smsc', { to, text: `Update ${i}` })).accepted;
    const refused = await (await tidings.send('smsc', { to, text: 'Update 3' })).settled;
    expect(refused).toMatchObject({ type: 'failed', error: { code: 'SMSC_FLOOD_GUARD', retry: { kind: 'never' } } });
    // The error says "this recipient", never the number.
    expect(refused.type === 'failed' && refused.error.message).not.toContain(to.slice(1));
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
  it('stops sending parts past the deadline; the message fails ambiguous and is not resent', async () => {
    const sim = await startSmsc({}, { faults: { noResponse: { everyNth: 2 } } });
    const { tidings, events, clock } = await runtimeOnClock(sim);
    const handle = await tidings.send('smsc', { to, text: 'p'.repeat(400) });
    await sim.waitFor({ command: 'submit_sm', count: 2 });
    await settle();
    clock.advance(60_000);
    expect(await handle.settled).toMatchObject({
      type: 'failed',
      error: {
        code: 'TIDINGS_TIMEOUT',
        ambiguous: true,
        retry: { kind: 'never' },
        details: { partsAccepted: 1, parts: 3, partsWithinMs: 60_000 },
        message: expect.stringMatching(/err 241.*not resent/),
      },
    });
    expect(events.some((event) => event.messageId === handle.id && event.type === 'retrying')).toBe(false);
    // The third part was never sent, nor the message again.
    expect(submits(sim)).toHaveLength(2);
  });

  it("over TCP: a long message whose parts miss the deadline is not resent into SMSC's identical-request refusal", async () => {
    const sim = await startSmsc({}, { faults: { responseDelayMs: 30 } });
    const { tidings, events } = await runtime(sim, { guards: { partsWithinMs: 20 } });
    const handle = await tidings.send('smsc', { to, text: 'x'.repeat(400) });
    const end = await handle.settled;
    expect(end).toMatchObject({ type: 'failed', error: { code: 'TIDINGS_TIMEOUT', ambiguous: true } });
    expect(events.some((event) => event.messageId === handle.id && event.type === 'retrying')).toBe(false);
    // Before, the resend repeated the parts SMSC held, and the message ended "rejected 0x45".
    expect(sim.stats.submitResponses.get(0x45) ?? 0).toBe(0);
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
