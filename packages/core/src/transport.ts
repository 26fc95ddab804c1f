import type { Observable } from 'rxjs';
import type { TidingsError } from './errors.js';

export type TransportStatus = 'idle' | 'connecting' | 'open' | 'closing' | 'closed' | 'failed';

export interface TransportState {
  readonly status: TransportStatus;
  /** Which endpoint is in use, for humans (host:port; never credentials). */
  readonly endpoint?: string;
  readonly detail?: string;
  readonly error?: TidingsError;
}

export interface RequestOptions {
  /** Fails the request with a `TIDINGS_TIMEOUT` error (ambiguous) when no answer comes in time. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * A connection to a provider: SMPP today, HTTP or others later. Every request ends in exactly one
 * outcome: a response, or a {@link TidingsError} (on close, in-flight requests fail with an
 * ambiguous, retryable error; none is forgotten).
 */
export interface Transport<TRequest, TResponse> {
  /** Replays the current state to new subscribers and emits only changes. */
  readonly state$: Observable<TransportState>;
  connect(): Promise<void>;
  /** Closes gracefully, settling every in-flight request first. */
  close(): Promise<void>;
  request(request: TRequest, options?: RequestOptions): Promise<TResponse>;
}
