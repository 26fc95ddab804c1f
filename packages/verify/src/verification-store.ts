import type { FinalVerificationStatus, VerificationRecord } from './verification-record.js';

/** At most `max` verifications started for one recipient within any `windowMs` (a sliding window). */
export interface StartLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** How often a verification's code may be sent. */
export interface SendLimit {
  /** Least time between two sends. */
  readonly cooldownMs: number;
  /** Most sends, the first included. */
  readonly maxSends: number;
}

export type CreateVerificationResult =
  | { readonly created: true }
  /** The recipient's start limit is used up; the oldest start in the window leaves it in `retryAfterMs`. */
  | { readonly created: false; readonly retryAfterMs: number };

export type TakeAttemptResult =
  /** The attempt is counted; `record` is as it stands after counting it. */
  | { readonly taken: true; readonly record: VerificationRecord }
  /**
   * No attempt counted: unknown id (`record` undefined), not pending, expired at `now` (still
   * `pending`: the caller finishes it as `expired`), or no attempt left.
   */
  | { readonly taken: false; readonly record: VerificationRecord | undefined };

export type CountWrongResult =
  /**
   * `record` as it stands after counting (undefined for an unknown id); `finished` is true when
   * this wrong check was the last of `maxAttempts` wrong ones and moved it to `max_attempts`.
   */
  { readonly finished: boolean; readonly record: VerificationRecord | undefined };

/** A resend's new code (its salted hash), its deadline and its channels. */
export interface NewCode {
  readonly salt: string;
  readonly hash: string;
  readonly expiresAt: number;
  readonly channels: readonly string[];
}

export type AddCodeResult =
  | { readonly added: true; readonly record: VerificationRecord }
  | {
      readonly added: false;
      readonly reason: 'not_found' | 'closed' | 'expired' | 'cooldown' | 'max_sends';
      /** With `cooldown`: when the next send is allowed. */
      readonly retryAfterMs?: number;
      readonly record?: VerificationRecord;
    };

/**
 * Where verifications live: a sibling of core's `MessageStore`, with the same conventions (async,
 * plain JSON-serialisable records, memory bounded by the implementation, times passed in by the
 * caller's clock). The operations that enforce a limit are single atomic steps, so an
 * implementation on a shared store (Redis: one Lua script or `MULTI`/`WATCH` each) keeps the limits
 * across processes: two concurrent checks can never both use the last attempt, two resends never
 * both pass the cooldown, two starts never both take the recipient's last start.
 *
 * The store never sees a code: only the salted hashes the verifier computed.
 */
export interface VerificationStore {
  /**
   * Atomically: counts a start for `record.recipient` against `limit` (none when undefined) at
   * `record.createdAt`; when allowed, records the verification and makes it the recipient's latest.
   */
  create(record: VerificationRecord, limit: StartLimit | undefined): Promise<CreateVerificationResult>;
  get(id: string): Promise<VerificationRecord | undefined>;
  /** The verification started last for a recipient key (see `VerificationRecord.recipient`), whatever its status. */
  latestFor(recipient: string): Promise<VerificationRecord | undefined>;
  /**
   * Atomically: when the verification is `pending`, not expired at `now` and has attempts left,
   * counts one attempt. The verifier compares the code only after the attempt is counted.
   */
  takeAttempt(id: string, now: number): Promise<TakeAttemptResult>;
  /**
   * Atomically: counts a check found wrong on a `pending` verification; when that makes
   * `maxAttempts` wrong ones, moves it to `max_attempts` in the same step. A right code counted
   * earlier but compared later (a slow check) can so still approve while any counted attempt is
   * not known wrong.
   */
  countWrong(id: string, now: number): Promise<CountWrongResult>;
  /**
   * Atomically: moves a `pending` verification to `status`. False when it was not pending (someone
   * else finished it), and also for `approved` or `cancelled` at or after its `expiresAt` (it is
   * due to expire), and for `max_attempts` before `maxAttempts` wrong checks were counted.
   */
  finish(id: string, status: FinalVerificationStatus, now: number): Promise<boolean>;
  /**
   * Atomically: when the verification is `pending`, not expired at `now`, past the cooldown since
   * its last send and under `limit.maxSends`, adds a code (dropping those expired at `now`),
   * makes its deadline the verification's and counts a send.
   */
  addCode(id: string, code: NewCode, limit: SendLimit, now: number): Promise<AddCodeResult>;
  /** Appends the Tidings message id of a send. */
  addMessageId(id: string, messageId: string, now: number): Promise<void>;
  /**
   * Forgets a verification whose first code could not be sent at all (the start failed); the
   * recipient's latest goes back to the verification it was before, if that one is still kept.
   */
  discard(id: string): Promise<void>;
  close?(): Promise<void>;
}
