import { describe, expect, it } from 'vitest';
import { median, pairedRatio } from './stats.js';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(median([Number.NaN, 5])).toBe(5);
  });
});

describe('pairedRatio', () => {
  it('divides round by round, then takes the median', () => {
    // Round 2 ran while the machine was busy: both sides slowed, the ratio did not.
    const ratio = pairedRatio([500, 250, 600], [100, 50, 100]);
    expect(ratio.rounds).toEqual([5, 5, 6]);
    expect(ratio.median).toBe(5);
    expect(ratio.min).toBe(5);
    expect(ratio.max).toBe(6);
  });

  it('refuses runs that are not paired', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/as many rounds/);
  });
});
