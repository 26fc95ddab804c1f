import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { MessageEventType } from './events.js';
import { resolvedVoid } from './internal/resolved.js';
import type { CreateResult, MessageRecord, MessageRecordPatch, MessageStore } from './message-store.js';

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

/**
 * One message as kept here: every field present from the start (one object shape for all
 * entries, no shape change on update), changed in place; callers only ever see copies.
 */
class Entry {
  channels: readonly string[];
  channel: string;
  status: MessageEventType;
  attempt: number;
  terminal: boolean;
  providerMessageId: string | undefined;
  clientRef: string | undefined;
  updatedAt: number;
  /** When it settled, for the retention; undefined while pending. */
  settledAt: number | undefined = undefined;
  /** Its correlations: the first in two fields, any others as [channel, id, …] pairs. */
  correlatedChannel: string | undefined = undefined;
  correlatedId: string | undefined = undefined;
  moreCorrelations: string[] | undefined = undefined;

  readonly id: string;
  readonly createdAt: number;
  idempotencyKey: string | undefined;

  constructor(record: MessageRecord) {
    this.id = record.id;
    this.createdAt = record.createdAt;
    this.idempotencyKey = record.idempotencyKey;
    this.channels = record.channels;
    this.channel = record.channel;
    this.status = record.status;
    this.attempt = record.attempt;
    this.terminal = record.terminal;
    this.providerMessageId = record.providerMessageId;
    this.clientRef = record.clientRef;
    this.updatedAt = record.updatedAt;
  }

  apply(patch: MessageRecordPatch): void {
    // Field by field rather than Object.assign: the entry keeps its shape.
    if ('channels' in patch) this.channels = patch.channels as readonly string[];
    if ('channel' in patch) this.channel = patch.channel as string;
    if ('status' in patch) this.status = patch.status as MessageEventType;
    if ('attempt' in patch) this.attempt = patch.attempt as number;
    if ('terminal' in patch) this.terminal = patch.terminal as boolean;
    if ('providerMessageId' in patch) this.providerMessageId = patch.providerMessageId;
    if ('idempotencyKey' in patch) this.idempotencyKey = patch.idempotencyKey;
    if ('clientRef' in patch) this.clientRef = patch.clientRef;
    if ('updatedAt' in patch) this.updatedAt = patch.updatedAt as number;
  }

  toRecord(): MessageRecord {
    const record: { -readonly [K in keyof MessageRecord]: MessageRecord[K] } = {
      id: this.id,
      channels: this.channels,
      channel: this.channel,
      status: this.status,
      attempt: this.attempt,
      terminal: this.terminal,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
    if (this.providerMessageId !== undefined) record.providerMessageId = this.providerMessageId;
    if (this.idempotencyKey !== undefined) record.idempotencyKey = this.idempotencyKey;
    if (this.clientRef !== undefined) record.clientRef = this.clientRef;
    return record;
  }
}

const created: Promise<CreateResult> = Promise.resolve(Object.freeze({ created: true }));

/**
 * The default store: a few maps in this process. Memory stays bounded: settled messages are
 * forgotten after `retentionMs` or beyond `maxSettled`, whichever comes first.
 *
 * Writes answer with one shared, already resolved promise: nothing is allocated per call.
 */
export class InMemoryMessageStore implements MessageStore {
  readonly #entries = new Map<string, Entry>();
  readonly #byKey = new Map<string, string>();
  /** channel → provider id → message id: no combined key string per message. */
  readonly #byProviderId = new Map<string, Map<string, string>>();
  /** Settled entries in settling order: a queue, so eviction is O(1) per message. */
  #settled: Entry[] = [];
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

  create(record: MessageRecord): Promise<CreateResult> {
    this.#evict();
    const key = record.idempotencyKey;
    if (key !== undefined) {
      const existingId = this.#byKey.get(key);
      if (existingId !== undefined) return Promise.resolve({ created: false, existingId });
      this.#byKey.set(key, record.id);
    }
    const entry = new Entry(record);
    this.#entries.set(record.id, entry);
    if (record.terminal) this.#markSettled(entry);
    return created;
  }

  update(id: string, patch: MessageRecordPatch): Promise<void> {
    const entry = this.#entries.get(id);
    if (!entry) return resolvedVoid;
    const wasTerminal = entry.terminal;
    entry.apply(patch);
    // Only a message settling can push the oldest past the cap; time-expired ones go on the
    // next create or settle (reads skip them meanwhile).
    if (!wasTerminal && entry.terminal) this.#markSettled(entry);
    return resolvedVoid;
  }

  async get(id: string): Promise<MessageRecord | undefined> {
    const entry = this.#live(this.#entries.get(id));
    return entry?.toRecord();
  }

  async findByIdempotencyKey(key: string): Promise<string | undefined> {
    return this.#liveId(this.#byKey.get(key));
  }

  correlate(channel: string, providerMessageId: string, messageId: string): Promise<void> {
    const entry = this.#entries.get(messageId);
    if (!entry) return resolvedVoid;
    let ids = this.#byProviderId.get(channel);
    if (ids === undefined) this.#byProviderId.set(channel, (ids = new Map()));
    ids.set(providerMessageId, messageId);
    if (entry.correlatedChannel === undefined) {
      entry.correlatedChannel = channel;
      entry.correlatedId = providerMessageId;
    } else {
      (entry.moreCorrelations ??= []).push(channel, providerMessageId);
    }
    return resolvedVoid;
  }

  async resolve(channel: string, providerMessageId: string): Promise<string | undefined> {
    return this.#liveId(this.#byProviderId.get(channel)?.get(providerMessageId));
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#byKey.clear();
    this.#byProviderId.clear();
    this.#settled = [];
    this.#settledHead = 0;
  }

  /** The entry, unless it settled longer than the retention ago (evicted lazily). */
  #live(entry: Entry | undefined): Entry | undefined {
    if (entry?.settledAt === undefined) return entry;
    return entry.settledAt > this.#clock.now() - this.#retentionMs ? entry : undefined;
  }

  #liveId(id: string | undefined): string | undefined {
    return id === undefined || this.#live(this.#entries.get(id)) ? id : undefined;
  }

  #markSettled(entry: Entry): void {
    const now = this.#clock.now();
    entry.settledAt = now;
    this.#settled.push(entry);
    this.#evict(now); // keeps the maxSettled cap exact
  }

  #evict(now?: number): void {
    const settled = this.#settled;
    if (this.#settledHead >= settled.length) return;
    const cutoff = (now ?? this.#clock.now()) - this.#retentionMs;
    while (this.#settledHead < settled.length) {
      const oldest = settled[this.#settledHead] as Entry;
      const retained = settled.length - this.#settledHead;
      if ((oldest.settledAt as number) > cutoff && retained <= this.#maxSettled) break;
      settled[this.#settledHead] = undefined as unknown as Entry; // let it be collected now
      this.#settledHead++;
      this.#forget(oldest);
    }
    // Compact the queue now and then instead of shifting on every eviction.
    if (this.#settledHead > 1024 && this.#settledHead * 2 > settled.length) {
      settled.splice(0, this.#settledHead);
      this.#settledHead = 0;
    }
  }

  #forget(entry: Entry): void {
    const id = entry.id;
    // A newer message may have been recorded under the same id since: leave it alone.
    if (this.#entries.get(id) !== entry) return;
    this.#entries.delete(id);
    const key = entry.idempotencyKey;
    if (key !== undefined && this.#byKey.get(key) === id) this.#byKey.delete(key);
    if (entry.correlatedChannel === undefined) return;
    this.#uncorrelate(entry.correlatedChannel, entry.correlatedId as string, id);
    const more = entry.moreCorrelations;
    if (more === undefined) return;
    for (let i = 0; i < more.length; i += 2) this.#uncorrelate(more[i] as string, more[i + 1] as string, id);
  }

  #uncorrelate(channel: string, providerMessageId: string, messageId: string): void {
    const ids = this.#byProviderId.get(channel);
    if (ids?.get(providerMessageId) === messageId) ids.delete(providerMessageId);
  }
}
