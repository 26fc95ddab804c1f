import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.js';

describe('LatencyHistogram', () => {
  it('is empty until a sample comes', () => {
    const histogram = new LatencyHistogram();
    expect(histogram.count).toBe(0);
    expect(histogram.percentile(0.5)).toBeNaN();
  });

  it('keeps microsecond precision under 1 ms (a percentile is at most 1 µs above)', () => {
    const histogram = new LatencyHistogram();
    for (let micros = 1; micros <= 100; micros++) histogram.record(micros / 1000);
    expect(histogram.count).toBe(100);
    const within = (value: number, expected: number): void => {
      expect(value).toBeGreaterThanOrEqual(expected);
      expect(value).toBeLessThanOrEqual(expected + 0.001);
    };
    within(histogram.percentile(0.5), 0.05);
    within(histogram.percentile(0.99), 0.099);
    expect(histogram.percentile(1)).toBeCloseTo(0.1, 9);
  });

  it('is within 1 % above 1 ms, and never above the largest sample', () => {
    const histogram = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) histogram.record(i); // 1..1000 ms
    const p50 = histogram.percentile(0.5);
    const p99 = histogram.percentile(0.99);
    expect(p50).toBeGreaterThanOrEqual(500);
    expect(p50).toBeLessThanOrEqual(500 * 1.01);
    expect(p99).toBeGreaterThanOrEqual(990);
    expect(p99).toBeLessThanOrEqual(990 * 1.01);
    expect(histogram.percentile(1)).toBe(1000);
    expect(histogram.max).toBe(1000);
  });

  it('puts negative samples at 0 and huge ones in the last bucket', () => {
    const histogram = new LatencyHistogram();
    histogram.record(-1);
    histogram.record(10 * 60 * 60 * 1000); // ten hours
    expect(histogram.percentile(0.5)).toBeLessThanOrEqual(0.001);
    expect(histogram.percentile(1)).toBeGreaterThan(5 * 60 * 1000);
  });
});
