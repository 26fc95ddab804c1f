import { recipientNumber } from '../recipient.js';

/** Duplicate blocking looks back this far: the same text to the same number within 24 hours. */
export const duplicateWindowMs = 24 * 60 * 60 * 1000;

/**
 * The provider's optional duplicate blocking: a repeat of number + text within 24 h is refused
 * (`0xAB`). The number is compared in any accepted form (`+79036550550` repeats `89036550550`).
 * Only messages the provider accepted count: a submit refused for another reason (`0x14`, `0x58`…)
 * was never sent, so its retry is not a duplicate.
 */
export class DuplicateBlocker {
  readonly #now: () => number;
  readonly #sentAt = new Map<string, number>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** True when the same text went to the same number within the window. */
  isDuplicate(destination: string, text: string): boolean {
    const before = this.#sentAt.get(keyOf(destination, text));
    return before !== undefined && this.#now() - before < duplicateWindowMs;
  }

  /** Remembers an accepted message. */
  record(destination: string, text: string): void {
    this.#sentAt.set(keyOf(destination, text), this.#now());
  }
}

const keyOf = (destination: string, text: string): string => `${recipientNumber(destination)}\u0000${text}`;
