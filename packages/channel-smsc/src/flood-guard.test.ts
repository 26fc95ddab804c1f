import { ManualClock } from '@tidings/core/testing';
import { describe, expect, it } from 'vitest';
import { FloodGuard } from './flood-guard.js';

describe('FloodGuard: more than 50 messages to one subscriber less than 30 s apart', () => {
  it('lets 50 through, holds the 51st until 30 s after the last, then starts a new run', () => {
    const clock = new ManualClock(0);
    const guard = new FloodGuard({ maxMessages: 50, minGapMs: 30_000 }, () => clock.now());
    for (let i = 0; i < 50; i++) {
      expect(guard.waitFor('77011234567')).toBe(0);
      guard.record('77011234567');
      clock.advance(29_999);
    }
    // 29 999 ms after the 50th: the 51st would still be in the run.
    expect(guard.waitFor('77011234567')).toBe(1);
    expect(guard.waitFor('77019999999')).toBe(0);
    clock.advance(1);
    expect(guard.waitFor('77011234567')).toBe(0);
    guard.record('77011234567');
    expect(guard.waitFor('77011234567')).toBe(0);
  });

  it('a gap of 30 s or more breaks the run', () => {
    const clock = new ManualClock(0);
    const guard = new FloodGuard({ maxMessages: 2, minGapMs: 30_000 }, () => clock.now());
    guard.record('a');
    guard.record('a');
    expect(guard.waitFor('a')).toBe(30_000);
    clock.advance(30_000);
    guard.record('a');
    guard.record('a');
    expect(guard.waitFor('a')).toBe(30_000);
    expect(guard.size).toBe(1);
    clock.advance(30_000);
    guard.waitFor('b');
    expect(guard.size).toBe(0);
  });
});
