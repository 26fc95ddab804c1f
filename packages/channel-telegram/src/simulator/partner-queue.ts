/**
 * The partner's queue at the provider: accepted messages wait `drainMs` to be sent on to
 * Telegram; while `max` of them wait, new ones get `0x14` until the queue shrinks.
 */
export class PartnerQueue {
  readonly #max: number;
  readonly #drainMs: number;
  readonly #now: () => number;
  /** When each waiting message leaves the queue, oldest first. */
  #leaving: number[] = [];

  constructor(max: number, drainMs: number, now: () => number) {
    this.#max = max;
    this.#drainMs = drainMs;
    this.#now = now;
  }

  get size(): number {
    this.#drain();
    return this.#leaving.length;
  }

  /** Queues a message; false when the queue is full. */
  offer(): boolean {
    if (this.size >= this.#max) return false;
    this.#leaving.push(this.#now() + this.#drainMs);
    return true;
  }

  #drain(): void {
    const now = this.#now();
    let gone = 0;
    while (gone < this.#leaving.length && (this.#leaving[gone] as number) <= now) gone++;
    if (gone > 0) this.#leaving = this.#leaving.slice(gone);
  }
}
