import { ManualClock, resolveChannel } from '@tidings/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupList, optionsFor, otp, sendContext, startEngageLab } from './engagelab.test-helper.js';
import { engagelabChannel } from './engagelab-plugin.js';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('keep-alive: enquire_link every 30 s (± 5 s), counted from the previous one sent', () => {
  it('with the allowed enquireLinkIntervalMs 35 000, two enquire_link are never more than 35 s apart (answer after 2 s)', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const clock = new ManualClock(0);
    const channel = resolveChannel(engagelabChannel(optionsFor(sim, { enquireLinkIntervalMs: 35_000 })), { clock });
    await channel.start();
    cleanups.add(() => channel.stop());

    // The server is slow to read: the first enquire_link gets its answer 2 s (clock time) after it was sent.
    sim.faults.set({ stopReading: true });
    clock.advance(35_000); // first enquire_link written at t = 35 s
    await pause(100);
    clock.advance(2_000);
    sim.faults.set({ stopReading: false });
    await sim.waitFor({ command: 'enquire_link' });
    await channel.send(otp, sendContext()); // round trip: the enquire_link_resp was read before this
    expect(sim.pdus({ command: 'enquire_link' })).toHaveLength(1);

    // t = 70 s: 35 s after the first one was sent, the page's upper bound.
    clock.advance(33_000);
    await channel.send(otp, sendContext(2));
    await pause(100);
    expect(sim.pdus({ command: 'enquire_link' })).toHaveLength(2);
  });

  it('default options (30 s): an enquire_link answered 6 s late does not push the next one beyond 35 s after it', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const clock = new ManualClock(0);
    const channel = resolveChannel(engagelabChannel(optionsFor(sim)), { clock });
    await channel.start();
    cleanups.add(() => channel.stop());

    sim.faults.set({ stopReading: true });
    clock.advance(30_000); // first enquire_link written at t = 30 s
    await pause(100);
    clock.advance(6_000); // answered at t = 36 s (within enquireLinkTimeoutMs 10 s: the peer is alive)
    sim.faults.set({ stopReading: false });
    await sim.waitFor({ command: 'enquire_link' });
    await channel.send(otp, sendContext());

    clock.advance(29_000); // t = 65 s: 35 s after the first was sent
    await channel.send(otp, sendContext(2));
    await pause(100);
    expect(sim.pdus({ command: 'enquire_link' })).toHaveLength(2);
  });
});
