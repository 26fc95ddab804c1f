import { describe, expect, it } from 'vitest';
import type { ChannelOutcome } from './channel-outcome.js';
import { OutcomeWindow } from './outcome-window.js';

const outcome = (at: number, ok: boolean): ChannelOutcome => ({
  channel: 'smsc',
  messageId: String(at),
  ok,
  type: ok ? 'delivered' : 'undelivered',
  at,
});

describe('OutcomeWindow', () => {
  it('keeps the outcomes of the last windowMs and their counts, over many outcomes', () => {
    const window = new OutcomeWindow(100);
    // One outcome a millisecond, every third one failed: the window holds the last 100.
    for (let at = 0; at < 5_000; at++) window.add(outcome(at, at % 3 !== 0));
    expect(window.size).toBe(100);
    expect(window.outcomes().map((o) => o.at)).toEqual(Array.from({ length: 100 }, (_, i) => 4_900 + i));
    const failed = window.outcomes().filter((o) => !o.ok).length;
    expect(window.failed).toBe(failed);
    expect(window.delivered).toBe(100 - failed);
  });

  it('empties on clear', () => {
    const window = new OutcomeWindow(1_000);
    window.add(outcome(0, true));
    window.add(outcome(1, false));
    window.clear();
    expect([window.size, window.delivered, window.failed]).toEqual([0, 0, 0]);
    window.add(outcome(2, false));
    expect([window.size, window.delivered, window.failed]).toEqual([1, 0, 1]);
  });
});
