import type { TidingsError } from './errors.js';
import type { DeliveryReport } from './message.js';

interface EventBase<TType extends string> {
  readonly type: TType;
  /** Tidings' id for the message (not the provider's). */
  readonly messageId: string;
  /** The channel instance this event happened on. */
  readonly channel: string;
  /** Send attempts made so far for this message, across retries and fallback (0 before the first). */
  readonly attempt: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  /** True on the message's last event; exactly one event per message has it. */
  readonly terminal: boolean;
  readonly clientRef?: string;
}

/** Accepted by the runtime and waiting for its channel. */
export interface QueuedEvent extends EventBase<'queued'> {
  readonly terminal: false;
}

/** Handed to the channel for transmission. */
export interface SubmittedEvent extends EventBase<'submitted'> {
  readonly terminal: false;
}

/** The provider took the message and gave it an id. Terminal when no receipt will follow. */
export interface AcceptedEvent extends EventBase<'accepted'> {
  readonly providerMessageId: string;
  /** How many SMS parts the provider received. */
  readonly parts: number;
}

/** A transient failure; the message will be sent again after `delayMs`. */
export interface RetryingEvent extends EventBase<'retrying'> {
  readonly terminal: false;
  readonly delayMs: number;
  /** True when the whole channel is paused (throttling, queue full) rather than this message. */
  readonly channelPaused: boolean;
  readonly error: TidingsError;
}

/** The provider refused the message. Not terminal when a fallback channel follows. */
export interface RejectedEvent extends EventBase<'rejected'> {
  readonly error: TidingsError;
}

/** The provider reports the message delivered. Always terminal. */
export interface DeliveredEvent extends EventBase<'delivered'> {
  readonly terminal: true;
  readonly providerMessageId: string;
  readonly report: DeliveryReport;
}

/** The provider reports the message could not be delivered. */
export interface UndeliveredEvent extends EventBase<'undelivered'> {
  readonly providerMessageId: string;
  readonly report: DeliveryReport;
  readonly error: TidingsError;
}

/** The message's validity ran out before delivery. */
export interface ExpiredEvent extends EventBase<'expired'> {
  readonly providerMessageId: string;
  readonly report: DeliveryReport;
  readonly error: TidingsError;
}

/**
 * A local failure: validation, timeout, connection lost, retries exhausted, no receipt in time,
 * shutdown. `error.code` says which.
 */
export interface FailedEvent extends EventBase<'failed'> {
  readonly error: TidingsError;
}

/** The current channel gave up; the message moves on to the next channel of its list. */
export interface FallbackEvent extends EventBase<'fallback'> {
  readonly terminal: false;
  /** The channel that gave up (same as `channel`). */
  readonly from: string;
  /** The channel tried next. */
  readonly to: string;
  readonly reason: TidingsError;
}

/** Everything that can happen to one message, discriminated by `type`. */
export type MessageEvent =
  | QueuedEvent
  | SubmittedEvent
  | AcceptedEvent
  | RetryingEvent
  | RejectedEvent
  | DeliveredEvent
  | UndeliveredEvent
  | ExpiredEvent
  | FailedEvent
  | FallbackEvent;

export type MessageEventType = MessageEvent['type'];

/** A message's last event. */
export type TerminalEvent = Extract<
  MessageEvent,
  { type: 'accepted' | 'rejected' | 'delivered' | 'undelivered' | 'expired' | 'failed' }
> & { readonly terminal: true };

/** True for the terminal event of a message, and a type guard for it. */
export function isTerminalEvent(event: MessageEvent): event is TerminalEvent {
  return event.terminal;
}

/** Whether a terminal event means success (delivered, or accepted where no receipt is expected). */
export function isSuccessEvent(event: TerminalEvent): boolean {
  return event.type === 'delivered' || event.type === 'accepted';
}
