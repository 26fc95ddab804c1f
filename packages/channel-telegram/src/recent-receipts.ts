/**
 * The receipts seen lately, so a receipt the provider sends again ("message reprocessing", when an
 * answer to its `deliver_sm` got lost) is reported once. Bounded: the oldest are forgotten first.
 */
export class RecentReceipts {
  readonly #limit: number;
  readonly #seen = new Set<string>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** True the first time this message id reaches this state; false for a repeat. */
  firstTime(providerMessageId: string, state: string): boolean {
    const key = `${providerMessageId}\u0000${state}`;
    if (this.#seen.has(key)) return false;
    this.#seen.add(key);
    if (this.#seen.size > this.#limit) {
      // A Set iterates in insertion order: the first key is the oldest.
      const oldest = this.#seen.values().next();
      if (oldest.done !== true) this.#seen.delete(oldest.value);
    }
    return true;
  }
}
