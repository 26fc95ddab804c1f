/**
 * SMSC blocks more than 50 messages to one subscriber sent less than 30 s apart (status err 251).
 * This guard counts each subscriber's run of messages closer than `minGapMs`; the message that
 * would make the run longer than `maxMessages` must wait until the gap has passed.
 */
export class FloodGuard {
  readonly #maxMessages: number;
  readonly #minGapMs: number;
  readonly #now: () => number;
  /** recipient → the run so far; in order of the last message, so broken runs expire first. */
  readonly #runs = new Map<string, { count: number; last: number }>();

  constructor(options: { readonly maxMessages: number; readonly minGapMs: number }, now: () => number) {
    this.#maxMessages = options.maxMessages;
    this.#minGapMs = options.minGapMs;
    this.#now = now;
  }

  /** How long a message to `recipient` must wait now (0: it may go). */
  waitFor(recipient: string): number {
    const now = this.#now();
    this.#expire(now);
    const run = this.#runs.get(recipient);
    if (run === undefined || now - run.last >= this.#minGapMs) return 0;
    return run.count + 1 > this.#maxMessages ? run.last + this.#minGapMs - now : 0;
  }

  /** A message to `recipient` goes now. */
  record(recipient: string): void {
    const now = this.#now();
    const run = this.#runs.get(recipient);
    const count = run !== undefined && now - run.last < this.#minGapMs ? run.count + 1 : 1;
    this.#runs.delete(recipient);
    this.#runs.set(recipient, { count, last: now });
  }

  get size(): number {
    return this.#runs.size;
  }

  #expire(now: number): void {
    for (const [recipient, run] of this.#runs) {
      if (now - run.last < this.#minGapMs) return;
      this.#runs.delete(recipient);
    }
  }
}
