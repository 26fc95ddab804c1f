import type { Observable } from 'rxjs';
import type { AcceptedEvent, MessageEvent, TerminalEvent } from './events.js';

/** What `send` returns: one message's lifecycle. */
export interface MessageHandle {
  readonly id: string;
  /**
   * Every event of this message, replayed from the first to late subscribers; completes after
   * the terminal event.
   */
  readonly events$: Observable<MessageEvent>;
  /**
   * Resolves when a provider accepts the message; rejects with the {@link TidingsError} of a
   * message that ended without being accepted.
   */
  readonly accepted: Promise<AcceptedEvent>;
  /** Resolves with the terminal event, whatever it is (it never rejects). */
  readonly settled: Promise<TerminalEvent>;
  /** The latest event so far. */
  readonly last: MessageEvent | undefined;
}
