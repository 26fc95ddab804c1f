import type { Observable } from 'rxjs';
import type { TidingsError } from './errors.js';
import type { DeliveryReport, InboundMessage, MessageBase } from './message.js';

/** What a channel can send. */
export type MessageKind = 'sms' | 'code' | 'template' | 'voice' | 'email' | 'messenger' | 'lookup' | (string & {});

export interface ChannelCapabilities {
  readonly kinds: readonly MessageKind[];
  /** The channel reports delivery receipts. */
  readonly receipts: boolean;
  /** The channel receives mobile-originated messages. */
  readonly inbound: boolean;
}

/** Connection status of a channel. */
export type ChannelStatus =
  | 'idle'
  | 'connecting'
  | 'ready'
  | 'reconnecting'
  | 'stopping'
  | 'stopped'
  /** Gave up (authentication refused, reconnect attempts exhausted); needs a human. */
  | 'failed';

export interface ChannelState {
  readonly status: ChannelStatus;
  /** A human-readable reason (never secrets). */
  readonly detail?: string;
  readonly error?: TidingsError;
}

/**
 * The part of an `AbortSignal` a channel needs to hear that an attempt was given up on. An
 * `AbortSignal` is one; {@link SendContext.cancellation} is a cheaper one.
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Facts about one send attempt, given to {@link Channel.send}. */
export interface SendContext {
  readonly messageId: string;
  /** 1 for the first attempt; grows with retries and fallback. */
  readonly attempt: number;
  /** Aborted when the runtime gives up on this attempt (timeout, shutdown deadline). */
  readonly signal: AbortSignal;
  /**
   * The same cancellation as `signal`, for channels that only need to be told (no `fetch`):
   * reading `signal` makes an `AbortController`, which costs more than the rest of a send in a
   * fast channel. The runtime always provides it; a context made by hand (a test) may not, so
   * fall back: `context.cancellation ?? context.signal`.
   */
  readonly cancellation?: Cancellation;
  /**
   * A channel that sends one message as several requests (the parts of a long SMS) awaits this
   * before each request after the first, when it is set: a rate shared by several processes
   * counts requests, as providers do, not messages. It never rejects. Unset when nothing paces.
   */
  readonly beforeNextPart?: (() => Promise<void> | undefined) | undefined;
}

/** The provider's answer to an accepted submit. */
export interface SubmitResult {
  readonly providerMessageId: string;
  /**
   * Ids of every part when the provider gives one per part (long messages); the message is
   * settled when each has a final receipt. Omit when one id covers the whole message.
   */
  readonly partIds?: readonly string[];
  /** Number of SMS parts sent. Defaults to 1. */
  readonly parts?: number;
  /** Whether a delivery receipt will follow. Defaults to the channel's `capabilities.receipts`. */
  readonly receiptExpected?: boolean;
}

/**
 * The plugin contract every provider channel implements. The runtime owns the message lifecycle
 * (queueing, retries, fallback, events); a channel validates, submits, and reports what the
 * provider says.
 */
export interface Channel<TMessage extends MessageBase = MessageBase> {
  /** The instance name hosts use in `send` (two instances of one plugin have two names). */
  readonly name: string;
  /** The plugin kind, e.g. `telegram`, `smsc`. */
  readonly kind: string;
  readonly capabilities: ChannelCapabilities;
  /** Connection status: replays the current state to new subscribers, emits only changes. */
  readonly state$: Observable<ChannelState>;
  /** Delivery receipts, as the provider sends them (possibly early, possibly twice). */
  readonly reports$: Observable<DeliveryReport>;
  /** Mobile-originated messages. */
  readonly inbound$: Observable<InboundMessage>;

  start(): Promise<void>;
  /** Closes connections gracefully. In-flight sends must settle (resolve or reject) before it resolves. */
  stop(): Promise<void>;
  /**
   * Throws a {@link TidingsError} with code `TIDINGS_INVALID_MESSAGE` when the message cannot be
   * sent as is. Called before anything is queued; must not perform I/O.
   */
  validate(message: TMessage): void;
  /**
   * Submits one attempt. Resolves when the provider accepted it; rejects with a
   * {@link TidingsError} whose `retry` says what to do next (its `ambiguous` flag says whether the
   * provider may have received it anyway).
   */
  send(message: TMessage, context: SendContext): Promise<SubmitResult>;
  /**
   * Asks the provider for a message's current state, where it can tell (SMPP `query_sm`, a status
   * endpoint). Optional: a channel without it answers `TIDINGS_UNSUPPORTED` through the runtime.
   */
  query?(providerMessageId: string): Promise<DeliveryReport>;
}
