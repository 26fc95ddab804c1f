import type { ChannelOutcome } from './channel-outcome.js';

/**
 * The outcomes of the last `windowMs` (by their own timestamps), with running counts: adding one
 * costs O(1) on average, however many the window holds. Outcomes come in time order.
 */
export class OutcomeWindow {
  readonly windowMs: number;
  #outcomes: ChannelOutcome[] = [];
  /** Index of the oldest outcome still in the window. */
  #head = 0;
  #delivered = 0;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** Adds an outcome; drops those `windowMs` or more older than it. */
  add(outcome: ChannelOutcome): void {
    this.#outcomes.push(outcome);
    if (outcome.ok) this.#delivered++;
    const cutoff = outcome.at - this.windowMs;
    while (this.#head < this.#outcomes.length && (this.#outcomes[this.#head] as ChannelOutcome).at <= cutoff) {
      if ((this.#outcomes[this.#head] as ChannelOutcome).ok) this.#delivered--;
      this.#head++;
    }
    // Drop the dead head now and then rather than shifting at every step.
    if (this.#head > 1_024 && this.#head * 2 > this.#outcomes.length) {
      this.#outcomes = this.#outcomes.slice(this.#head);
      this.#head = 0;
    }
  }

  get size(): number {
    return this.#outcomes.length - this.#head;
  }

  get delivered(): number {
    return this.#delivered;
  }

  get failed(): number {
    return this.size - this.#delivered;
  }

  /** The outcomes in the window, oldest first. */
  outcomes(): ChannelOutcome[] {
    return this.#outcomes.slice(this.#head);
  }

  clear(): void {
    this.#outcomes = [];
    this.#head = 0;
    this.#delivered = 0;
  }
}
