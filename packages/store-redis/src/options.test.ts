import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { redisScaleOut } from './redis-scale-out.js';

function creationError(options: unknown): TidingsError {
  try {
    redisScaleOut(options as Parameters<typeof redisScaleOut>[0]);
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('expected redisScaleOut to refuse the options');
}

describe('redisScaleOut options', () => {
  it('refuses bad options with a typed error naming the option', () => {
    expect(creationError({ url: 'http://localhost' })).toMatchObject({ code: ErrorCode.InvalidOptions });
    expect(creationError({ url: 'http://localhost' }).message).toContain('url');
    expect(creationError({ namespace: 'a b' }).message).toContain('namespace');
    expect(creationError({ rates: { smsc: 0 } }).message).toContain('rates');
    expect(creationError({ retentionMs: -1 }).message).toContain('retentionMs');
    expect(creationError({ heartbeatMs: 1000, deadAfterMs: 1500 }).message).toContain('deadAfterMs');
    expect(creationError({ unknown: true }).message).toContain('unknown');
  });

  it('never puts the password of the URL in an error', () => {
    const error = creationError({ url: 'redis://:hunter2@localhost:6379', retentionMs: 0 });
    expect(JSON.stringify(error.toJSON())).not.toContain('hunter2');
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses a leased plugin without a sensible number of leases', async () => {
    const redis = redisScaleOut({ url: 'redis://127.0.0.1:1', instanceId: 'p1' });
    try {
      const { fakeChannel } = await import('@tidings/core/testing');
      const plugin = fakeChannel({ name: 'sms' });
      expect(() => redis.leased(plugin, { leases: 0 })).toThrow(/leases must be an integer/);
      expect(() => redis.leased(plugin, { leases: 2, handOffTimeoutMs: -5 })).toThrow(/handOffTimeoutMs/);
      expect(redis.leased(plugin, { leases: 2 })).toMatchObject({ name: 'sms', kind: plugin.kind });
    } finally {
      await redis.close();
    }
  });

  it('refuses rates naming a channel that is not loaded (a typo), before anything starts', async () => {
    const redis = redisScaleOut({ url: 'redis://127.0.0.1:1', instanceId: 'p1', rates: { smss: 10 } });
    try {
      const { createTidings } = await import('@tidings/core');
      const { fakeChannel } = await import('@tidings/core/testing');
      const error = await createTidings({ plugins: [fakeChannel({ name: 'sms' })], modules: [redis.module] }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: ErrorCode.InvalidOptions, details: { option: 'rates', channels: ['smss'] } });
      expect((error as Error).message).toContain('"smss"');
    } finally {
      await redis.close();
    }
  });
});
