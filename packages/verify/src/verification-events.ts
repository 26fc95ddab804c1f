interface VerificationEventBase<TType extends string> {
  readonly type: TType;
  readonly verificationId: string;
  /** The recipient, masked: the last four digits only (`+•••••••0550`). */
  readonly to: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly clientRef?: string;
}

/** A verification was recorded; its first code is being sent. */
export interface VerificationStartedEvent extends VerificationEventBase<'started'> {
  readonly channels: readonly string[];
  readonly expiresAt: number;
}

/** A code was handed to Tidings (the first, or a resend): follow `messageId` on `tidings.events$`. */
export interface VerificationSentEvent extends VerificationEventBase<'sent'> {
  readonly messageId: string;
  /** The first channel of the list; `fallback` events name the next ones. */
  readonly channel: string;
  readonly channels: readonly string[];
  /** 1 for the first code, 2 for the first resend… */
  readonly send: number;
  readonly expiresAt: number;
}

/** A channel gave up on the code's message; Tidings tries the next channel of the list. */
export interface VerificationFallbackEvent extends VerificationEventBase<'fallback'> {
  readonly messageId: string;
  /** The channel that gave up. */
  readonly channel: string;
  readonly nextChannel: string;
  /** The error code that made it give up (`TIDINGS_REJECTED`, `TIDINGS_UNDELIVERED`…). */
  readonly reason: string;
}

/** The code's message was delivered (or accepted, on a channel without receipts). */
export interface VerificationDeliveredEvent extends VerificationEventBase<'delivered'> {
  readonly messageId: string;
  readonly channel: string;
}

/** Every channel of the list failed to deliver the code; a resend (maybe `via` others) may help. */
export interface VerificationDeliveryFailedEvent extends VerificationEventBase<'delivery_failed'> {
  readonly messageId: string;
  /** The last channel tried. */
  readonly channel: string;
  readonly errorCode: string;
}

/** A check with a wrong code. */
export interface VerificationWrongCodeEvent extends VerificationEventBase<'wrong_code'> {
  /** 0 when this wrong check used the last attempt while an earlier one was still being compared. */
  readonly attemptsLeft: number;
}

export type VerificationApprovedEvent = VerificationEventBase<'approved'>;
export type VerificationExpiredEvent = VerificationEventBase<'expired'>;
export type VerificationMaxAttemptsEvent = VerificationEventBase<'max_attempts'>;
export type VerificationCancelledEvent = VerificationEventBase<'cancelled'>;

/** Everything that happens to a verification, discriminated by `type`. Never carries the code. */
export type VerificationEvent =
  | VerificationStartedEvent
  | VerificationSentEvent
  | VerificationFallbackEvent
  | VerificationDeliveredEvent
  | VerificationDeliveryFailedEvent
  | VerificationWrongCodeEvent
  | VerificationApprovedEvent
  | VerificationExpiredEvent
  | VerificationMaxAttemptsEvent
  | VerificationCancelledEvent;

export type VerificationEventType = VerificationEvent['type'];
