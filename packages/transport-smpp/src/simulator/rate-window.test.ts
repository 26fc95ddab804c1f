import { describe, expect, it } from 'vitest';
import { RateWindow } from './rate-window.js';

describe('RateWindow', () => {
  it('admits max submits in any one second, the next one a second after the first', () => {
    let now = 10_000;
    const window = new RateWindow(3, () => now);
    expect([window.admit(), window.admit(), window.admit(), window.admit()]).toEqual([true, true, true, false]);
    now = 10_999;
    expect(window.admit()).toBe(false);
    now = 11_000;
    expect([window.admit(), window.admit(), window.admit(), window.admit()]).toEqual([true, true, true, false]);
  });

  it('slides: no burst of twice the rate across a clock-second boundary', () => {
    let now = 10_900;
    const window = new RateWindow(2, () => now);
    expect([window.admit(), window.admit()]).toEqual([true, true]);
    // A new clock second, but the two submits at 10.9 s are still within the last second.
    now = 11_100;
    expect(window.admit()).toBe(false);
    now = 11_900;
    expect([window.admit(), window.admit(), window.admit()]).toEqual([true, true, false]);
  });

  it('gives no place to refused submits', () => {
    let now = 0;
    const window = new RateWindow(1, () => now);
    expect(window.admit()).toBe(true);
    now = 500;
    expect(window.admit()).toBe(false);
    // Had the refusal at 500 ms counted, this one would be refused until 1.5 s.
    now = 1_000;
    expect(window.admit()).toBe(true);
  });

  it('stays exact over many windows (the array is compacted as it goes)', () => {
    let now = 0;
    const window = new RateWindow(100, () => now);
    let admitted = 0;
    for (let ms = 0; ms < 10_000; ms++) {
      now = ms;
      if (window.admit()) admitted++;
      if (window.admit()) admitted++;
    }
    // 100 in each of the ten seconds.
    expect(admitted).toBe(1_000);
  });
});
