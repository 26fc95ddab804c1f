import { describe, expect, it } from 'vitest';
import { ErrorCode, TidingsError } from './errors.js';
import { backoffDelay, checkRetryPolicy, defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
  maxAttempts: 5,
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 0,
  ...overrides,
});

const low = () => 0;
const high = () => 1;

describe('backoffDelay', () => {
  it('with jitter 0 is exactly initial · multiplier^(retry-1), whatever the random source', () => {
    const p = policy({ jitter: 0 });
    for (const random of [low, high, () => 0.37]) {
      expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(p, retry, random))).toEqual([100, 200, 400, 800, 1_600]);
    }
  });

  it('honours the multiplier', () => {
    expect(backoffDelay(policy({ multiplier: 3 }), 3, low)).toBe(900);
    expect(backoffDelay(policy({ multiplier: 1 }), 7, low)).toBe(100);
  });

  it('never exceeds maxDelayMs, even for huge retry numbers', () => {
    const p = policy({ maxDelayMs: 1_000 });
    expect(backoffDelay(p, 4, high)).toBe(800);
    expect(backoffDelay(p, 5, high)).toBe(1_000);
    expect(backoffDelay(p, 50, high)).toBe(1_000);
    expect(backoffDelay(p, 5_000, high)).toBe(1_000); // multiplier^4999 is Infinity
    expect(backoffDelay(policy({ jitter: 1, maxDelayMs: 1_000 }), 5_000, high)).toBe(1_000);
  });

  it('with jitter j draws from [d·(1-j), d]: random 0 gives the low end, random 1 the high end', () => {
    const p = policy({ jitter: 0.5 });
    expect(backoffDelay(p, 1, low)).toBe(50);
    expect(backoffDelay(p, 1, high)).toBe(100);
    expect(backoffDelay(p, 3, low)).toBe(200);
    expect(backoffDelay(p, 3, high)).toBe(400);
    expect(backoffDelay(p, 3, () => 0.5)).toBe(300);
  });

  it('with full jitter can go down to 0 and up to the capped delay', () => {
    const p = policy({ jitter: 1, maxDelayMs: 300 });
    expect(backoffDelay(p, 10, low)).toBe(0);
    expect(backoffDelay(p, 10, high)).toBe(300);
  });

  it('stays within the bounds for any random value and returns whole milliseconds', () => {
    const p = policy({ jitter: 0.3, initialDelayMs: 123, multiplier: 1.7, maxDelayMs: 5_000 });
    for (let retry = 1; retry <= 12; retry++) {
      const d = Math.min(5_000, 123 * 1.7 ** (retry - 1));
      for (let i = 0; i <= 20; i++) {
        const delay = backoffDelay(p, retry, () => i / 20);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(d * 0.7));
        expect(delay).toBeLessThanOrEqual(Math.ceil(d));
      }
    }
  });

  it('treats retry 0 or below as the first retry', () => {
    expect(backoffDelay(policy(), 0, low)).toBe(100);
    expect(backoffDelay(policy(), -3, low)).toBe(100);
  });

  it('uses Math.random by default and stays within bounds', () => {
    const p = policy({ jitter: 0.5 });
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(p, 2);
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(200);
    }
  });

  it('has sane, frozen defaults', () => {
    expect(() => checkRetryPolicy(defaultRetryPolicy, 'defaults')).not.toThrow();
    expect(Object.isFrozen(defaultRetryPolicy)).toBe(true);
    expect(backoffDelay(defaultRetryPolicy, 1, high)).toBe(defaultRetryPolicy.initialDelayMs);
  });
});

describe('checkRetryPolicy', () => {
  const failure = (value: Partial<RetryPolicy>): TidingsError => {
    try {
      checkRetryPolicy(value, 'smsc channel "main"');
    } catch (error) {
      if (error instanceof TidingsError) return error;
      throw error;
    }
    throw new Error('expected checkRetryPolicy to throw');
  };

  it('accepts a complete valid policy, a partial one and an empty one', () => {
    expect(() => checkRetryPolicy(policy({ jitter: 1, multiplier: 1, initialDelayMs: 0 }), 'x')).not.toThrow();
    expect(() => checkRetryPolicy({ maxAttempts: 1 }, 'x')).not.toThrow();
    expect(() => checkRetryPolicy({}, 'x')).not.toThrow();
  });

  it.each<[keyof RetryPolicy, unknown]>([
    ['maxAttempts', 0],
    ['maxAttempts', 1.5],
    ['maxAttempts', -1],
    ['maxAttempts', Number.NaN],
    ['maxAttempts', Number.POSITIVE_INFINITY],
    ['maxAttempts', '3'],
    ['initialDelayMs', -1],
    ['initialDelayMs', Number.NaN],
    ['initialDelayMs', Number.POSITIVE_INFINITY],
    ['initialDelayMs', '100'],
    ['maxDelayMs', -5],
    ['maxDelayMs', Number.POSITIVE_INFINITY],
    ['maxDelayMs', null],
    ['multiplier', 0.5],
    ['multiplier', 0],
    ['multiplier', Number.NaN],
    ['multiplier', '2'],
    ['jitter', -0.1],
    ['jitter', 1.1],
    ['jitter', Number.NaN],
    ['jitter', true],
  ])('rejects %s = %s, naming the owner and the field', (field, value) => {
    const error = failure({ [field]: value } as Partial<RetryPolicy>);
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message).toContain('smsc channel "main"');
    expect(error.message).toContain(`retry.${field}`);
    expect(error.message).toContain(String(value));
    expect(error.details).toEqual({ option: `retry.${field}` });
    expect(error.retry.kind).toBe('never');
  });

  it('names the first bad field when several are bad', () => {
    const error = failure({ maxAttempts: 5, multiplier: 0, jitter: 2 });
    expect(error.details).toEqual({ option: 'retry.multiplier' });
  });
});
