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
  /** The recipient's key: digits only for a phone number, lowercased for e-mail (see `check({ to })`, start limits). */
  readonly recipient: string;
  /** The address the codes are sent to: `start`'s `to` as given, trimmed. */
  readonly to: string;
  /** The channels of the latest send, in fallback order. */
  readonly channels: readonly string[];
  /** Digits in the code. */
  readonly length: number;
  /** How long each code of this verification is accepted. */
  readonly ttlMs: number;
  /** The message text, `{code}` standing for the code (the template: never the filled text). */
  readonly text: string;
  /**
   * The codes sent that have not expired, oldest first (at most `maxSends`): each one's salt, HMAC
   * and deadline. A resend adds one; any of them approves until its own deadline, so the code in
   * the message the user got last works even when an earlier message arrived after it.
   */
  readonly codes: readonly StoredCode[];
  readonly status: VerificationStatus;
  /** Checks counted so far, across resends. */
  readonly attempts: number;
  /** Counted checks found wrong: `max_attempts` comes when all `maxAttempts` were wrong. */
  readonly wrongAttempts: number;
  readonly maxAttempts: number;
  /** Codes sent so far (the first included). */
  readonly sends: number;
  /** The newest code stops being accepted at this time (ms since the epoch): the verification's deadline. */
  readonly expiresAt: number;
  readonly lastSentAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Tidings message ids of the sends, oldest first: the link to `tidings.events$`. */
  readonly messageIds: readonly string[];
  /** The host's own reference, echoed in events. */
  readonly clientRef?: string;
  /** `start`'s own extra message fields by channel (plain JSON), used by its resends too. */
  readonly messages?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** One code as kept: never the code, only its salted HMAC (base64url) and when it stops working. */
export interface StoredCode {
  readonly salt: string;
  readonly hash: string;
  readonly expiresAt: number;
}
