import type { CreateResult, MessageRecord, MessageStore } from '@tidings/core';
import type { Redis } from 'ioredis';
import { RedisKeys } from './keys.js';
import { patchFields, recordFields, recordFrom } from './record-fields.js';
import { withoutCommand } from './redis-error.js';
import { type TidingsScripts, withScripts } from './scripts.js';

export interface RedisMessageStoreOptions {
  /** The client to use (the store does not close it unless `ownsClient`). */
  readonly redis: Redis;
  /** Prefix of every key. Default `tidings`. */
  readonly namespace?: string;
  /** How long a settled message (its key, its correlations) stays known. Default 1 hour. */
  readonly retentionMs?: number;
  /**
   * How long an unsettled message may stay known: longer than any message can take (retries and
   * the receipt timeout), so that nothing is kept forever. Default 3 days.
   */
  readonly pendingTtlMs?: number;
  /** The process that owns the messages this store creates (for takeover); none by default. */
  readonly owner?: string;
  /** Close the client with the store. Default false. */
  readonly ownsClient?: boolean;
}

type Patch = Partial<Omit<MessageRecord, 'id' | 'createdAt'>>;

/**
 * A {@link MessageStore} in Redis, shared by every process using the same namespace: a hash per
 * message, `SET NX`-style idempotency keys (one Lua script, so of two processes exactly one wins),
 * correlation keys, each with a TTL — the pending one while unsettled, the retention after.
 */
export class RedisMessageStore implements MessageStore {
  readonly #redis: Redis & TidingsScripts;
  readonly #keys: RedisKeys;
  readonly #retentionMs: number;
  readonly #pendingTtlMs: number;
  readonly #owner: string | undefined;
  readonly #ownsClient: boolean;

  constructor(options: RedisMessageStoreOptions) {
    this.#redis = withScripts(options.redis);
    this.#keys = new RedisKeys(options.namespace ?? 'tidings');
    this.#retentionMs = options.retentionMs ?? 60 * 60 * 1000;
    this.#pendingTtlMs = options.pendingTtlMs ?? 3 * 24 * 60 * 60 * 1000;
    this.#owner = options.owner;
    this.#ownsClient = options.ownsClient ?? false;
  }

  async create(record: MessageRecord): Promise<CreateResult> {
    const keys = this.#keys;
    const key = record.idempotencyKey;
    const existingId = await withoutCommand(
      this.#redis.tidingsCreate(
        keys.message(record.id),
        key === undefined ? '' : keys.idempotency(key),
        this.#owner === undefined ? '' : keys.owned(this.#owner),
        record.id,
        this.#pendingTtlMs,
        this.#retentionMs,
        keys.namespace,
        record.terminal ? '1' : '0',
        ...recordFields(record, this.#owner),
      ),
    );
    return existingId === null ? { created: true } : { created: false, existingId };
  }

  async update(id: string, patch: Patch): Promise<void> {
    const { deletes, sets } = patchFields(patch);
    if (deletes.length === 0 && sets.length === 0) return;
    await withoutCommand(
      this.#redis.tidingsUpdate(
        this.#keys.message(id),
        this.#keys.namespace,
        id,
        this.#retentionMs,
        this.#owner ?? '',
        deletes.length,
        ...deletes,
        ...sets,
      ),
    );
  }

  async get(id: string): Promise<MessageRecord | undefined> {
    return recordFrom(await withoutCommand(this.#redis.hgetall(this.#keys.message(id))));
  }

  async findByIdempotencyKey(key: string): Promise<string | undefined> {
    return (await withoutCommand(this.#redis.get(this.#keys.idempotency(key)))) ?? undefined;
  }

  async correlate(channel: string, providerMessageId: string, messageId: string): Promise<void> {
    await withoutCommand(
      this.#redis.tidingsCorrelate(
        this.#keys.message(messageId),
        this.#keys.correlation(channel, providerMessageId),
        this.#keys.correlations(messageId),
        messageId,
        this.#pendingTtlMs,
      ),
    );
  }

  async resolve(channel: string, providerMessageId: string): Promise<string | undefined> {
    return (await withoutCommand(this.#redis.get(this.#keys.correlation(channel, providerMessageId)))) ?? undefined;
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#redis.quit();
  }
}
