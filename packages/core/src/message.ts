/** A template the provider fills in (EngageLab-style OTP templates, for instance). */
export interface TemplateRef {
  readonly id: string;
  readonly language?: string;
  /** Template parameters; providers take string values only. */
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * What a host asks to send. Every channel's own message shape extends this one; a channel may
 * make fields required (a code for Telegram) or add its own.
 */
export interface MessageBase {
  /** The recipient: a phone number in a form the channel accepts. */
  readonly to: string;
  /** The text to send. At least one of `text`, `code` or `template` is required. */
  readonly text?: string;
  /** A verification code, for channels that carry codes. */
  readonly code?: string;
  readonly template?: TemplateRef;
  /** Sender id (alphanumeric name or number) where the channel allows choosing it. */
  readonly from?: string;
  /** How long the provider should keep trying to deliver, in seconds. */
  readonly validitySeconds?: number;
  /** Provider priority, where supported (range is the channel's). */
  readonly priority?: number;
  /** The host's own reference; echoed in every event of this message. */
  readonly clientRef?: string;
  /**
   * Sending the same key again while the message is known returns the same handle and sends
   * nothing twice.
   */
  readonly idempotencyKey?: string;
  /** Free-form host data, carried with the message and never sent to the provider. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A mobile-originated (inbound) message received by a channel. */
export interface InboundMessage {
  readonly channel: string;
  /** Sender address (the subscriber). */
  readonly from: string;
  /** Recipient address (our number or service name). */
  readonly to: string;
  readonly text: string;
  readonly receivedAt: number;
  /** Provider-specific fields (TLVs, raw status) for consumers that need them. */
  readonly extras?: Readonly<Record<string, unknown>>;
}

/** The provider's view of a message's delivery, as carried by a delivery receipt. */
export type DeliveryState =
  | 'enroute'
  | 'accepted'
  | 'delivered'
  | 'undelivered'
  | 'expired'
  | 'deleted'
  | 'rejected'
  | 'unknown';

/** A delivery receipt, already parsed by the channel. */
export interface DeliveryReport {
  /** The id the provider gave when it accepted the message (or one of its parts). */
  readonly providerMessageId: string;
  readonly state: DeliveryState;
  /** The provider's error code for a failed delivery (`err:` in SMPP receipts). */
  readonly errorCode?: string | number;
  /** When the provider reached this state, if it says. */
  readonly doneAt?: number;
  /** Provider-specific fields (cost, parts, network code, vendor TLVs). */
  readonly extras?: Readonly<Record<string, unknown>>;
}

/** A delivery receipt as a channel received it, with the channel's name (`Tidings.reports$`). */
export interface ChannelReport extends DeliveryReport {
  readonly channel: string;
}

const nonFinalStates: ReadonlySet<DeliveryState> = new Set(['enroute', 'accepted']);

/** Whether a receipt state ends delivery (everything but `enroute` and `accepted`). */
export function isFinalDeliveryState(state: DeliveryState): boolean {
  return !nonFinalStates.has(state);
}
