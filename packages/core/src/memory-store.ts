import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { correlationKey } from './internal/correlation-key.js';
import type { CreateResult, MessageRecord, MessageStore } from './message-store.js';

export interface InMemoryMessageStoreOptions {
  /** How long a settled message stays known (idempotency, duplicate receipts). Default 1 hour. */
  readonly retentionMs?: number;
  /**
   * At most this many settled messages are kept; the oldest go first. Default 10 000 (about
   * 14 MB): a bulk sender's memory stays flat. Raise it to look up or de-duplicate receipts of
   * older messages; within one process the runtime keeps idempotency keys on its own.
   */
  readonly maxSettled?: number;
  readonly clock?: Clock;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Entry {
  /** Our own copy, changed in place; callers only ever see copies. */
  record: Mutable<MessageRecord>;
  providerIds: string[] | undefined;
}

/**
 * The default store: a few maps in this process. Memory stays bounded: settled messages are
 * forgotten after `retentionMs` or beyond `maxSettled`, whichever comes first.
 */
export class InMemoryMessageStore implements MessageStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byKey = new Map<string, string>();
  readonly #byProviderId = new Map<string, string>();
  /** Settled ids in settling order: a queue, so eviction is O(1) per message. */
  readonly #settled: { id: string; at: number }[] = [];
  #settledHead = 0;
  readonly #retentionMs: number;
  readonly #maxSettled: number;
  readonly #clock: Clock;

  constructor(options: InMemoryMessageStoreOptions = {}) {
    this.#retentionMs = options.retentionMs ?? 60 * 60 * 1000;
    this.#maxSettled = options.maxSettled ?? 10_000;
    this.#clock = options.clock ?? systemClock;
  }

  /** Messages currently known (pending and retained). */
  get size(): number {
    return this.#entries.size;
  }

  async create(record: MessageRecord): Promise<CreateResult> {
    this.#evict();
    const key = record.idempotencyKey;
    if (key !== undefined) {
      const existingId = this.#byKey.get(key);
      if (existingId !== undefined) return { created: false, existingId };
      this.#byKey.set(key, record.id);
    }
    this.#entries.set(record.id, { record: { ...record }, providerIds: undefined });
    if (record.terminal) {
      this.#markSettled(record.id);
      this.#evict(); // keep the maxSettled cap exact when a message is recorded already settled
    }
    return { created: true };
  }

  async update(id: string, patch: Partial<Omit<MessageRecord, 'id' | 'createdAt'>>): Promise<void> {
    const entry = this.#entries.get(id);
    if (!entry) return;
    const wasTerminal = entry.record.terminal;
    Object.assign(entry.record, patch);
    if (!wasTerminal && entry.record.terminal) this.#markSettled(id);
    this.#evict();
  }

  async get(id: string): Promise<MessageRecord | undefined> {
    const record = this.#entries.get(id)?.record;
    return record && { ...record };
  }

  async findByIdempotencyKey(key: string): Promise<string | undefined> {
    return this.#byKey.get(key);
  }

  async correlate(channel: string, providerMessageId: string, messageId: string): Promise<void> {
    const entry = this.#entries.get(messageId);
    if (!entry) return;
    const key = correlationKey(channel, providerMessageId);
    this.#byProviderId.set(key, messageId);
    (entry.providerIds ??= []).push(key);
  }

  async resolve(channel: string, providerMessageId: string): Promise<string | undefined> {
    return this.#byProviderId.get(correlationKey(channel, providerMessageId));
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#byKey.clear();
    this.#byProviderId.clear();
    this.#settled.length = 0;
    this.#settledHead = 0;
  }

  #markSettled(id: string): void {
    this.#settled.push({ id, at: this.#clock.now() });
  }

  #evict(): void {
    const cutoff = this.#clock.now() - this.#retentionMs;
    while (this.#settledHead < this.#settled.length) {
      const oldest = this.#settled[this.#settledHead];
      if (!oldest) break;
      const retained = this.#settled.length - this.#settledHead;
      if (oldest.at > cutoff && retained <= this.#maxSettled) break;
      this.#settledHead++;
      this.#forget(oldest.id);
    }
    // Compact the queue now and then instead of shifting on every eviction.
    if (this.#settledHead > 1024 && this.#settledHead * 2 > this.#settled.length) {
      this.#settled.splice(0, this.#settledHead);
      this.#settledHead = 0;
    }
  }

  #forget(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    const key = entry.record.idempotencyKey;
    if (key !== undefined && this.#byKey.get(key) === id) this.#byKey.delete(key);
    for (const providerKey of entry.providerIds ?? []) {
      if (this.#byProviderId.get(providerKey) === id) this.#byProviderId.delete(providerKey);
    }
  }
}
