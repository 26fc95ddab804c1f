/**
 * The stable codes of the errors `@tidings/verify` raises, on core's `TidingsError` (its `code`
 * takes any string). Input errors use core's own `TIDINGS_INVALID_MESSAGE` and
 * `TIDINGS_INVALID_OPTIONS`.
 */
export const VerifyErrorCode = {
  /**
   * A limit refused the request: too many starts for the recipient, a resend inside the cooldown,
   * or no sends left. `details.limit` says which; `retry` is `retry` with `afterMs` when waiting
   * helps (`details.retryAfterMs`), `never` when it does not.
   */
  RateLimited: 'TIDINGS_RATE_LIMITED',
  /** No verification with that id (never started, or forgotten by the store). */
  NotFound: 'TIDINGS_VERIFICATION_NOT_FOUND',
  /** The verification is over (approved, expired, out of attempts, cancelled): start a new one. */
  Closed: 'TIDINGS_VERIFICATION_CLOSED',
} as const;

export type VerifyErrorCode = (typeof VerifyErrorCode)[keyof typeof VerifyErrorCode];
