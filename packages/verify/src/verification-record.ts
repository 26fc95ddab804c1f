/**
 * Where a verification stands. `pending` is the only open state; the others are final:
 * `approved` (a check matched), `expired` (its TTL ran out), `max_attempts` (the attempt limit was
 * used up), `cancelled` (the host called `cancel`).
 */
export type VerificationStatus = 'pending' | 'approved' | 'expired' | 'max_attempts' | 'cancelled';

/** A final status: no check, resend or cancel changes it again. */
export type FinalVerificationStatus = Exclude<VerificationStatus, 'pending'>;

/**
 * What a {@link VerificationStore} keeps of one verification: plain JSON-serialisable data. The
 * code is not here, only its salted hash.
 */
export interface VerificationRecord {
  readonly id: string;
  /** The recipient, normalised (separators removed). */
  readonly recipient: string;
  /** The channels of the latest send, in fallback order. */
  readonly channels: readonly string[];
  /** Digits in the code. */
  readonly length: number;
  /** How long each code of this verification is accepted. */
  readonly ttlMs: number;
  /** The message text, `{code}` standing for the code (the template: never the filled text). */
  readonly text: string;
  /** The latest code's salt and HMAC (base64url); replaced on each resend. */
  readonly salt: string;
  readonly hash: string;
  readonly status: VerificationStatus;
  /** Checks counted so far, across resends. */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** Codes sent so far (the first included). */
  readonly sends: number;
  /** The current code stops being accepted at this time (ms since the epoch). */
  readonly expiresAt: number;
  readonly lastSentAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Tidings message ids of the sends, oldest first: the link to `tidings.events$`. */
  readonly messageIds: readonly string[];
  /** The host's own reference, echoed in events. */
  readonly clientRef?: string;
}
