import { ErrorCode } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

function bucketAt(options: { ratePerSecond: number; burst?: number }) {
  const time = { now: 0 };
  const bucket = new TokenBucket({ ...options, now: () => time.now });
  return { bucket, time };
}

describe('TokenBucket', () => {
  it('starts full with a default burst of 100 ms worth', () => {
    const { bucket } = bucketAt({ ratePerSecond: 100 });
    expect(bucket.burst).toBe(10);
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(10);
  });

  it('has a burst of at least 1', () => {
    expect(bucketAt({ ratePerSecond: 2 }).bucket.burst).toBe(1);
  });

  it('returns the wait without taking, and the wait is enough', () => {
    const { bucket, time } = bucketAt({ ratePerSecond: 10, burst: 1 });
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(100);
    time.now = 40;
    expect(bucket.take()).toBe(60);
    time.now = 99;
    expect(bucket.take()).toBe(1);
    time.now = 100;
    expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBe(100);
  });

  it('takes several tokens at once', () => {
    const { bucket, time } = bucketAt({ ratePerSecond: 1000, burst: 5 });
    expect(bucket.take(3)).toBe(0);
    expect(bucket.take(3)).toBe(1);
    time.now = 1;
    expect(bucket.take(3)).toBe(0);
    expect(bucket.available).toBeCloseTo(0);
  });

  it('never holds more than the burst', () => {
    const { bucket, time } = bucketAt({ ratePerSecond: 10, burst: 2 });
    time.now = 60_000;
    expect(bucket.available).toBe(2);
  });

  it('lets a request larger than the burst pass from a full bucket, then charges the debt', () => {
    const { bucket, time } = bucketAt({ ratePerSecond: 10, burst: 2 });
    expect(bucket.take(4)).toBe(0);
    expect(bucket.available).toBe(-2);
    expect(bucket.take(1)).toBe(300);
    time.now = 300;
    expect(bucket.take(4)).toBe(100);
    time.now = 400;
    expect(bucket.take(4)).toBe(0);
  });

  it('changes rate keeping earned tokens, and a default burst follows the rate', () => {
    const { bucket, time } = bucketAt({ ratePerSecond: 100 });
    for (let i = 0; i < 10; i++) bucket.take();
    time.now = 50; // 5 tokens earned at 100/s
    bucket.setRate(20);
    expect(bucket.rate).toBe(20);
    expect(bucket.burst).toBe(2);
    expect(bucket.available).toBe(2);
    bucket.take(2);
    expect(bucket.take()).toBe(50);
  });

  it('keeps a given burst when the rate changes', () => {
    const { bucket } = bucketAt({ ratePerSecond: 100, burst: 7 });
    bucket.setRate(10);
    expect(bucket.burst).toBe(7);
  });

  it('refuses a rate that is not a finite positive number', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => bucketAt({ ratePerSecond: rate }), String(rate)).toThrow(
        expect.objectContaining({ code: ErrorCode.InvalidOptions }),
      );
    }
    expect(() => bucketAt({ ratePerSecond: 10 }).bucket.setRate(0)).toThrow(/ratePerSecond must be/);
    expect(() => bucketAt({ ratePerSecond: 10, burst: 0.5 })).toThrow(/burst must be/);
  });
});

describe('TokenBucket: N per second over any window', () => {
  it('never lets more than ratePerSecond single tokens through within a second (plus a margin), even from a full bucket', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 30, now: () => now });
    const takenAt: number[] = [];
    while (now <= 5_000) {
      const wait = bucket.take();
      if (wait === 0) takenAt.push(now);
      else now += wait;
    }
    for (let i = 30; i < takenAt.length; i++) {
      expect((takenAt[i] as number) - (takenAt[i - 30] as number)).toBeGreaterThanOrEqual(1050);
    }
    // The long-run rate still holds.
    expect(takenAt.length).toBeGreaterThanOrEqual(30 * 4);
  });

  it('applies the window to a lowered rate at once', () => {
    let now = 0;
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 10, now: () => now });
    for (let i = 0; i < 10; i++) expect(bucket.take()).toBe(0);
    now = 1_050;
    bucket.setRate(5);
    for (let i = 0; i < 5; i++) expect(bucket.take()).toBe(0);
    expect(bucket.take()).toBeGreaterThan(0);
  });
});
