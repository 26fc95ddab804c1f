import type { Clock, Timer } from '../clock.js';

/** One deadline in a {@link DeadlineQueue}; `cancel` is O(1) (the entry is dropped lazily). */
export class Deadline<T> implements Timer {
  target: T | undefined;

  constructor(
    readonly queue: DeadlineQueue<T>,
    readonly due: number,
    target: T,
  ) {
    this.target = target;
  }

  cancel(): void {
    if (this.target === undefined) return;
    this.target = undefined;
    this.queue.cancelled();
  }
}

/**
 * Deadlines that all lie the same delay ahead (a channel's submit or receipt timeout) arrive in
 * the order they fall due, so a FIFO with ONE clock timer, armed for the earliest live deadline,
 * replaces a platform timer (and its closures) per message. Cancelling only marks the entry;
 * dead entries are skipped when they reach the head and compacted away when they pile up.
 */
export class DeadlineQueue<T> {
  #entries: Deadline<T>[] = [];
  #head = 0;
  #live = 0;
  #timer: Timer | undefined;
  /** The due time the clock timer is armed for. */
  #armedFor = Number.POSITIVE_INFINITY;
  #firing = false;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly onExpire: (target: T) => void,
    private readonly weak: boolean,
  ) {}

  /** Deadlines neither expired nor cancelled. */
  get size(): number {
    return this.#live;
  }

  /** A deadline `delayMs` from `now` for `target`. */
  add(target: T, now = this.clock.now()): Deadline<T> {
    const entries = this.#entries;
    const last = entries.length > this.#head ? (entries[entries.length - 1] as Deadline<T>) : undefined;
    // Never before the previous one, so the queue stays in due order even if the clock steps back.
    const due = Math.max(now + this.delayMs, last?.due ?? Number.NEGATIVE_INFINITY);
    const entry = new Deadline(this, due, target);
    entries.push(entry);
    this.#live++;
    if (this.#timer === undefined && !this.#firing) this.#arm(due);
    return entry;
  }

  /** Called by an entry when cancelled. */
  cancelled(): void {
    this.#live--;
    if (this.#live === 0) {
      // Nothing left to wait for. A strong timer would keep the process alive for nothing: it
      // goes. A weak one may stay (it fires, finds nothing, stops), sparing a timer per message
      // when deadlines come and go one at a time.
      if (this.weak) {
        this.#entries = [];
        this.#head = 0;
      } else {
        this.#reset();
      }
      return;
    }
    const dead = this.#entries.length - this.#head - this.#live;
    if (dead > 1024 && dead > this.#live) this.#compact();
  }

  /** Cancels every deadline. */
  clear(): void {
    for (let i = this.#head; i < this.#entries.length; i++) (this.#entries[i] as Deadline<T>).target = undefined;
    this.#live = 0;
    this.#reset();
  }

  #reset(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#armedFor = Number.POSITIVE_INFINITY;
    this.#entries = [];
    this.#head = 0;
  }

  #arm(due: number): void {
    this.#armedFor = due;
    this.#timer = this.clock.setTimeout(this.#fire, due - this.clock.now(), { weak: this.weak });
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    // The clock timer ran for `#armedFor`: that deadline is reached even if `now()` says otherwise.
    const reached = Math.max(this.clock.now(), this.#armedFor);
    this.#armedFor = Number.POSITIVE_INFINITY;
    this.#firing = true;
    try {
      const entries = this.#entries;
      while (this.#head < entries.length) {
        const entry = entries[this.#head] as Deadline<T>;
        const target = entry.target;
        if (target !== undefined && entry.due > reached) break;
        entries[this.#head] = undefined as unknown as Deadline<T>;
        this.#head++;
        if (target === undefined) continue;
        entry.target = undefined;
        this.#live--;
        this.onExpire(target);
        // onExpire may have cleared or compacted the queue.
        if (this.#entries !== entries) break;
      }
    } finally {
      this.#firing = false;
      this.#settle();
    }
  };

  /** After firing: drop dead entries at the head, compact, and arm for the next live one. */
  #settle(): void {
    const entries = this.#entries;
    while (this.#head < entries.length && (entries[this.#head] as Deadline<T>).target === undefined) {
      entries[this.#head] = undefined as unknown as Deadline<T>;
      this.#head++;
    }
    if (this.#head >= entries.length) {
      this.#entries = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      entries.splice(0, this.#head);
      this.#head = 0;
    }
    const next = this.#entries[this.#head];
    if (next !== undefined && this.#timer === undefined) this.#arm(next.due);
  }

  #compact(): void {
    const live: Deadline<T>[] = [];
    for (let i = this.#head; i < this.#entries.length; i++) {
      const entry = this.#entries[i] as Deadline<T>;
      if (entry.target !== undefined) live.push(entry);
    }
    this.#entries = live;
    this.#head = 0;
    // The armed timer may now point at a dead entry: it fires, finds nothing due, re-arms.
  }
}
