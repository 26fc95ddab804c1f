/**
 * Counts `0x14` (queue full) answers in a row, as the partner lives them: one per round of
 * "submit, pause 5 s, resume". Submits of one burst answered `0x14` together are one round, so a
 * full window does not use up the budget at once; an accepted submit ends the streak.
 *
 * Usage: take `round` before a submit; pass it back to `queueFull` when the submit got `0x14`.
 */
export class QueueFullStreak {
  readonly #limit: number;
  #round = 0;
  #inARow = 0;

  /** @param limit rounds in a row tolerated; one more and `queueFull` says stop. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The current round, to hand back with the submit's outcome. */
  get round(): number {
    return this.#round;
  }

  /** Rounds of `0x14` in a row so far. */
  get inARow(): number {
    return this.#inARow;
  }

  /** A submit was accepted: the queue moves. */
  accepted(): void {
    this.#inARow = 0;
  }

  /**
   * A submit sent during `round` got `0x14`. Returns true when the channel must stop retrying:
   * the queue stayed full more than `limit` rounds in a row.
   */
  queueFull(round: number): boolean {
    // The first 0x14 of a round opens the next one; later answers to the same burst do not count.
    if (round === this.#round) {
      this.#round++;
      this.#inARow++;
    }
    return this.#inARow > this.#limit;
  }
}
