import { ErrorCode } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { AdaptiveRate, type AdaptiveRateOptions } from './adaptive-rate.js';

function rateAt(options: Omit<AdaptiveRateOptions, 'now'>) {
  const time = { now: 1_000 };
  const rate = new AdaptiveRate({ ...options, now: () => time.now });
  return { rate, time };
}

describe('AdaptiveRate', () => {
  it('starts at the maximum and halves on throttling', () => {
    const { rate } = rateAt({ maxRate: 100 });
    expect(rate.current).toBe(100);
    rate.throttled();
    expect(rate.current).toBe(50);
  });

  it('counts a burst of throttled responses within 250 ms once', () => {
    const { rate, time } = rateAt({ maxRate: 100 });
    rate.throttled();
    time.now += 100;
    rate.throttled();
    time.now += 149;
    rate.throttled();
    expect(rate.current).toBe(50);
    time.now += 1;
    rate.throttled();
    expect(rate.current).toBe(25);
  });

  it('never goes below the minimum (default max/20, at least 1)', () => {
    const { rate, time } = rateAt({ maxRate: 100 });
    for (let i = 0; i < 10; i++) {
      rate.throttled();
      time.now += 250;
    }
    expect(rate.current).toBe(5);
    const small = rateAt({ maxRate: 10 });
    for (let i = 0; i < 10; i++) {
      small.rate.throttled();
      small.time.now += 250;
    }
    expect(small.rate.current).toBe(1);
  });

  it('climbs back linearly from min to max in recoverySeconds', () => {
    const { rate, time } = rateAt({ maxRate: 110, minRate: 10, decreaseFactor: 0.1, recoverySeconds: 10 });
    rate.throttled();
    expect(rate.current).toBe(11);
    time.now += 1_000; // +10/s per second
    rate.succeeded();
    expect(rate.current).toBeCloseTo(21);
    time.now += 4_000;
    rate.succeeded();
    expect(rate.current).toBeCloseTo(61);
    time.now += 60_000;
    rate.succeeded();
    expect(rate.current).toBe(110);
  });

  it('does not climb without time passing', () => {
    const { rate } = rateAt({ maxRate: 100 });
    rate.throttled();
    for (let i = 0; i < 1000; i++) rate.succeeded();
    expect(rate.current).toBe(50);
  });

  it('refuses invalid options', () => {
    const expectInvalid = (options: Omit<AdaptiveRateOptions, 'now'>, message: RegExp) =>
      expect(() => rateAt(options)).toThrow(
        expect.objectContaining({ code: ErrorCode.InvalidOptions, message: expect.stringMatching(message) }),
      );
    expectInvalid({ maxRate: 0 }, /maxRate/);
    expectInvalid({ maxRate: 10, minRate: 20 }, /minRate/);
    expectInvalid({ maxRate: 10, decreaseFactor: 1 }, /decreaseFactor/);
    expectInvalid({ maxRate: 10, recoverySeconds: 0 }, /recoverySeconds/);
  });
});
