import type { Clock, Timer } from '../clock.js';

interface Scheduled {
  readonly due: number;
  /** Scheduling order, so timers due at the same instant fire first-scheduled first. */
  readonly seq: number;
  readonly callback: () => void;
  readonly weak: boolean;
  state: 'pending' | 'fired' | 'cancelled';
}

/**
 * A {@link Clock} that only moves when told to, for tests. `advance(ms)` fires every timer due in
 * the window in due order (ties in scheduling order), with `now()` equal to each timer's due time
 * while its callback runs; timers scheduled by those callbacks fire too when they fall inside the
 * window. Nothing here touches real time.
 *
 * A callback that throws stops the advance: the error propagates, `now()` stays at that timer's
 * due time and the remaining timers stay scheduled.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #pending = 0;
  #advancing = false;
  /** A binary min-heap ordered by (due, seq); cancelled timers are dropped lazily. */
  readonly #heap: Scheduled[] = [];

  constructor(startMs = 0) {
    if (!Number.isFinite(startMs)) throw new RangeError(`ManualClock: start must be a finite number (got ${startMs})`);
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number, options?: { readonly weak?: boolean }): Timer {
    // Like the platform timer: a negative or NaN delay means "as soon as possible", never the past.
    const delay = Number.isNaN(delayMs) ? 0 : Math.max(0, delayMs);
    const timer: Scheduled = {
      due: this.#now + delay,
      seq: this.#seq++,
      callback,
      weak: options?.weak ?? false,
      state: 'pending',
    };
    this.#push(timer);
    this.#pending++;
    return {
      cancel: () => {
        if (timer.state !== 'pending') return;
        timer.state = 'cancelled';
        this.#pending--;
        this.#compact();
      },
    };
  }

  /** Timers scheduled and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.#pending;
  }

  /** Pending timers created without `weak` (the ones that would keep a process alive). */
  get pendingStrongTimers(): number {
    return this.#heap.filter((timer) => timer.state === 'pending' && !timer.weak).length;
  }

  /** The due time of the next pending timer, or `undefined` when none is scheduled. */
  nextDue(): number | undefined {
    return this.#peek()?.due;
  }

  /** Moves time forward by `ms`, firing every timer due up to and including the new time. */
  advance(ms: number): void {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`ManualClock: cannot advance by ${ms} ms`);
    this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `time` (never backwards), firing every timer due by then. */
  advanceTo(time: number): void {
    if (!Number.isFinite(time) || time < this.#now) {
      throw new RangeError(`ManualClock: cannot move from ${this.#now} to ${time}`);
    }
    this.#guard(() => {
      for (let timer = this.#takeDue(time); timer; timer = this.#takeDue(time)) this.#fire(timer);
      this.#now = time;
    });
  }

  /**
   * Fires timers until none is left, moving time to each one's due time. Throws after `limit`
   * timers, which catches timers that keep rescheduling themselves.
   */
  runAll(limit = 100_000): void {
    this.#guard(() => {
      let fired = 0;
      for (
        let timer = this.#takeDue(Number.POSITIVE_INFINITY);
        timer;
        timer = this.#takeDue(Number.POSITIVE_INFINITY)
      ) {
        if (++fired > limit) {
          this.#push(timer);
          throw new Error(`ManualClock: more than ${limit} timers fired in runAll; a timer keeps rescheduling itself?`);
        }
        this.#fire(timer);
      }
    });
  }

  /**
   * Like {@link advance}, for code that chains promises: after each timer (and before the first)
   * it lets pending promise callbacks run, so a timer scheduled from a `.then` inside the window
   * still fires in it. Settles once time has reached `now() + ms`.
   */
  async advanceAsync(ms: number): Promise<void> {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new RangeError(`ManualClock: cannot advance by ${ms} ms`);
    if (this.#advancing) throw new Error('ManualClock: advance called while the clock is already advancing');
    const target = this.#now + ms;
    this.#advancing = true;
    try {
      await flushPromises();
      for (let timer = this.#takeDue(target); timer; timer = this.#takeDue(target)) {
        this.#fire(timer);
        await flushPromises();
      }
      this.#now = target;
    } finally {
      this.#advancing = false;
    }
  }

  /** Drops cancelled timers once they outnumber live ones, so cancelled long timers do not pile up. */
  #compact(): void {
    const dead = this.#heap.length - this.#pending;
    if (dead < 1024 || dead < this.#pending) return;
    const live = this.#heap.filter((timer) => timer.state === 'pending').sort((a, b) => (before(a, b) ? -1 : 1));
    // A sorted array is a valid min-heap.
    this.#heap.length = 0;
    for (const timer of live) this.#heap.push(timer);
  }

  #guard(run: () => void): void {
    if (this.#advancing) throw new Error('ManualClock: advance called while the clock is already advancing');
    this.#advancing = true;
    try {
      run();
    } finally {
      this.#advancing = false;
    }
  }

  #fire(timer: Scheduled): void {
    timer.state = 'fired';
    this.#pending--;
    this.#now = timer.due;
    timer.callback();
  }

  /** Removes and returns the earliest pending timer due at or before `time`. */
  #takeDue(time: number): Scheduled | undefined {
    const next = this.#peek();
    if (!next || next.due > time) return undefined;
    this.#pop();
    return next;
  }

  #peek(): Scheduled | undefined {
    while (this.#heap.length > 0) {
      const top = this.#heap[0] as Scheduled;
      if (top.state === 'pending') return top;
      this.#pop();
    }
    return undefined;
  }

  #push(timer: Scheduled): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(timer, heap[parent] as Scheduled)) break;
      heap[i] = heap[parent] as Scheduled;
      i = parent;
    }
    heap[i] = timer;
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Scheduled, heap[left] as Scheduled) ? right : left;
      if (!before(heap[child] as Scheduled, last)) break;
      heap[i] = heap[child] as Scheduled;
      i = child;
    }
    heap[i] = last;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/** Lets every queued promise callback run (a macrotask turn drains the microtask queue). */
function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
