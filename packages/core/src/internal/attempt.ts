import type { Cancellation, SendContext } from '../channel.js';
import type { Timer } from '../clock.js';
import type { Flight } from './flight.js';

/**
 * One send attempt of a flight: the {@link SendContext} the channel is given (and its
 * {@link Cancellation}) and, for the runtime, what ends it — one object per attempt instead of a
 * promise wrapper, closures and an AbortController.
 */
export class Attempt<TSlot = unknown> implements SendContext, Cancellation {
  readonly messageId: string;
  readonly attempt: number;
  /** Set once the attempt has ended (answered, failed, timed out or cancelled). */
  closed = false;
  /** The submit timeout. */
  deadline: Timer | undefined;
  /** The shared rate's gate for the later parts of a long message (a cluster's), if any. */
  beforeNextPart: (() => Promise<void> | undefined) | undefined;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #listeners: (() => void)[] | undefined;

  constructor(
    readonly flight: Flight,
    readonly slot: TSlot,
    /** The flight's token when the attempt started: a later one means the attempt went stale. */
    readonly token: number,
    /** Gives the lane slot back. */
    readonly release: () => void,
  ) {
    this.messageId = flight.id;
    this.attempt = flight.attempt;
  }

  /** Made on first use only: most channels never read it, and an AbortController is costly. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  get cancellation(): Cancellation {
    return this;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  /** Like `AbortSignal`: a listener added twice is called once; none is called after the abort. */
  addEventListener(type: 'abort', listener: () => void, _options?: { readonly once?: boolean }): void {
    if (type !== 'abort' || this.#aborted) return;
    const listeners = (this.#listeners ??= []);
    if (!listeners.includes(listener)) listeners.push(listener);
  }

  removeEventListener(type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    if (type !== 'abort' || listeners === undefined) return;
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  }

  /** Gives up on the attempt: aborts the signal (if a channel read it) and tells the listeners. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners === undefined) return;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // As an EventTarget does: the others still run, the error surfaces on its own.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
