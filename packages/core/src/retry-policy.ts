import { ErrorCode, TidingsError } from './errors.js';

/** Exponential backoff with jitter, capped, with a bounded number of attempts. */
export interface RetryPolicy {
  /** Attempts per channel, the first included. */
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly multiplier: number;
  /** Share of each delay that is randomised, 0 (none) to 1 (full jitter). */
  readonly jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  multiplier: 2,
  jitter: 0.5,
});

/**
 * The wait before retry number `retry` (1 for the first retry). With jitter `j` the delay is drawn
 * from `[d·(1-j), d]` where `d = min(max, initial·multiplier^(retry-1))`, so concurrent clients
 * spread out instead of retrying in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const exponential = policy.initialDelayMs * policy.multiplier ** Math.max(0, retry - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (1 - policy.jitter) + capped * policy.jitter * random());
}

/** Checks a (partial) retry policy, naming the bad field. */
export function checkRetryPolicy(policy: Partial<RetryPolicy>, owner: string): void {
  const bad = (field: string, rule: string): never => {
    throw new TidingsError(ErrorCode.InvalidOptions, `${owner}: retry.${field} ${rule}`, {
      details: { option: `retry.${field}` },
    });
  };
  const { maxAttempts, initialDelayMs, maxDelayMs, multiplier, jitter } = policy;
  if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1))
    bad('maxAttempts', `must be an integer ≥ 1 (got ${String(maxAttempts)})`);
  if (initialDelayMs !== undefined && !(Number.isFinite(initialDelayMs) && initialDelayMs >= 0))
    bad('initialDelayMs', `must be a number ≥ 0 (got ${String(initialDelayMs)})`);
  if (maxDelayMs !== undefined && !(Number.isFinite(maxDelayMs) && maxDelayMs >= 0))
    bad('maxDelayMs', `must be a number ≥ 0 (got ${String(maxDelayMs)})`);
  if (multiplier !== undefined && !(Number.isFinite(multiplier) && multiplier >= 1))
    bad('multiplier', `must be a number ≥ 1 (got ${String(multiplier)})`);
  if (jitter !== undefined && !(Number.isFinite(jitter) && jitter >= 0 && jitter <= 1))
    bad('jitter', `must be between 0 and 1 (got ${String(jitter)})`);
}
