import { describe, expect, it } from 'vitest';
import { ErrorCode, TidingsError } from './errors.js';
import { RetryDecision } from './retry-decision.js';

describe('TidingsError', () => {
  it('is an Error with a stable code, a message and the TidingsError name', () => {
    const error = new TidingsError(ErrorCode.Rejected, 'invalid destination address');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(TidingsError);
    expect(error.name).toBe('TidingsError');
    expect(error.code).toBe('TIDINGS_REJECTED');
    expect(error.message).toBe('invalid destination address');
    expect(error.stack).toContain('invalid destination address');
  });

  it('defaults: retry never, not ambiguous, no status, channel, details or cause', () => {
    const error = new TidingsError(ErrorCode.Internal, 'x');
    expect(error.retry).toEqual({ kind: 'never' });
    expect(error.ambiguous).toBe(false);
    expect(error.providerStatus).toBeUndefined();
    expect(error.channel).toBeUndefined();
    expect(error.details).toBeUndefined();
    expect(error.cause).toBeUndefined();
    expect('cause' in error).toBe(false);
  });

  it('carries every fact it is given', () => {
    const cause = new Error('socket hang up');
    const error = new TidingsError(ErrorCode.ConnectionLost, 'connection lost after write', {
      retry: RetryDecision.retry(250),
      providerStatus: 0x45,
      channel: 'smsc-kz',
      ambiguous: true,
      details: { sequence: 12 },
      cause,
    });
    expect(error.retry).toEqual({ kind: 'retry', afterMs: 250 });
    expect(error.providerStatus).toBe(0x45);
    expect(error.channel).toBe('smsc-kz');
    expect(error.ambiguous).toBe(true);
    expect(error.details).toEqual({ sequence: 12 });
    expect(error.cause).toBe(cause);
  });

  it('accepts string provider statuses and custom codes', () => {
    const error = new TidingsError('ACME_QUOTA', 'quota', { providerStatus: 'ERR_QUOTA' });
    expect(error.code).toBe('ACME_QUOTA');
    expect(error.providerStatus).toBe('ERR_QUOTA');
  });

  it('has distinct, stable, prefixed codes', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^TIDINGS_[A-Z_]+$/);
    expect(ErrorCode.RetriesExhausted).toBe('TIDINGS_RETRIES_EXHAUSTED');
    expect(ErrorCode.InvalidOptions).toBe('TIDINGS_INVALID_OPTIONS');
    expect(ErrorCode.InvalidMessage).toBe('TIDINGS_INVALID_MESSAGE');
  });

  describe('with', () => {
    const cause = new Error('root');
    const original = new TidingsError(ErrorCode.Throttled, 'slow down', {
      retry: RetryDecision.pause(1_000),
      providerStatus: 0x58,
      details: { window: 10 },
      cause,
    });

    it('returns a new error with the given facts replaced and the rest kept, cause included', () => {
      const changed = original.with({ channel: 'tg', ambiguous: true });
      expect(changed).not.toBe(original);
      expect(changed).toBeInstanceOf(TidingsError);
      expect(changed.code).toBe(original.code);
      expect(changed.message).toBe(original.message);
      expect(changed.channel).toBe('tg');
      expect(changed.ambiguous).toBe(true);
      expect(changed.retry).toEqual({ kind: 'pause', pauseMs: 1_000 });
      expect(changed.providerStatus).toBe(0x58);
      expect(changed.details).toEqual({ window: 10 });
      expect(changed.cause).toBe(cause);
    });

    it('replaces the retry decision, status and details', () => {
      const changed = original.with({ retry: RetryDecision.never(), providerStatus: 'X', details: { a: 1 } });
      expect(changed.retry).toEqual({ kind: 'never' });
      expect(changed.providerStatus).toBe('X');
      expect(changed.details).toEqual({ a: 1 });
    });

    it('leaves the original untouched', () => {
      original.with({ channel: 'other', ambiguous: true, retry: RetryDecision.fix() });
      expect(original.channel).toBeUndefined();
      expect(original.ambiguous).toBe(false);
      expect(original.retry.kind).toBe('pause');
    });

    it('can turn ambiguous off explicitly', () => {
      const ambiguous = new TidingsError(ErrorCode.Timeout, 't', { ambiguous: true });
      expect(ambiguous.with({ ambiguous: false }).ambiguous).toBe(false);
    });

    it('does not invent a cause', () => {
      expect('cause' in new TidingsError(ErrorCode.Internal, 'x').with({ channel: 'c' })).toBe(false);
    });
  });

  describe('toJSON', () => {
    it('has the code, message, retry and the facts that are set, and nothing undefined', () => {
      const error = new TidingsError(ErrorCode.Rejected, 'bad number', {
        retry: RetryDecision.fix(),
        providerStatus: 0x0b,
        channel: 'sms',
        details: { to: '+1' },
      });
      expect(error.toJSON()).toEqual({
        name: 'TidingsError',
        code: 'TIDINGS_REJECTED',
        message: 'bad number',
        retry: { kind: 'fix' },
        ambiguous: false,
        providerStatus: 0x0b,
        channel: 'sms',
        details: { to: '+1' },
      });
      const bare = new TidingsError(ErrorCode.Internal, 'oops').toJSON();
      expect(Object.keys(bare).sort()).toEqual(['ambiguous', 'code', 'message', 'name', 'retry']);
    });

    it('has no cause and no stack, so nothing the cause carried (credentials, raw PDUs) leaks', () => {
      const cause = Object.assign(new Error('bind failed for system_id acme password hunter2'), {
        request: { systemId: 'acme', password: 'hunter2' },
      });
      const error = new TidingsError(ErrorCode.AuthFailed, 'the provider refused our credentials', { cause });
      const json = error.toJSON();
      expect(json).not.toHaveProperty('cause');
      expect(json).not.toHaveProperty('stack');
      const text = JSON.stringify(error);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('errors.test');
      expect(JSON.parse(text)).toEqual(json);
    });

    it('serialises a retry decision as plain data', () => {
      const json = JSON.parse(JSON.stringify(new TidingsError('X', 'x', { retry: RetryDecision.pause(5) })));
      expect(json.retry).toEqual({ kind: 'pause', pauseMs: 5 });
    });
  });

  describe('is', () => {
    const error = new TidingsError(ErrorCode.Timeout, 't');

    it('recognises a TidingsError, with or without a code', () => {
      expect(TidingsError.is(error)).toBe(true);
      expect(TidingsError.is(error, ErrorCode.Timeout)).toBe(true);
      expect(TidingsError.is(error, ErrorCode.Rejected)).toBe(false);
    });

    it('rejects look-alikes and other values', () => {
      const lookAlike = Object.assign(new Error('t'), { code: ErrorCode.Timeout, name: 'TidingsError' });
      for (const value of [lookAlike, { code: ErrorCode.Timeout }, null, undefined, 'TIDINGS_TIMEOUT']) {
        expect(TidingsError.is(value)).toBe(false);
        expect(TidingsError.is(value, ErrorCode.Timeout)).toBe(false);
      }
    });

    it('narrows the type', () => {
      const value: unknown = error;
      if (!TidingsError.is(value)) throw new Error('expected a TidingsError');
      expect(value.code).toBe(ErrorCode.Timeout);
    });
  });

  describe('from', () => {
    it('returns a TidingsError unchanged', () => {
      const error = new TidingsError(ErrorCode.Rejected, 'r');
      expect(TidingsError.from(error)).toBe(error);
      expect(TidingsError.from(error, ErrorCode.InvalidMessage)).toBe(error);
    });

    it('wraps an Error: its message, the Internal code by default, the original as cause', () => {
      const original = new TypeError('cannot read x of undefined');
      const error = TidingsError.from(original);
      expect(error).toBeInstanceOf(TidingsError);
      expect(error.code).toBe(ErrorCode.Internal);
      expect(error.message).toBe('cannot read x of undefined');
      expect(error.cause).toBe(original);
      expect(error.retry.kind).toBe('never');
    });

    it('uses the fallback code it is given', () => {
      expect(TidingsError.from(new Error('bad'), ErrorCode.InvalidMessage).code).toBe(ErrorCode.InvalidMessage);
    });

    it('wraps non-Error values, keeping them as cause', () => {
      const fromString = TidingsError.from('plain string');
      expect(fromString.message).toBe('plain string');
      expect(fromString.cause).toBe('plain string');
      const fromNumber = TidingsError.from(42);
      expect(fromNumber.message).toBe('42');
      expect(fromNumber.cause).toBe(42);
    });
  });
});

describe('RetryDecision', () => {
  it('builds each kind', () => {
    expect(RetryDecision.never()).toEqual({ kind: 'never' });
    expect(RetryDecision.fix()).toEqual({ kind: 'fix' });
    expect(RetryDecision.retry()).toEqual({ kind: 'retry' });
    expect(RetryDecision.retry(1_500)).toEqual({ kind: 'retry', afterMs: 1_500 });
    expect(RetryDecision.retry(0)).toEqual({ kind: 'retry', afterMs: 0 });
    expect(RetryDecision.pause(30_000)).toEqual({ kind: 'pause', pauseMs: 30_000 });
  });

  it('a retry without a delay has no afterMs key at all (exactOptionalPropertyTypes)', () => {
    expect('afterMs' in RetryDecision.retry()).toBe(false);
  });

  it('shares frozen instances for the argument-less kinds', () => {
    expect(RetryDecision.never()).toBe(RetryDecision.never());
    expect(RetryDecision.fix()).toBe(RetryDecision.fix());
    expect(RetryDecision.retry()).toBe(RetryDecision.retry());
    for (const decision of [RetryDecision.never(), RetryDecision.fix(), RetryDecision.retry()]) {
      expect(Object.isFrozen(decision)).toBe(true);
    }
  });

  it('isRetryable is true for retry and pause only', () => {
    expect(RetryDecision.isRetryable(RetryDecision.retry())).toBe(true);
    expect(RetryDecision.isRetryable(RetryDecision.retry(10))).toBe(true);
    expect(RetryDecision.isRetryable(RetryDecision.pause(10))).toBe(true);
    expect(RetryDecision.isRetryable(RetryDecision.never())).toBe(false);
    expect(RetryDecision.isRetryable(RetryDecision.fix())).toBe(false);
  });
});
