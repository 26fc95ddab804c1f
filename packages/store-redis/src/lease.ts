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

  constructor(redis: Redis, keyPrefix: string, slots: number, holder: string, ttlMs: number) {
    this.#redis = withLeaseScripts(redis);
    this.#keys = Array.from({ length: slots }, (_, i) => `${keyPrefix}:${i}`);
    this.#holder = holder;
    this.#ttlMs = ttlMs;
  }

  get held(): boolean {
    return this.#held !== undefined;
  }

  /**
   * Keeps the lease this process holds, or takes a free one. Answers whether it holds one now;
   * false after holding one means it was lost (expired and taken by another process).
   */
  async refresh(): Promise<boolean> {
    if (this.#held !== undefined) {
      const renewed = await this.#redis.tidingsLeaseRenew(this.#held, this.#holder, this.#ttlMs);
      if (renewed === 1) return true;
      this.#held = undefined;
      return false;
    }
    for (const key of this.#keys) {
      if ((await this.#redis.set(key, this.#holder, 'PX', this.#ttlMs, 'NX')) === 'OK') {
        this.#held = key;
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
