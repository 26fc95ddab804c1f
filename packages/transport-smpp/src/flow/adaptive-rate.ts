import { ErrorCode, TidingsError } from '@tidings/core';

export interface AdaptiveRateOptions {
  readonly maxRate: number;
  /** Default `max(1, maxRate / 20)`. */
  readonly minRate?: number;
  /** The rate is multiplied by this on throttling; default 0.5. */
  readonly decreaseFactor?: number;
  /** Seconds to climb back linearly from `minRate` to `maxRate`; default 30. */
  readonly recoverySeconds?: number;
  readonly now: () => number;
}

/**
 * Throttled responses to one window arrive together; they are one signal from the provider, so
 * decreases closer than this count once.
 */
const DECREASE_HOLD_MS = 250;

/**
 * AIMD send rate: a multiplicative decrease when the provider throttles, a linear climb back with
 * time while sends succeed. Starts at `maxRate`.
 */
export class AdaptiveRate {
  readonly #now: () => number;
  readonly #maxRate: number;
  readonly #minRate: number;
  readonly #decreaseFactor: number;
  /** Rate gained per ms of success. */
  readonly #slope: number;
  #current: number;
  #updatedAt: number;
  #decreasedAt = Number.NEGATIVE_INFINITY;

  constructor(options: AdaptiveRateOptions) {
    const { maxRate } = options;
    const minRate = options.minRate ?? Math.max(1, maxRate / 20);
    const decreaseFactor = options.decreaseFactor ?? 0.5;
    const recoverySeconds = options.recoverySeconds ?? 30;
    if (!(Number.isFinite(maxRate) && maxRate > 0)) invalid('maxRate', 'a finite number > 0', maxRate);
    if (!(Number.isFinite(minRate) && minRate > 0 && minRate <= maxRate))
      invalid('minRate', `a number > 0 and ≤ maxRate (${maxRate})`, minRate);
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) invalid('decreaseFactor', 'between 0 and 1', decreaseFactor);
    if (!(Number.isFinite(recoverySeconds) && recoverySeconds > 0))
      invalid('recoverySeconds', 'a finite number > 0', recoverySeconds);

    this.#now = options.now;
    this.#maxRate = maxRate;
    this.#minRate = minRate;
    this.#decreaseFactor = decreaseFactor;
    this.#slope = (maxRate - minRate) / (recoverySeconds * 1000);
    this.#current = maxRate;
    this.#updatedAt = this.#now();
  }

  /** Messages per second allowed now. */
  get current(): number {
    return this.#current;
  }

  /** The provider throttled: cut the rate (at most once per 250 ms). */
  throttled(): void {
    const now = this.#now();
    if (now - this.#decreasedAt < DECREASE_HOLD_MS) return;
    this.#decreasedAt = now;
    this.#updatedAt = now;
    this.#current = Math.max(this.#minRate, this.#current * this.#decreaseFactor);
  }

  /** A send succeeded: climb by the time elapsed since the last change. */
  succeeded(): void {
    if (this.#current >= this.#maxRate) return;
    const now = this.#now();
    const elapsed = now - this.#updatedAt;
    if (elapsed <= 0) return;
    this.#updatedAt = now;
    this.#current = Math.min(this.#maxRate, this.#current + elapsed * this.#slope);
  }
}

function invalid(option: string, rule: string, value: number): never {
  throw new TidingsError(ErrorCode.InvalidOptions, `Adaptive rate: ${option} must be ${rule} (got ${value})`, {
    details: { option },
  });
}
