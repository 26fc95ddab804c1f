import { ManualClock } from '@tidings/core/testing';
import { describe, expect, it } from 'vitest';
import { SMSC_DUPLICATE_WINDOW_MS, UnansweredAttempts } from './unanswered-attempts.js';

describe('UnansweredAttempts: attempts SMSC may hold, within its one-minute identical-request window', () => {
  it('says how long ago the unanswered attempt started, until the window has passed', () => {
    const clock = new ManualClock(0);
    const attempts = new UnansweredAttempts(SMSC_DUPLICATE_WINDOW_MS, () => clock.now());
    attempts.record('m1', 0);
    clock.advance(59_999);
    expect(attempts.since('m1')).toBe(59_999);
    expect(attempts.since('m2')).toBeUndefined();
    clock.advance(1);
    expect(attempts.since('m1')).toBeUndefined();
    expect(attempts.size).toBe(0);
  });

  it('forgets a message once it is answered', () => {
    const attempts = new UnansweredAttempts(60_000, () => 0);
    attempts.record('m1', 0);
    attempts.forget('m1');
    expect(attempts.since('m1')).toBeUndefined();
  });
});
