import { ErrorCode, TidingsError } from '@tidings/core';

export interface TokenBucketOptions {
  readonly ratePerSecond: number;
  /** Tokens the bucket holds when full. Default `max(1, ratePerSecond / 10)`: 100 ms worth. */
  readonly burst?: number;
  /** Milliseconds; injected so tests drive time. */
  readonly now: () => number;
}

/**
 * The window in which at most `ratePerSecond` tokens go out: a second plus a margin, since the
 * provider counts at arrival and a request's way there varies by a few milliseconds.
 */
const windowMs = 1_050;

/** Absorbs floating-point dust, so waiting exactly the returned time always suffices. */
const EPSILON = 1e-9;

/**
 * A token bucket: `ratePerSecond` tokens a second, up to `burst` held at once; starts full. On
 * top, never more than `ratePerSecond` single tokens within any 1050 ms: providers count "N per
 * second" over a window, and a full bucket plus a second of refill would let `N + burst` through.
 */
export class TokenBucket {
  readonly #now: () => number;
  /** Whether `burst` was given; a default burst follows the rate. */
  readonly #fixedBurst: boolean;
  #rate: number;
  #burst: number;
  #tokens: number;
  #updatedAt: number;
  /** When the last `floor(rate)` single tokens were taken: a ring, oldest at `#ringHead`. */
  #ring: number[] = [];
  #ringHead = 0;

  constructor(options: TokenBucketOptions) {
    checkRate(options.ratePerSecond);
    const { burst } = options;
    if (burst !== undefined && !(Number.isFinite(burst) && burst >= 1)) {
      throw new TidingsError(ErrorCode.InvalidOptions, `Token bucket: burst must be a number ≥ 1 (got ${burst})`);
    }
    this.#now = options.now;
    this.#rate = options.ratePerSecond;
    this.#fixedBurst = burst !== undefined;
    this.#burst = burst ?? defaultBurst(options.ratePerSecond);
    this.#tokens = this.#burst;
    this.#updatedAt = this.#now();
  }

  get rate(): number {
    return this.#rate;
  }

  get burst(): number {
    return this.#burst;
  }

  /** Tokens available now (negative while a request larger than the burst is paid off). */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /**
   * Takes `n` tokens and returns 0, or returns the ms to wait until `n` are there and takes
   * nothing. A request larger than the burst could never fit: it passes from a full bucket and
   * leaves the bucket in debt, so the long-run rate still holds.
   */
  take(n = 1): number {
    if (!(n > 0)) return 0;
    this.#refill();
    const needed = Math.min(n, this.#burst);
    if (this.#tokens + EPSILON < needed) {
      return Math.max(1, Math.ceil(((needed - this.#tokens - EPSILON) * 1000) / this.#rate));
    }
    const perWindow = Math.floor(this.#rate);
    if (n === 1 && perWindow >= 1) {
      const now = this.#now();
      if (this.#ring.length === perWindow) {
        const oldest = this.#ring[this.#ringHead] as number;
        if (now - oldest < windowMs) return Math.max(1, Math.ceil(oldest + windowMs - now));
        this.#ring[this.#ringHead] = now;
        this.#ringHead = (this.#ringHead + 1) % perWindow;
      } else {
        this.#ring.push(now);
      }
    }
    this.#tokens -= n;
    return 0;
  }

  /** Changes the rate from now on; tokens earned so far are kept (up to the new burst). */
  setRate(ratePerSecond: number): void {
    checkRate(ratePerSecond);
    this.#refill();
    this.#rate = ratePerSecond;
    if (!this.#fixedBurst) this.#burst = defaultBurst(ratePerSecond);
    // Keep the most recent takes that still fit the new per-window count, oldest first.
    const recent = [...this.#ring.slice(this.#ringHead), ...this.#ring.slice(0, this.#ringHead)];
    this.#ring = recent.slice(Math.max(0, recent.length - Math.floor(ratePerSecond)));
    this.#ringHead = 0;
    if (this.#tokens > this.#burst) this.#tokens = this.#burst;
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = now - this.#updatedAt;
    if (elapsed <= 0) return;
    const tokens = this.#tokens + (elapsed * this.#rate) / 1000;
    this.#tokens = Math.min(tokens, this.#burst);
    this.#updatedAt = now;
  }
}

function defaultBurst(ratePerSecond: number): number {
  return Math.max(1, ratePerSecond / 10);
}

function checkRate(ratePerSecond: number): void {
  if (!(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      `Token bucket: ratePerSecond must be a finite number > 0 (got ${ratePerSecond}); leave the cap out for no limit`,
    );
  }
}
