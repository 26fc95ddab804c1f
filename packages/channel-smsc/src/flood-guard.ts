/** How an attempt counted by the {@link FloodGuard} ended. */
export type FloodOutcome =
  /** SMSC accepted it: it arrived no later than now. */
  | 'accepted'
  /** It surely did not reach SMSC (refused, never written): it does not count. */
  | 'not-sent'
  /** It may have reached SMSC (written, then no answer): it counts, as if accepted now. */
  | 'unknown';

interface Run {
  /** The messages of the run → whether they may have reached SMSC. A retry is the same message. */
  readonly messages: Map<string, boolean>;
  /** Attempts on their way (passed the guard, not answered yet). */
  inFlight: number;
  /** When the latest message of the run was accepted (or the run started). */
  last: number;
}

/** What a message must wait for before it may go. */
export type FloodWait =
  | { readonly until: 'now' }
  /** The run is full: wait `ms`, until `minGapMs` after its last accepted message. */
  | { readonly until: 'gap'; readonly ms: number }
  /** The run is full and some of it is still on its way: wait until they are answered. */
  | { readonly until: 'in-flight' };

/**
 * SMSC blocks more than 50 messages to one subscriber sent less than 30 s apart (status err 251),
 * measuring when they reach it. This guard counts each subscriber's run of messages: a message
 * once, however many attempts it takes, from when it passes the guard (so a burst handed over at
 * once is counted before it reaches the wire) until SMSC accepts it (the gap runs from then).
 * The message that would make the run longer than `maxMessages` must wait until `minGapMs` after
 * the run's last accepted message.
 */
export class FloodGuard {
  readonly #maxMessages: number;
  readonly #minGapMs: number;
  readonly #now: () => number;
  /** recipient → its run; in order of the last change, so broken runs expire first. */
  readonly #runs = new Map<string, Run>();
  /** recipient → callbacks waiting for an attempt to that recipient to be answered. */
  readonly #waiters = new Map<string, Set<() => void>>();

  constructor(options: { readonly maxMessages: number; readonly minGapMs: number }, now: () => number) {
    this.#maxMessages = options.maxMessages;
    this.#minGapMs = options.minGapMs;
    this.#now = now;
  }

  /** What message `messageId` to `recipient` must wait for now. */
  waitFor(recipient: string, messageId: string): FloodWait {
    const now = this.#now();
    this.#expire(now);
    const run = this.#runs.get(recipient);
    if (run === undefined || run.messages.has(messageId) || this.#broken(run, now)) return { until: 'now' };
    if (run.messages.size < this.#maxMessages) return { until: 'now' };
    if (run.inFlight > 0) return { until: 'in-flight' };
    return { until: 'gap', ms: run.last + this.#minGapMs - now };
  }

  /** An attempt of `messageId` to `recipient` passed the guard and goes now. */
  take(recipient: string, messageId: string): void {
    const now = this.#now();
    let run = this.#runs.get(recipient);
    if (run === undefined || (!run.messages.has(messageId) && this.#broken(run, now))) {
      run = { messages: new Map(), inFlight: 0, last: now };
    }
    if (!run.messages.has(messageId)) run.messages.set(messageId, false);
    run.inFlight++;
    this.#touch(recipient, run);
  }

  /** The attempt taken for `messageId` ended. */
  settle(recipient: string, messageId: string, outcome: FloodOutcome): void {
    const run = this.#runs.get(recipient);
    if (run === undefined) return;
    run.inFlight = Math.max(0, run.inFlight - 1);
    if (outcome === 'not-sent') {
      // An earlier attempt of the message may still have reached SMSC: then it keeps counting.
      if (run.messages.get(messageId) === false) run.messages.delete(messageId);
    } else {
      run.messages.set(messageId, true);
      run.last = Math.max(run.last, this.#now());
    }
    if (run.messages.size === 0 && run.inFlight === 0) this.#runs.delete(recipient);
    else this.#touch(recipient, run);
    const waiters = this.#waiters.get(recipient);
    this.#waiters.delete(recipient);
    for (const wake of waiters ?? []) wake();
  }

  /** Calls `wake` once the next attempt to `recipient` is answered; returns a cancel function. */
  onSettle(recipient: string, wake: () => void): () => void {
    let waiters = this.#waiters.get(recipient);
    if (waiters === undefined) {
      waiters = new Set();
      this.#waiters.set(recipient, waiters);
    }
    waiters.add(wake);
    return () => {
      waiters.delete(wake);
      if (waiters.size === 0 && this.#waiters.get(recipient) === waiters) this.#waiters.delete(recipient);
    };
  }

  /** Subscribers tracked (for tests: the guard forgets broken runs). */
  get size(): number {
    return this.#runs.size;
  }

  /** A gap of `minGapMs` since the last accepted message, nothing on its way: the next starts a new run. */
  #broken(run: Run, now: number): boolean {
    return run.inFlight === 0 && now - run.last >= this.#minGapMs;
  }

  #touch(recipient: string, run: Run): void {
    this.#runs.delete(recipient);
    this.#runs.set(recipient, run);
  }

  #expire(now: number): void {
    for (const [recipient, run] of this.#runs) {
      // Runs with attempts on their way are few (at most the window): step over them.
      if (run.inFlight > 0) continue;
      if (now - run.last < this.#minGapMs) return;
      this.#runs.delete(recipient);
    }
  }
}
