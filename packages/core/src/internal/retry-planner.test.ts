import { describe, expect, it } from 'vitest';
import { ErrorCode, TidingsError } from '../errors.js';
import { RetryDecision } from '../retry-decision.js';
import { backoffDelay } from '../retry-policy.js';
import { type ResolvedChannelSettings, resolveChannelSettings } from '../settings.js';
import { maxPauseRetries, planRetry } from './retry-planner.js';

const settings = (overrides: Parameters<typeof resolveChannelSettings>[1] = {}): ResolvedChannelSettings =>
  resolveChannelSettings(
    'test',
    { retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0 } },
    overrides,
  );

const failure = (
  retry: RetryDecision,
  extra: { ambiguous?: boolean; providerStatus?: number; details?: Record<string, unknown> } = {},
) => new TidingsError(ErrorCode.Rejected, 'provider said no', { retry, channel: 'sms', ...extra });

const first = { sends: 1, pauses: 0 };

describe('planRetry', () => {
  it.each([
    ['never', RetryDecision.never()],
    ['fix', RetryDecision.fix()],
  ])('gives up on a %s decision with the very same error', (_, decision) => {
    const error = failure(decision);
    const plan = planRetry(error, first, settings());
    expect(plan).toEqual({ action: 'give-up', error });
    expect(plan.action === 'give-up' && plan.error).toBe(error);
  });

  it('gives up on never/fix even when attempts remain and the outcome is ambiguous', () => {
    const error = failure(RetryDecision.fix(), { ambiguous: true });
    const plan = planRetry(error, first, settings({ ambiguous: 'retry' }));
    expect(plan.action === 'give-up' && plan.error).toBe(error);
  });

  it('retries after the delay the channel asked for', () => {
    expect(planRetry(failure(RetryDecision.retry(2_500)), first, settings())).toEqual({
      action: 'retry',
      delayMs: 2_500,
    });
    expect(planRetry(failure(RetryDecision.retry(0)), first, settings())).toEqual({ action: 'retry', delayMs: 0 });
  });

  it('retries after the policy backoff when the channel names no delay, numbered by failed sends', () => {
    const s = settings();
    const error = failure(RetryDecision.retry());
    expect(planRetry(error, { sends: 1, pauses: 0 }, s)).toEqual({ action: 'retry', delayMs: 100 });
    expect(planRetry(error, { sends: 2, pauses: 0 }, s)).toEqual({ action: 'retry', delayMs: 200 });
  });

  it('passes its random source to the backoff', () => {
    const s = settings({ retry: { jitter: 1, maxAttempts: 10 } });
    const error = failure(RetryDecision.retry());
    expect(planRetry(error, { sends: 3, pauses: 0 }, s, () => 0)).toEqual({ action: 'retry', delayMs: 0 });
    expect(planRetry(error, { sends: 3, pauses: 0 }, s, () => 1)).toEqual({
      action: 'retry',
      delayMs: backoffDelay(s.retry, 3, () => 1),
    });
    expect(planRetry(error, { sends: 3, pauses: 0 }, s, () => 1)).toEqual({ action: 'retry', delayMs: 400 });
  });

  it('gives up with TIDINGS_RETRIES_EXHAUSTED once maxAttempts sends have failed, keeping the last error as cause', () => {
    const last = failure(RetryDecision.retry(), { providerStatus: 0x58, details: { meaning: 'rate limit exceeded' } });
    expect(planRetry(last, { sends: 2, pauses: 0 }, settings()).action).toBe('retry');
    const plan = planRetry(last, { sends: 3, pauses: 0 }, settings());
    if (plan.action !== 'give-up') throw new Error(`expected give-up, got ${plan.action}`);
    expect(plan.error).not.toBe(last);
    expect(plan.error.code).toBe(ErrorCode.RetriesExhausted);
    expect(plan.error.cause).toBe(last);
    expect(plan.error.message).toContain('3 attempts');
    expect(plan.error.message).toContain(last.message);
    expect(plan.error.providerStatus).toBe(0x58);
    expect(plan.error.details).toEqual({ meaning: 'rate limit exceeded' });
    expect(plan.error.channel).toBe('sms');
    expect(plan.error.retry.kind).toBe('never');
  });

  it('exhausts even when the channel named its own delay', () => {
    const plan = planRetry(failure(RetryDecision.retry(50)), { sends: 3, pauses: 0 }, settings());
    expect(plan.action === 'give-up' && plan.error.code).toBe(ErrorCode.RetriesExhausted);
  });

  it('with maxAttempts 1 never retries', () => {
    const plan = planRetry(failure(RetryDecision.retry()), first, settings({ retry: { maxAttempts: 1 } }));
    expect(plan.action === 'give-up' && plan.error.code).toBe(ErrorCode.RetriesExhausted);
  });

  describe('ambiguous outcomes', () => {
    const timeout = (retry: RetryDecision = RetryDecision.retry()) =>
      new TidingsError(ErrorCode.Timeout, 'no answer', { retry, ambiguous: true });

    it("with policy 'fail' gives up with the same error, whatever the decision", () => {
      for (const decision of [RetryDecision.retry(), RetryDecision.retry(10), RetryDecision.pause(500)]) {
        const error = timeout(decision);
        const plan = planRetry(error, first, settings({ ambiguous: 'fail' }));
        expect(plan.action === 'give-up' && plan.error).toBe(error);
      }
    });

    it("with policy 'retry' retries (the default)", () => {
      expect(planRetry(timeout(), first, settings({ ambiguous: 'retry' }))).toEqual({ action: 'retry', delayMs: 100 });
      expect(planRetry(timeout(), first, settings()).action).toBe('retry');
    });

    it("with policy 'fail' still retries an unambiguous failure", () => {
      expect(planRetry(failure(RetryDecision.retry()), first, settings({ ambiguous: 'fail' })).action).toBe('retry');
    });

    it('an exhausted ambiguous error stays marked ambiguous', () => {
      const plan = planRetry(timeout(), { sends: 3, pauses: 0 }, settings());
      if (plan.action !== 'give-up') throw new Error('expected give-up');
      expect(plan.error.code).toBe(ErrorCode.RetriesExhausted);
      expect(plan.error.ambiguous).toBe(true);
    });
  });

  describe('pauses', () => {
    it('pauses the channel for the time the channel asked for', () => {
      expect(planRetry(failure(RetryDecision.pause(750)), { sends: 0, pauses: 1 }, settings())).toEqual({
        action: 'pause',
        pauseMs: 750,
      });
    });

    it('do not spend the maxAttempts budget', () => {
      const plan = planRetry(failure(RetryDecision.pause(100)), { sends: 3, pauses: 1 }, settings());
      expect(plan).toEqual({ action: 'pause', pauseMs: 100 });
    });

    it(`allow ${maxPauseRetries} pause retries, then give up with TIDINGS_RETRIES_EXHAUSTED`, () => {
      const error = failure(RetryDecision.pause(100));
      expect(planRetry(error, { sends: 0, pauses: maxPauseRetries }, settings()).action).toBe('pause');
      const plan = planRetry(error, { sends: 0, pauses: maxPauseRetries + 1 }, settings());
      if (plan.action !== 'give-up') throw new Error('expected give-up');
      expect(plan.error.code).toBe(ErrorCode.RetriesExhausted);
      expect(plan.error.cause).toBe(error);
      expect(plan.error.message).toContain(String(maxPauseRetries + 1));
    });

    it('the pause budget is larger than the send budget', () => {
      expect(maxPauseRetries).toBeGreaterThan(settings().retry.maxAttempts);
    });
  });
});
