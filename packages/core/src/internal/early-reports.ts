import type { DeliveryReport } from '../message.js';

/**
 * Receipts that arrived before the submit response that names their id (providers do this under
 * load). Held briefly, bounded in count, and applied when the id becomes known.
 */
export class EarlyReports {
  readonly #held = new Map<string, { report: DeliveryReport; at: number }[]>();
  #count = 0;

  constructor(
    private readonly ttlMs = 5 * 60 * 1000,
    private readonly maxHeld = 10_000,
  ) {}

  get size(): number {
    return this.#count;
  }

  hold(key: string, report: DeliveryReport, now: number): void {
    this.#sweep(now);
    const list = this.#held.get(key);
    if (list) list.push({ report, at: now });
    else this.#held.set(key, [{ report, at: now }]);
    this.#count++;
  }

  /** Removes and returns the reports held for `key`, oldest first. */
  take(key: string): DeliveryReport[] {
    const list = this.#held.get(key);
    if (!list) return [];
    this.#held.delete(key);
    this.#count -= list.length;
    return list.map((entry) => entry.report);
  }

  /** Removes one held report; false when it is no longer held (taken, swept, cleared). */
  remove(key: string, report: DeliveryReport): boolean {
    const list = this.#held.get(key);
    if (!list) return false;
    const index = list.findIndex((entry) => entry.report === report);
    if (index < 0) return false;
    list.splice(index, 1);
    this.#count--;
    if (list.length === 0) this.#held.delete(key);
    return true;
  }

  clear(): void {
    this.#held.clear();
    this.#count = 0;
  }

  #sweep(now: number): void {
    // Map iteration follows insertion order, so the oldest keys come first.
    for (const [key, list] of this.#held) {
      const first = list[0];
      if (this.#count < this.maxHeld && first && now - first.at < this.ttlMs) break;
      this.#held.delete(key);
      this.#count -= list.length;
    }
  }
}
