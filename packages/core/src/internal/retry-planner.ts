import { ErrorCode, TidingsError } from '../errors.js';
import { backoffDelay } from '../retry-policy.js';
import type { ResolvedChannelSettings } from '../settings.js';

export type RetryPlan =
  | { readonly action: 'retry'; readonly delayMs: number }
  | { readonly action: 'pause'; readonly pauseMs: number }
  | { readonly action: 'give-up'; readonly error: TidingsError };

/** Throttling pauses are the provider's doing, not the message's: they get their own, larger budget. */
export const maxPauseRetries = 20;

/**
 * Turns a failed attempt into the next step, from the error's retry decision, the channel's
 * settings and the attempts spent on this channel so far, the failed one included (`sends` counts
 * ordinary failures, `pauses` the throttled ones).
 */
export function planRetry(
  error: TidingsError,
  attempts: { readonly sends: number; readonly pauses: number },
  settings: ResolvedChannelSettings,
  random: () => number = Math.random,
): RetryPlan {
  const decision = error.retry;
  if (decision.kind === 'never' || decision.kind === 'fix') return { action: 'give-up', error };
  if (error.ambiguous && settings.ambiguous === 'fail') return { action: 'give-up', error };
  if (decision.kind === 'pause') {
    if (attempts.pauses > maxPauseRetries) return { action: 'give-up', error: exhausted(error, attempts.pauses) };
    return { action: 'pause', pauseMs: decision.pauseMs };
  }
  if (attempts.sends >= settings.retry.maxAttempts) {
    return { action: 'give-up', error: exhausted(error, attempts.sends) };
  }
  return { action: 'retry', delayMs: decision.afterMs ?? backoffDelay(settings.retry, attempts.sends, random) };
}

function exhausted(last: TidingsError, attempts: number): TidingsError {
  return new TidingsError(ErrorCode.RetriesExhausted, `gave up after ${attempts} attempts: ${last.message}`, {
    cause: last,
    ambiguous: last.ambiguous,
    ...(last.providerStatus === undefined ? {} : { providerStatus: last.providerStatus }),
    ...(last.channel === undefined ? {} : { channel: last.channel }),
    // What the provider said (its code's meaning, advice) stays on the final error.
    ...(last.details === undefined ? {} : { details: last.details }),
  });
}
