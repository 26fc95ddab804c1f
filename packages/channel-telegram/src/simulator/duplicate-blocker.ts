/** Duplicate blocking looks back this far: the same text to the same number within 24 hours. */
export const duplicateWindowMs = 24 * 60 * 60 * 1000;

/** The provider's optional duplicate blocking: a repeat of number + text within 24 h is refused (`0xAB`). */
export class DuplicateBlocker {
  readonly #now: () => number;
  readonly #sentAt = new Map<string, number>();

  constructor(now: () => number) {
    this.#now = now;
  }

  /** Records the message; false when it repeats one sent within the window. */
  admit(destination: string, text: string): boolean {
    const key = `${destination}\u0000${text}`;
    const now = this.#now();
    const before = this.#sentAt.get(key);
    if (before !== undefined && now - before < duplicateWindowMs) return false;
    this.#sentAt.set(key, now);
    return true;
  }
}
