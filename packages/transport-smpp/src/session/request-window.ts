import { type Cancellation, ErrorCode, RetryDecision, TidingsError } from '@tidings/core';
import type { Pdu } from '../pdu/pdu.js';

/** One request sent and not yet answered. */
export interface PendingRequest {
  readonly sequence: number;
  readonly command: string;
  /** Epoch ms after which the request fails with a timeout. */
  readonly deadline: number;
  /** Counted against the window (enquire_link, bind and unbind are not). */
  readonly windowed: boolean;
  /** Set once the bytes were handed to the socket: from then on, losing it is ambiguous. */
  written: boolean;
  /** Set when the caller stopped waiting (aborted); the slot stays taken until the peer answers. */
  abandoned: boolean;
  resolve(response: Pdu): void;
  reject(error: TidingsError): void;
}

interface SlotWaiter {
  resolve(): void;
  reject(error: unknown): void;
  signal: Cancellation | undefined;
  onAbort: (() => void) | undefined;
}

/**
 * The SMPP window: at most `capacity` requests unanswered at once, callers waiting in FIFO order
 * for a free slot, and exactly one outcome per request — a response, a timeout, or a
 * connection-lost error when the session closes.
 */
export class RequestWindow {
  readonly #capacity: number;
  // Insertion order is send order; with one timeout per session, deadlines grow in that order too.
  readonly #pending = new Map<number, PendingRequest>();
  readonly #waiters: SlotWaiter[] = [];
  #waiterHead = 0;
  #windowed = 0;
  #closedWith: TidingsError | undefined;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Requests counted against the window. */
  get inFlight(): number {
    return this.#windowed;
  }

  /** Every unanswered request, windowed or not. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  get waiting(): number {
    return this.#waiters.length - this.#waiterHead;
  }

  get hasFreeSlot(): boolean {
    return this.#windowed < this.#capacity && this.waiting === 0;
  }

  /** Reserves a slot if one is free now (nobody waiting), like `acquire` without the promise. */
  tryAcquire(): boolean {
    if (this.#closedWith !== undefined || !this.hasFreeSlot) return false;
    this.#windowed++;
    return true;
  }

  /**
   * Resolves when a slot is free, reserving it. The caller must then `add` a request or `release`
   * the slot.
   */
  acquire(signal?: Cancellation): Promise<void> {
    if (this.#closedWith) return Promise.reject(this.#closedWith);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.hasFreeSlot) {
      this.#windowed++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: SlotWaiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter, this.#waiterHead);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
    });
  }

  /** Gives back a slot reserved by `acquire` that was not used. */
  release(): void {
    this.#windowed--;
    this.#wakeNext();
  }

  /** Tracks a request just sent; after `close` it fails at once instead (nothing would answer it). */
  add(request: PendingRequest): void {
    if (this.#closedWith) {
      if (request.windowed) this.#windowed = Math.max(0, this.#windowed - 1);
      request.reject(this.#closedWith.with({ ambiguous: false }));
      return;
    }
    this.#pending.set(request.sequence, request);
  }

  /** Drops a request that was never sent (taken back before the write), freeing its slot. */
  forget(sequence: number): void {
    const request = this.#pending.get(sequence);
    if (request) this.#settle(request);
  }

  has(sequence: number): boolean {
    return this.#pending.has(sequence);
  }

  /** Settles the request a response answers; false when no request waits for this sequence. */
  complete(response: Pdu): boolean {
    const request = this.#pending.get(response.sequence_number);
    if (!request) return false;
    this.#settle(request);
    if (!request.abandoned) request.resolve(response);
    return true;
  }

  /** Fails every request whose deadline passed; returns the earliest remaining deadline. */
  expire(now: number): number | undefined {
    let earliest: number | undefined;
    for (const request of this.#pending.values()) {
      if (request.deadline > now) {
        earliest = earliest === undefined ? request.deadline : Math.min(earliest, request.deadline);
        continue;
      }
      this.#settle(request);
      if (!request.abandoned) {
        request.reject(
          new TidingsError(ErrorCode.Timeout, `no ${request.command}_resp within the response timeout`, {
            retry: RetryDecision.retry(),
            ambiguous: true,
            details: { command: request.command, sequence: request.sequence },
          }),
        );
      }
    }
    return earliest;
  }

  /** The window is done: every unanswered request and every waiter gets exactly one error. */
  close(reason: TidingsError): void {
    if (this.#closedWith) return;
    this.#closedWith = reason;
    const requests = [...this.#pending.values()];
    this.#pending.clear();
    this.#windowed = 0;
    for (const request of requests) {
      if (request.abandoned) continue;
      // Never written: the peer cannot have it, so a retry cannot duplicate it.
      request.reject(
        reason.with({ ambiguous: request.written, details: { ...reason.details, command: request.command } }),
      );
    }
    const waiters = this.#waiters.splice(this.#waiterHead);
    this.#waiters.length = 0;
    this.#waiterHead = 0;
    for (const waiter of waiters) {
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      waiter.reject(reason.with({ ambiguous: false }));
    }
  }

  #settle(request: PendingRequest): void {
    this.#pending.delete(request.sequence);
    if (request.windowed) {
      this.#windowed--;
      this.#wakeNext();
    }
  }

  #wakeNext(): void {
    while (this.#windowed < this.#capacity && this.#waiterHead < this.#waiters.length) {
      const waiter = this.#waiters[this.#waiterHead] as SlotWaiter;
      this.#waiters[this.#waiterHead] = undefined as unknown as SlotWaiter;
      this.#waiterHead++;
      if (this.#waiterHead > 1024 && this.#waiterHead * 2 > this.#waiters.length) {
        this.#waiters.splice(0, this.#waiterHead);
        this.#waiterHead = 0;
      }
      if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.#windowed++;
      waiter.resolve();
    }
  }
}
