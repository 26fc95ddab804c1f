/**
 * The partner's rate limit: at most `perSecond` submits in each clock second; the rest are
 * refused (the page's example: 12 sent at 10/s, the last 2 get `0x58`). Not the simulator's
 * `SimulatorProfile.maxPerSecond`: that one is a sliding second per `system_id`, this one counts
 * clock seconds over every account of the profile.
 */
export class RateLimiter {
  readonly #perSecond: number;
  readonly #now: () => number;
  #second = Number.NaN;
  #count = 0;

  constructor(perSecond: number, now: () => number) {
    this.#perSecond = perSecond;
    this.#now = now;
  }

  /** Counts a submit; false when it goes over the limit. */
  take(): boolean {
    const second = Math.floor(this.#now() / 1000);
    if (second !== this.#second) {
      this.#second = second;
      this.#count = 0;
    }
    this.#count++;
    return this.#count <= this.#perSecond;
  }
}
