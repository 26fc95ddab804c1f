import { ManualClock } from '@tidings/core/testing';
import { describe, expect, it } from 'vitest';
import { FloodGuard } from './flood-guard.js';

const subscriber = '77011234567';

/** A message that passes the guard now and is accepted at once. */
function sendAccepted(guard: FloodGuard, recipient: string, messageId: string): void {
  expect(guard.waitFor(recipient, messageId)).toEqual({ until: 'now' });
  guard.take(recipient, messageId);
  guard.settle(recipient, messageId, 'accepted');
}

describe('FloodGuard: more than 50 messages to one subscriber less than 30 s apart', () => {
  it('lets 50 through, holds the 51st until 30 s after the 50th was accepted, then starts a new run', () => {
    const clock = new ManualClock(0);
    const guard = new FloodGuard({ maxMessages: 50, minGapMs: 30_000 }, () => clock.now());
    for (let i = 0; i < 50; i++) {
      sendAccepted(guard, subscriber, `m${i}`);
      clock.advance(29_999);
    }
    // 29 999 ms after the 50th: the 51st would still be in the run.
    expect(guard.waitFor(subscriber, 'm50')).toEqual({ until: 'gap', ms: 1 });
    expect(guard.waitFor('77019999999', 'other')).toEqual({ until: 'now' });
    clock.advance(1);
    sendAccepted(guard, subscriber, 'm50');
    sendAccepted(guard, subscriber, 'm51');
  });

  it('a gap of 30 s or more breaks the run, and broken runs are forgotten', () => {
    const clock = new ManualClock(0);
    const guard = new FloodGuard({ maxMessages: 2, minGapMs: 30_000 }, () => clock.now());
    sendAccepted(guard, 'a', '1');
    sendAccepted(guard, 'a', '2');
    expect(guard.waitFor('a', '3')).toEqual({ until: 'gap', ms: 30_000 });
    clock.advance(30_000);
    sendAccepted(guard, 'a', '3');
    sendAccepted(guard, 'a', '4');
    expect(guard.waitFor('a', '5')).toEqual({ until: 'gap', ms: 30_000 });
    expect(guard.size).toBe(1);
    clock.advance(30_000);
    guard.waitFor('b', '6');
    expect(guard.size).toBe(0);
  });

  it('counts a message when it passes, and measures the gap from when SMSC accepted it (not from hand-over)', () => {
    const clock = new ManualClock(0);
    const guard = new FloodGuard({ maxMessages: 2, minGapMs: 1_000 }, () => clock.now());
    guard.take('a', '1');
    guard.take('a', '2');
    // Both are on their way (in the rate limiter, the window): the third waits for them.
    expect(guard.waitFor('a', '3')).toEqual({ until: 'in-flight' });
    clock.advance(5_000);
    guard.settle('a', '1', 'accepted');
    expect(guard.waitFor('a', '3')).toEqual({ until: 'in-flight' });
    clock.advance(200);
    guard.settle('a', '2', 'accepted');
    // The gap runs from the last acceptance (5 200), not from when they were handed over (0).
    expect(guard.waitFor('a', '3')).toEqual({ until: 'gap', ms: 1_000 });
  });

  it('counts a message once however many attempts it takes; one that surely did not go does not count', () => {
    const clock = new ManualClock(0);
    const guard = new FloodGuard({ maxMessages: 2, minGapMs: 1_000 }, () => clock.now());
    // Throttled twice, then accepted: one message.
    for (const outcome of ['not-sent', 'not-sent', 'accepted'] as const) {
      expect(guard.waitFor('a', '1')).toEqual({ until: 'now' });
      guard.take('a', '1');
      guard.settle('a', '1', outcome);
    }
    sendAccepted(guard, 'a', '2');
    expect(guard.waitFor('a', '3')).toEqual({ until: 'gap', ms: 1_000 });
    // A retry of a message already in the run passes: it is the same message.
    expect(guard.waitFor('a', '2')).toEqual({ until: 'now' });
  });

  it('an attempt that may have reached SMSC keeps counting, even when its resend is refused', () => {
    const clock = new ManualClock(0);
    const guard = new FloodGuard({ maxMessages: 1, minGapMs: 1_000 }, () => clock.now());
    guard.take('a', '1');
    guard.settle('a', '1', 'unknown');
    guard.take('a', '1');
    guard.settle('a', '1', 'not-sent');
    expect(guard.waitFor('a', '2')).toEqual({ until: 'gap', ms: 1_000 });
  });

  it('wakes the messages waiting for a subscriber when an attempt to it is answered', () => {
    const guard = new FloodGuard({ maxMessages: 1, minGapMs: 1_000 }, () => 0);
    const woken: string[] = [];
    guard.onSettle('a', () => woken.push('first'));
    const cancel = guard.onSettle('a', () => woken.push('cancelled'));
    guard.onSettle('b', () => woken.push('other subscriber'));
    cancel();
    guard.take('a', '1');
    guard.settle('a', '1', 'accepted');
    expect(woken).toEqual(['first']);
  });
});
