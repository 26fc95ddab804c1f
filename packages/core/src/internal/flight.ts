import { Observable, type Subscriber } from 'rxjs';
import type { Timer } from '../clock.js';
import { ErrorCode, TidingsError } from '../errors.js';
import type { AcceptedEvent, MessageEvent, TerminalEvent } from '../events.js';
import type { DeliveryReport, MessageBase } from '../message.js';
import type { MessageHandle } from '../message-handle.js';
import type { Attempt } from './attempt.js';

export type FlightState = 'queued' | 'sending' | 'retry-wait' | 'awaiting-receipt' | 'done';

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Marked handled: a host that never looks at `accepted` must not crash on a failed message.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

const noKeys: readonly string[] = Object.freeze([]);

/** One message in the runtime: its progress, its timers and its event log (for replay). */
export class Flight {
  readonly id: string;
  readonly message: MessageBase;
  readonly channels: readonly string[];
  readonly fallbackAfterMs: number | undefined;
  channelIndex = 0;
  state: FlightState = 'queued';
  /** Attempts across channels (what events carry). */
  attempt = 0;
  /** Failed attempts on the current channel, throttling pauses counted apart. */
  sends = 0;
  pauses = 0;
  /** Changes whenever queued work for this flight becomes stale (moved on, stopped). */
  token = 0;
  /** The attempt in progress; ending it (timeout, fallback, shutdown) ignores its late answer. */
  current: Attempt | undefined;
  retryTimer: Timer | undefined;
  receiptTimer: Timer | undefined;
  fallbackTimer: Timer | undefined;
  providerMessageId: string | undefined;
  /**
   * Provider ids of parts still waiting for a final receipt: the id itself for a one-part
   * message (the common case, no Set), '' once its receipt came.
   */
  pendingParts: Set<string> | string | undefined;
  /** Provider ids of every part, while waiting for receipts on the current channel. */
  allPartKeys: readonly string[] = noKeys;
  failedPart: DeliveryReport | undefined;
  settledAt: number | undefined;
  /** Neighbours in the runtime's list of live flights (no map entry per message). */
  previousLive: Flight | undefined;
  nextLive: Flight | undefined;

  readonly #log: MessageEvent[] = [];
  #listeners: Set<Subscriber<MessageEvent>> | undefined;
  #accepted: Deferred<AcceptedEvent> | undefined;
  #settled: Deferred<TerminalEvent> | undefined;
  #acceptedEvent: AcceptedEvent | undefined;
  #terminal: TerminalEvent | undefined;

  /** The host's view: only what a host may use. */
  readonly handle: MessageHandle;

  constructor(id: string, message: MessageBase, channels: readonly string[], fallbackAfterMs: number | undefined) {
    this.id = id;
    this.message = message;
    this.channels = channels;
    this.fallbackAfterMs = fallbackAfterMs;
    this.handle = new FlightHandle(this);
  }

  get channel(): string {
    return this.channels[this.channelIndex] as string;
  }

  get hasNextChannel(): boolean {
    return this.channelIndex + 1 < this.channels.length;
  }

  get done(): boolean {
    return this.state === 'done';
  }

  get last(): MessageEvent | undefined {
    return this.#log[this.#log.length - 1];
  }

  get terminalEvent(): TerminalEvent | undefined {
    return this.#terminal;
  }

  #events$: Observable<MessageEvent> | undefined;

  /** Made on first use: most messages are only watched through the runtime's `events$`. */
  get events$(): Observable<MessageEvent> {
    this.#events$ ??= new Observable<MessageEvent>((subscriber) => {
      for (const event of this.#log) {
        if (subscriber.closed) return;
        subscriber.next(event);
      }
      if (this.#terminal) {
        subscriber.complete();
        return;
      }
      (this.#listeners ??= new Set()).add(subscriber);
      return () => this.#listeners?.delete(subscriber);
    });
    return this.#events$;
  }

  get accepted(): Promise<AcceptedEvent> {
    if (this.#acceptedEvent) return Promise.resolve(this.#acceptedEvent);
    if (this.#terminal) return rejectedPromise(notAccepted(this.#terminal));
    this.#accepted ??= deferred();
    return this.#accepted.promise;
  }

  get settled(): Promise<TerminalEvent> {
    if (this.#terminal) return Promise.resolve(this.#terminal);
    this.#settled ??= deferred();
    return this.#settled.promise;
  }

  /** Records an event and tells this message's subscribers. */
  record(event: MessageEvent): void {
    this.#log.push(event);
    if (event.type === 'accepted' && !this.#acceptedEvent) {
      this.#acceptedEvent = event;
      this.#accepted?.resolve(event);
    }
    if (event.terminal) {
      this.#terminal = event as TerminalEvent;
      this.#settled?.resolve(this.#terminal);
      if (!this.#acceptedEvent) this.#accepted?.reject(notAccepted(this.#terminal));
    }
    if (this.#listeners) {
      for (const subscriber of this.#listeners) subscriber.next(event);
      if (event.terminal) {
        for (const subscriber of this.#listeners) subscriber.complete();
        this.#listeners = undefined;
      }
    }
  }
}

function notAccepted(terminal: TerminalEvent): TidingsError {
  if ('error' in terminal && terminal.error instanceof TidingsError) return terminal.error;
  return new TidingsError(ErrorCode.Internal, `message ended with "${terminal.type}" without being accepted`);
}

function rejectedPromise<T>(error: unknown): Promise<T> {
  const promise = Promise.reject<T>(error);
  promise.catch(() => {});
  return promise;
}

/** The host's view of a flight: what a host may use, and nothing else. */
class FlightHandle implements MessageHandle {
  readonly #flight: Flight;

  constructor(flight: Flight) {
    this.#flight = flight;
  }

  get id(): string {
    return this.#flight.id;
  }

  get events$(): Observable<MessageEvent> {
    return this.#flight.events$;
  }

  get accepted(): Promise<AcceptedEvent> {
    return this.#flight.accepted;
  }

  get settled(): Promise<TerminalEvent> {
    return this.#flight.settled;
  }

  get last(): MessageEvent | undefined {
    return this.#flight.last;
  }

  toJSON(): { id: string; last: MessageEvent | undefined } {
    return { id: this.id, last: this.last };
  }
}
