import { describe, expect, it } from 'vitest';
import { DuplicateBlocker, duplicateWindowMs } from './duplicate-blocker.js';
import { PartnerQueue } from './partner-queue.js';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('lets the first N of a second through (12 at 10/s: the last 2 refused), then starts again', () => {
    let now = 5_000;
    const limiter = new RateLimiter(10, () => now);
    const taken = Array.from({ length: 12 }, () => limiter.take());
    expect(taken.filter(Boolean)).toHaveLength(10);
    expect(taken.slice(10)).toEqual([false, false]);
    now = 6_000;
    expect(limiter.take()).toBe(true);
  });
});

describe('PartnerQueue', () => {
  it('refuses while max messages wait, and takes more as they leave', () => {
    let now = 0;
    const queue = new PartnerQueue(2, 100, () => now);
    expect([queue.offer(), queue.offer(), queue.offer()]).toEqual([true, true, false]);
    now = 100;
    expect(queue.size).toBe(0);
    expect(queue.offer()).toBe(true);
  });
});

describe('DuplicateBlocker', () => {
  it('refuses the same text to the same number within 24 hours of an accepted one', () => {
    let now = 0;
    const blocker = new DuplicateBlocker(() => now);
    expect(blocker.isDuplicate('79036550550', 'Code 1234')).toBe(false);
    blocker.record('79036550550', 'Code 1234');
    expect(blocker.isDuplicate('79036550550', 'Code 1234')).toBe(true);
    expect(blocker.isDuplicate('79036550551', 'Code 1234')).toBe(false);
    expect(blocker.isDuplicate('79036550550', 'Code 1235')).toBe(false);
    now = duplicateWindowMs;
    expect(blocker.isDuplicate('79036550550', 'Code 1234')).toBe(false);
  });

  it('remembers only what is recorded: asking does not count as sending', () => {
    const blocker = new DuplicateBlocker(() => 0);
    expect(blocker.isDuplicate('79036550550', 'Code 1234')).toBe(false);
    expect(blocker.isDuplicate('79036550550', 'Code 1234')).toBe(false);
  });

  it('reads the accepted forms of a number as one number', () => {
    const blocker = new DuplicateBlocker(() => 0);
    blocker.record('89036550550', 'Code 1234');
    for (const to of ['79036550550', '+79036550550', '8-903-655-05-50', '89036550550']) {
      expect(blocker.isDuplicate(to, 'Code 1234')).toBe(true);
    }
  });
});
