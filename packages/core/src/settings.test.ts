import { describe, expect, it } from 'vitest';
import { ErrorCode, TidingsError } from './errors.js';
import { defaultRetryPolicy } from './retry-policy.js';
import { type ChannelSettings, defaultChannelSettings, resolveChannelSettings } from './settings.js';

const owner = 'telegram channel "tg"';

function rejection(...layers: unknown[]): TidingsError {
  try {
    resolveChannelSettings(owner, ...(layers as ChannelSettings[]));
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('expected resolveChannelSettings to throw');
}

describe('resolveChannelSettings', () => {
  it('returns the defaults when given no layers, or only undefined ones', () => {
    expect(resolveChannelSettings(owner)).toEqual(defaultChannelSettings);
    expect(resolveChannelSettings(owner, undefined, {}, undefined)).toEqual(defaultChannelSettings);
    expect(defaultChannelSettings.ambiguous).toBe('retry');
    expect(defaultChannelSettings.retry).toEqual(defaultRetryPolicy);
  });

  it('layers settings over the defaults, later layers winning field by field', () => {
    const plugin: ChannelSettings = { maxInFlight: 10, submitTimeoutMs: 5_000, ambiguous: 'fail' };
    const host: ChannelSettings = { maxInFlight: 50, receiptTimeoutMs: 60_000 };
    const resolved = resolveChannelSettings(owner, plugin, host);
    expect(resolved).toEqual({
      ...defaultChannelSettings,
      maxInFlight: 50,
      submitTimeoutMs: 5_000,
      receiptTimeoutMs: 60_000,
      ambiguous: 'fail',
    });
  });

  it('merges retry policies field by field across layers', () => {
    const resolved = resolveChannelSettings(
      owner,
      { retry: { maxAttempts: 8, initialDelayMs: 200 } },
      { retry: { initialDelayMs: 500, jitter: 0 } },
      { maxQueued: 10 },
    );
    expect(resolved.retry).toEqual({ ...defaultRetryPolicy, maxAttempts: 8, initialDelayMs: 500, jitter: 0 });
    expect(resolved.maxQueued).toBe(10);
  });

  it('an undefined field in a later layer does not erase an earlier value', () => {
    const resolved = resolveChannelSettings(owner, { maxInFlight: 7, retry: { maxAttempts: 2 } }, {
      maxInFlight: undefined,
      retry: { maxAttempts: undefined },
    } as unknown as ChannelSettings);
    expect(resolved.maxInFlight).toBe(7);
    expect(resolved.retry.maxAttempts).toBe(2);
  });

  it('does not modify its inputs or the defaults', () => {
    const layer = { maxInFlight: 3, retry: { maxAttempts: 2 } };
    const before = structuredClone(layer);
    resolveChannelSettings(owner, layer);
    expect(layer).toEqual(before);
    expect(defaultChannelSettings.maxInFlight).toBe(100);
    expect(defaultRetryPolicy.maxAttempts).toBe(5);
  });

  it.each<[string, ChannelSettings | Record<string, unknown>]>([
    ['maxInFlight', { maxInFlight: 0 }],
    ['maxInFlight', { maxInFlight: 2.5 }],
    ['maxInFlight', { maxInFlight: '10' }],
    ['maxQueued', { maxQueued: -1 }],
    ['maxQueued', { maxQueued: Number.NaN }],
    ['submitTimeoutMs', { submitTimeoutMs: 0 }],
    ['submitTimeoutMs', { submitTimeoutMs: Number.POSITIVE_INFINITY }],
    ['receiptTimeoutMs', { receiptTimeoutMs: -100 }],
    ['receiptTimeoutMs', { receiptTimeoutMs: null }],
    ['ambiguous', { ambiguous: 'maybe' }],
    ['ambiguous', { ambiguous: true }],
    ['retry.maxAttempts', { retry: { maxAttempts: 0 } }],
    ['retry.jitter', { retry: { jitter: 2 } }],
    ['retry.multiplier', { retry: { multiplier: 0.5 } }],
    ['retry.initialDelayMs', { retry: { initialDelayMs: -1 } }],
    ['retry.maxDelayMs', { retry: { maxDelayMs: Number.NaN } }],
  ])('rejects a bad %s with TIDINGS_INVALID_OPTIONS naming the owner and the option', (option, layer) => {
    const error = rejection(layer);
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message.startsWith(`${owner}: `)).toBe(true);
    expect(error.message).toContain(option);
    expect(error.details).toEqual({ option });
  });

  it.each([5, 'fast', true])('rejects a retry policy that is not an object (%s), naming the option', (retry) => {
    const error = rejection({ retry });
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message).toContain(owner);
    expect(error.details).toEqual({ option: 'retry' });
  });

  it('rejects a value a later layer makes invalid', () => {
    expect(rejection({ maxInFlight: 4 }, { maxInFlight: -4 }).details).toEqual({ option: 'maxInFlight' });
  });
});
