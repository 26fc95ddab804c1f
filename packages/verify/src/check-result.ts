/**
 * The answer to `check`, discriminated by `status`:
 *
 * - `approved`: the code matched. Only one check ever gets it; the code cannot be used again
 *   (later checks of the verification answer `not_found`, as Twilio Verify does).
 * - `wrong`: the code did not match, `attemptsLeft` more checks are allowed. Input that cannot be a
 *   code (letters, wrong number of digits) is `wrong` with `counted: false`: not compared, no
 *   attempt used.
 * - `expired`, `max_attempts`, `cancelled`: the verification is over; start a new one. The check
 *   that uses the last attempt on a wrong code answers `max_attempts` (as does one finding no
 *   attempt left while earlier checks are still being compared: a right code among them can
 *   still approve it).
 * - `not_found`: no such verification (or for `{ to }`: none for that recipient), already
 *   approved, or forgotten by the store.
 */
export type CheckResult =
  | { readonly status: 'approved'; readonly verificationId: string }
  | {
      readonly status: 'wrong';
      readonly verificationId: string;
      readonly attemptsLeft: number;
      /** False when the input was not a code at all and used no attempt. */
      readonly counted: boolean;
    }
  | { readonly status: 'expired'; readonly verificationId: string }
  | { readonly status: 'max_attempts'; readonly verificationId: string }
  | { readonly status: 'cancelled'; readonly verificationId: string }
  | { readonly status: 'not_found' };

export type CheckStatus = CheckResult['status'];
