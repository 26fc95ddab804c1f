/**
 * A provider's rate limit as SMSCs enforce it: at most `max` admitted submits in any one second
 * (a sliding window, not clock seconds, so no burst of 2 × max across a second boundary).
 * A refused submit takes no place in the window.
 */
export class RateWindow {
  readonly #max: number;
  readonly #now: () => number;
  /** Times of the admitted submits; those before `#head` have left the window. */
  #times: number[] = [];
  #head = 0;

  constructor(max: number, now: () => number) {
    this.#max = max;
    this.#now = now;
  }

  /** Admits a submit now (and counts it), or refuses it: `max` were admitted in the last second. */
  admit(): boolean {
    const at = this.#now();
    const times = this.#times;
    while (this.#head < times.length && (times[this.#head] as number) <= at - 1_000) this.#head++;
    if (times.length - this.#head >= this.#max) return false;
    times.push(at);
    // Drop what has left the window once it is most of the array: amortised O(1), bounded memory.
    if (this.#head >= 1_024 && this.#head * 2 >= times.length) {
      this.#times = times.slice(this.#head);
      this.#head = 0;
    }
    return true;
  }
}
