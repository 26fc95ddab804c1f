import { type Cancellation, type Clock, ErrorCode, TidingsError, type Timer } from '@tidings/core';
import { AdaptiveRate } from './adaptive-rate.js';
import { TokenBucket } from './token-bucket.js';

export interface FlowControllerOptions {
  /** Submit PDUs per second; undefined for no cap (the provider's throttling still pauses). */
  readonly maxPerSecond?: number;
  readonly clock: Clock;
}

interface Waiter {
  readonly segments: number;
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: Cancellation | undefined;
  readonly onAbort: (() => void) | undefined;
  settled: boolean;
}

const RESOLVED: Promise<void> = Promise.resolve();
/** Settled waiters at the head are dropped lazily; the array is compacted past this many. */
const COMPACT_AFTER = 1024;

/**
 * Decides when a channel may send: a rate cap (token bucket) that adapts to the provider's
 * throttling (AIMD), pauses asked for by the provider, and a FIFO line of senders waiting for
 * either. With tokens at hand and nobody waiting, `acquire` costs no allocation and no timer.
 */
export class FlowController {
  readonly #clock: Clock;
  readonly #bucket: TokenBucket | undefined;
  readonly #adaptive: AdaptiveRate | undefined;
  #queue: Waiter[] = [];
  #head = 0;
  /** Waiters in the queue not yet settled. */
  #waiting = 0;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  /** At most one timer, and only while someone waits. */
  #timer: Timer | undefined;
  #closed: Error | undefined;
  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#pump();
  };

  constructor(options: FlowControllerOptions) {
    this.#clock = options.clock;
    const { maxPerSecond } = options;
    if (maxPerSecond === undefined) return;
    if (!(Number.isFinite(maxPerSecond) && maxPerSecond > 0)) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `Flow control: maxPerSecond must be a finite number > 0 (got ${maxPerSecond}); leave it out for no cap`,
        { details: { option: 'maxPerSecond' } },
      );
    }
    const now = (): number => this.#clock.now();
    this.#bucket = new TokenBucket({ ratePerSecond: maxPerSecond, now });
    this.#adaptive = new AdaptiveRate({ maxRate: maxPerSecond, now });
  }

  /**
   * Resolves when the caller may send `segments` PDUs (they are counted as sent then). Waiters are
   * served first come, first served. Rejects with the signal's reason when aborted, and with the
   * close reason once closed.
   */
  acquire(segments: number, signal?: Cancellation): Promise<void> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(Number.isInteger(segments) && segments >= 0)) {
      return Promise.reject(
        new TidingsError(ErrorCode.Internal, `Flow control: segments must be an integer ≥ 0 (got ${segments})`),
      );
    }
    if (this.#waiting === 0 && this.#mayPass(segments)) return RESOLVED;
    return new Promise<void>((resolve, reject) => {
      const onAbort = signal === undefined ? undefined : () => this.#abort(waiter);
      const waiter: Waiter = { segments, resolve, reject, signal, onAbort, settled: false };
      signal?.addEventListener('abort', onAbort as () => void, { once: true });
      this.#queue.push(waiter);
      // The first waiter starts the line moving; later ones queue behind the pending timer.
      if (++this.#waiting === 1) this.#pump();
    });
  }

  /**
   * `acquire` without the promise, for the common case: true when the caller may send
   * `segments` PDUs right now (they are counted as sent); false when it must `acquire` and wait.
   */
  tryAcquire(segments: number): boolean {
    return this.#closed === undefined && this.#waiting === 0 && this.#mayPass(segments);
  }

  /** Hold every send until `ms` from now. A longer pause extends a current one; a shorter one does not shorten it. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    const until = this.#clock.now() + ms;
    // A waiting timer due sooner simply finds the pause and sleeps again.
    if (until > this.#pausedUntil) this.#pausedUntil = until;
  }

  /** The provider throttled: pause, and lower the rate when a cap is set. */
  throttled(pauseMs: number): void {
    this.pause(pauseMs);
    if (this.#adaptive === undefined) return;
    this.#adaptive.throttled();
    this.#syncRate(this.#adaptive);
  }

  /** A send was accepted: let the rate climb back towards the cap. */
  succeeded(): void {
    if (this.#adaptive === undefined) return;
    this.#adaptive.succeeded();
    this.#syncRate(this.#adaptive);
  }

  /** When the current pause ends, or undefined when not paused. */
  get pausedUntil(): number | undefined {
    return this.#pausedUntil > this.#clock.now() ? this.#pausedUntil : undefined;
  }

  /** The rate in force (PDUs/s), or undefined when uncapped. */
  get currentRate(): number | undefined {
    return this.#bucket?.rate;
  }

  /** Senders waiting in `acquire`. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Rejects every waiter and every later `acquire` with `reason`. */
  close(reason: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    this.#cancelTimer();
    const queue = this.#queue;
    for (let i = this.#head; i < queue.length; i++) {
      const waiter = queue[i] as Waiter;
      if (!waiter.settled) this.#reject(waiter, reason);
    }
    this.#clear();
  }

  #mayPass(segments: number): boolean {
    return this.#clock.now() >= this.#pausedUntil && (this.#bucket === undefined || this.#bucket.take(segments) === 0);
  }

  /** Lets waiters through in order while they may pass, then sleeps until the head one may. */
  #pump(): void {
    this.#cancelTimer();
    const queue = this.#queue;
    while (this.#head < queue.length) {
      const waiter = queue[this.#head] as Waiter;
      if (!waiter.settled) {
        let wait = this.#pausedUntil - this.#clock.now();
        if (wait <= 0 && this.#bucket !== undefined) wait = this.#bucket.take(waiter.segments);
        if (wait > 0) {
          this.#compact();
          this.#timer = this.#clock.setTimeout(this.#onTimer, wait);
          return;
        }
        this.#detach(waiter);
        waiter.resolve();
      }
      this.#head++;
    }
    this.#clear();
  }

  #abort(waiter: Waiter): void {
    if (waiter.settled) return;
    this.#reject(waiter, waiter.signal?.reason);
    if (this.#waiting === 0) {
      this.#cancelTimer();
      this.#clear();
    } else if (this.#queue[this.#head] === waiter) {
      // The head left: the next one may be able to go now.
      this.#pump();
    }
    this.#compact();
  }

  #reject(waiter: Waiter, reason: unknown): void {
    this.#detach(waiter);
    waiter.reject(reason);
  }

  /** Marks a waiter settled and drops its abort listener. */
  #detach(waiter: Waiter): void {
    waiter.settled = true;
    this.#waiting--;
    if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  }

  #syncRate(adaptive: AdaptiveRate): void {
    const bucket = this.#bucket as TokenBucket;
    const rate = adaptive.current;
    if (rate !== bucket.rate) bucket.setRate(rate);
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #clear(): void {
    this.#queue.length = 0;
    this.#head = 0;
  }

  #compact(): void {
    if (this.#head < COMPACT_AFTER || this.#head * 2 < this.#queue.length) return;
    this.#queue = this.#queue.slice(this.#head);
    this.#head = 0;
  }
}
