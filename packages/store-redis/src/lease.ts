import type { Redis } from 'ioredis';

/** Extends the lease only while this process still holds it. KEYS: lease. ARGV: holder, ttl. */
const renewLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** Gives the lease back only if this process holds it. KEYS: lease. ARGV: holder. */
const releaseLua = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

interface LeaseScripts {
  tidingsLeaseRenew(key: string, holder: string, ttlMs: number): Promise<number>;
  tidingsLeaseRelease(key: string, holder: string): Promise<number>;
}

function withLeaseScripts(redis: Redis): Redis & LeaseScripts {
  const scripted = redis as Redis & LeaseScripts;
  if (typeof (scripted as unknown as Record<string, unknown>).tidingsLeaseRenew !== 'function') {
    redis.defineCommand('tidingsLeaseRenew', { numberOfKeys: 1, lua: renewLua });
    redis.defineCommand('tidingsLeaseRelease', { numberOfKeys: 1, lua: releaseLua });
  }
  return scripted;
}

/**
 * One of `slots` leases on a resource (the binds a provider allows one login), held by at most one
 * process each: `SET NX PX` to take a free slot, a compare-and-extend to keep it, and expiry when
 * the holder dies, so the slot moves to a surviving process.
 */
export class Lease {
  readonly #redis: Redis & LeaseScripts;
  readonly #keys: readonly string[];
  readonly #holder: string;
  readonly #ttlMs: number;
  #held: string | undefined;
  /** When the held key expires at the latest, on this process' monotonic clock. */
  #validUntil = 0;

  constructor(redis: Redis, keyPrefix: string, slots: number, holder: string, ttlMs: number) {
    this.#redis = withLeaseScripts(redis);
    this.#keys = Array.from({ length: slots }, (_, i) => `${keyPrefix}:${i}`);
    this.#holder = holder;
    this.#ttlMs = ttlMs;
  }

  get held(): boolean {
    return this.#held !== undefined;
  }

  /** How long a lease lasts unrenewed. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /**
   * How long the held lease is sure to last without another renewal: counted from when the last
   * successful renewal was sent, so it never outlives the key in Redis (0 when none is held).
   */
  remainingMs(): number {
    return this.#held === undefined ? 0 : Math.max(0, this.#validUntil - performance.now());
  }

  /** Stops counting on the held lease without asking Redis (unreachable): the key just expires. */
  forget(): void {
    this.#held = undefined;
  }

  /**
   * Keeps the lease this process holds, or takes a free one. Answers whether it holds one now;
   * false after holding one means it was lost (expired and taken by another process).
   */
  async refresh(): Promise<boolean> {
    const held = this.#held;
    if (held !== undefined) {
      const sentAt = performance.now();
      const renewed = await this.#redis.tidingsLeaseRenew(held, this.#holder, this.#ttlMs);
      // Forgotten meanwhile (renewed too late to count on): the key is left to expire.
      if (this.#held !== held) return false;
      if (renewed === 1) {
        this.#validUntil = sentAt + this.#ttlMs;
        return true;
      }
      this.#held = undefined;
      return false;
    }
    for (const key of this.#keys) {
      const sentAt = performance.now();
      if ((await this.#redis.set(key, this.#holder, 'PX', this.#ttlMs, 'NX')) === 'OK') {
        this.#held = key;
        this.#validUntil = sentAt + this.#ttlMs;
        return true;
      }
    }
    return false;
  }

  async release(): Promise<void> {
    const held = this.#held;
    this.#held = undefined;
    if (held !== undefined) await this.#redis.tidingsLeaseRelease(held, this.#holder);
  }
}
