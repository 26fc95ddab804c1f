import { RetryDecision } from './retry-decision.js';

/** Stable, machine-readable error codes. New codes may be added; existing ones never change meaning. */
export const ErrorCode = {
  /** The message failed validation; nothing was sent. */
  InvalidMessage: 'TIDINGS_INVALID_MESSAGE',
  /** A plugin or runtime option is invalid; raised when the plugin is created. */
  InvalidOptions: 'TIDINGS_INVALID_OPTIONS',
  /** `send` named a channel that no loaded plugin provides. */
  UnknownChannel: 'TIDINGS_UNKNOWN_CHANNEL',
  /** The channel cannot do what was asked (a message kind, an operation). */
  Unsupported: 'TIDINGS_UNSUPPORTED',
  /** The provider refused the message. `providerStatus` holds its raw status. */
  Rejected: 'TIDINGS_REJECTED',
  /** The provider asked us to slow down. */
  Throttled: 'TIDINGS_THROTTLED',
  /** No answer in time; whether the provider got the message is unknown. */
  Timeout: 'TIDINGS_TIMEOUT',
  /** The connection dropped; for a request already written, the outcome is unknown. */
  ConnectionLost: 'TIDINGS_CONNECTION_LOST',
  /** The provider refused our credentials. */
  AuthFailed: 'TIDINGS_AUTH_FAILED',
  /** The peer broke the protocol (malformed frame, unexpected PDU). */
  ProtocolError: 'TIDINGS_PROTOCOL_ERROR',
  /** The provider reports the message could not be delivered (receipt). */
  Undelivered: 'TIDINGS_UNDELIVERED',
  /** The provider reports the message's validity ran out (receipt). */
  Expired: 'TIDINGS_EXPIRED',
  /** The idempotency key belongs to a message this process no longer holds a handle for. */
  Duplicate: 'TIDINGS_DUPLICATE',
  /** Every allowed attempt was used. `cause` is the last attempt's error. */
  RetriesExhausted: 'TIDINGS_RETRIES_EXHAUSTED',
  /** The message was accepted but no delivery receipt came within the deadline. */
  ReceiptTimeout: 'TIDINGS_RECEIPT_TIMEOUT',
  /** Too many messages are waiting for this channel. */
  QueueFull: 'TIDINGS_QUEUE_FULL',
  /** The runtime is stopping or stopped; the message was ended, or refused. */
  Shutdown: 'TIDINGS_SHUTDOWN',
  /** A plugin failed to start. */
  StartFailed: 'TIDINGS_START_FAILED',
  /** A bug or an unexpected exception inside a channel. */
  Internal: 'TIDINGS_INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface TidingsErrorOptions {
  /** What the core should do about it. Defaults to `never`. */
  readonly retry?: RetryDecision;
  /** The provider's raw status (an SMPP `command_status`, an HTTP code, a receipt `err`). */
  readonly providerStatus?: number | string;
  /** The channel instance the error happened on. */
  readonly channel?: string;
  /**
   * True when the provider may or may not have received the message (timeout or connection lost
   * after the request was written). Retrying may then send it twice.
   */
  readonly ambiguous?: boolean;
  /** Extra structured facts (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** The one error class of Tidings: a stable `code`, the retry decision, the provider status, `cause`. */
export class TidingsError extends Error {
  override readonly name = 'TidingsError';
  readonly code: ErrorCode | (string & {});
  readonly retry: RetryDecision;
  readonly providerStatus: number | string | undefined;
  readonly channel: string | undefined;
  readonly ambiguous: boolean;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode | (string & {}), message: string, options: TidingsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retry = options.retry ?? RetryDecision.never();
    this.providerStatus = options.providerStatus;
    this.channel = options.channel;
    this.ambiguous = options.ambiguous ?? false;
    this.details = options.details;
  }

  /** The same error with some facts replaced (errors are immutable once raised). */
  with(overrides: Omit<TidingsErrorOptions, 'cause'>): TidingsError {
    return new TidingsError(this.code, this.message, {
      retry: overrides.retry ?? this.retry,
      ...pick('providerStatus', overrides.providerStatus ?? this.providerStatus),
      ...pick('channel', overrides.channel ?? this.channel),
      ambiguous: overrides.ambiguous ?? this.ambiguous,
      ...pick('details', overrides.details ?? this.details),
      ...pick('cause', this.cause),
    });
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      retry: this.retry,
      ambiguous: this.ambiguous,
      ...pick('providerStatus', this.providerStatus),
      ...pick('channel', this.channel),
      ...pick('details', this.details),
    };
  }

  static is(value: unknown, code?: ErrorCode | (string & {})): value is TidingsError {
    return value instanceof TidingsError && (code === undefined || value.code === code);
  }

  /** Wraps anything thrown into a TidingsError, keeping it as `cause`. */
  static from(value: unknown, fallbackCode: ErrorCode = ErrorCode.Internal): TidingsError {
    if (value instanceof TidingsError) return value;
    const message = value instanceof Error ? value.message : String(value);
    return new TidingsError(fallbackCode, message, { cause: value });
  }
}

function pick<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
