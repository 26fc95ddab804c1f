/**
 * What to do after a send attempt did not succeed. Channels map their provider's status codes to
 * one of these; the core retry scheduler acts on it.
 *
 * - `never`: a permanent refusal; resending the same message cannot succeed (or must not, e.g.
 *   a duplicate-blocked text).
 * - `retry`: a transient failure; try again after `afterMs`, or after the policy's backoff.
 * - `pause`: the provider asked the whole channel to slow down (throttled, queue full): hold every
 *   queued message of that channel for `pauseMs`, then retry this one.
 * - `fix`: the message itself is wrong (sender, text length, times); resending it unchanged would
 *   fail again, so the core does not retry; a host may fix and send anew.
 */
export type RetryDecision =
  | { readonly kind: 'never' }
  | { readonly kind: 'retry'; readonly afterMs?: number }
  | { readonly kind: 'pause'; readonly pauseMs: number }
  | { readonly kind: 'fix' };

export const RetryDecision = {
  never: (): RetryDecision => NEVER,
  fix: (): RetryDecision => FIX,
  retry: (afterMs?: number): RetryDecision => (afterMs === undefined ? RETRY : { kind: 'retry', afterMs }),
  pause: (pauseMs: number): RetryDecision => ({ kind: 'pause', pauseMs }),
  /** True when the core may send the same message again by itself. */
  isRetryable: (decision: RetryDecision): boolean => decision.kind === 'retry' || decision.kind === 'pause',
} as const;

const NEVER: RetryDecision = Object.freeze({ kind: 'never' });
const FIX: RetryDecision = Object.freeze({ kind: 'fix' });
const RETRY: RetryDecision = Object.freeze({ kind: 'retry' });
