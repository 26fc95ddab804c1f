import { ManualClock } from '@tidings/core/testing';
import { describe, expect, it } from 'vitest';
import { DuplicateGuard } from './duplicate-guard.js';

describe('DuplicateGuard: the same recipient and text within a minute', () => {
  it('refuses another message with the same key inside the window, counted from acceptance', () => {
    const clock = new ManualClock(0);
    const guard = new DuplicateGuard(60_000, () => clock.now());
    expect(guard.claim('k', 'a')).toBeUndefined();
    clock.advance(5_000);
    guard.confirm('k', 'a');
    clock.advance(59_999);
    expect(guard.claim('k', 'b')).toBe(59_999);
    clock.advance(1);
    expect(guard.claim('k', 'b')).toBeUndefined();
  });

  it("lets the same message's retries through, and frees a key whose send surely failed", () => {
    const clock = new ManualClock(0);
    const guard = new DuplicateGuard(60_000, () => clock.now());
    guard.claim('k', 'a');
    expect(guard.claim('k', 'a')).toBeUndefined();
    guard.release('k', 'b');
    expect(guard.claim('k', 'b')).toBe(0);
    guard.release('k', 'a');
    expect(guard.claim('k', 'b')).toBeUndefined();
  });

  it('forgets keys once their window has passed (bounded memory)', () => {
    const clock = new ManualClock(0);
    const guard = new DuplicateGuard(1_000, () => clock.now());
    for (let i = 0; i < 100; i++) guard.claim(`k${i}`, `m${i}`);
    expect(guard.size).toBe(100);
    clock.advance(1_000);
    guard.claim('other', 'x');
    expect(guard.size).toBe(1);
  });
});
