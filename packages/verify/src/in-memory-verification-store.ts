import type { FinalVerificationStatus, VerificationRecord } from './verification-record.js';
import type {
  AddCodeResult,
  CountWrongResult,
  CreateVerificationResult,
  NewCode,
  SendLimit,
  StartLimit,
  TakeAttemptResult,
  VerificationStore,
} from './verification-store.js';

export interface InMemoryVerificationStoreOptions {
  /**
   * How long a verification stays known after it expired or was finished, so a late check still
   * answers `expired` or `cancelled` rather than `not_found`. Default 1 hour.
   */
  readonly retentionMs?: number;
  /** At most this many verifications are kept; the oldest go first. Default 100 000. */
  readonly maxRecords?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Entry {
  record: Mutable<VerificationRecord>;
  /** When it may be forgotten: retention after its expiry or its final status. */
  forgetAt: number;
}

/** How many recent starts per recipient a discard can go back through. */
const recentKept = 8;

interface RecipientEntry {
  /** Ids of the recipient's recent verifications, oldest first; the last is the latest. */
  recent: string[];
  /** Start times within the longest window seen, oldest first. */
  starts: number[];
}

/** Every this many creates, a full sweep of what may be forgotten (amortised O(1) per create). */
const sweepEvery = 1024;

/**
 * The default {@link VerificationStore}: two maps in this process. Single-threaded JavaScript makes
 * each operation atomic. Memory stays bounded: verifications are forgotten `retentionMs` after they
 * expired or finished, and beyond `maxRecords` the oldest go first; per-recipient start times are
 * kept only within the start window. For several processes, use a shared store.
 */
export class InMemoryVerificationStore implements VerificationStore {
  readonly #entries = new Map<string, Entry>();
  readonly #recipients = new Map<string, RecipientEntry>();
  readonly #retentionMs: number;
  readonly #maxRecords: number;
  #longestWindowMs = 0;
  #createsSinceSweep = 0;

  constructor(options: InMemoryVerificationStoreOptions = {}) {
    this.#retentionMs = options.retentionMs ?? 60 * 60 * 1000;
    this.#maxRecords = options.maxRecords ?? 100_000;
    if (!(Number.isInteger(this.#retentionMs) && this.#retentionMs >= 0)) {
      throw new RangeError('InMemoryVerificationStore: retentionMs must be a non-negative integer');
    }
    if (!(Number.isInteger(this.#maxRecords) && this.#maxRecords >= 1)) {
      throw new RangeError('InMemoryVerificationStore: maxRecords must be a positive integer');
    }
  }

  /** Verifications currently kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Recipients with a start window or a latest verification kept. */
  get recipientCount(): number {
    return this.#recipients.size;
  }

  /** Copies of every verification kept, oldest first: for inspection and tests. */
  records(): VerificationRecord[] {
    return [...this.#entries.values()].map((entry) => copy(entry.record));
  }

  async create(record: VerificationRecord, limit: StartLimit | undefined): Promise<CreateVerificationResult> {
    const now = record.createdAt;
    this.#sweep(now);
    let recipient = this.#recipients.get(record.recipient);
    if (limit !== undefined) {
      this.#longestWindowMs = Math.max(this.#longestWindowMs, limit.windowMs);
      const starts = recipient?.starts ?? [];
      const inWindow = starts.filter((at) => at > now - limit.windowMs);
      if (inWindow.length >= limit.max) {
        const oldest = inWindow[inWindow.length - limit.max] as number;
        return { created: false, retryAfterMs: Math.max(1, oldest + limit.windowMs - now) };
      }
    }
    if (recipient === undefined) {
      recipient = { recent: [], starts: [] };
      this.#recipients.set(record.recipient, recipient);
    }
    prune(recipient, now - this.#longestWindowMs);
    if (limit !== undefined) recipient.starts.push(now);
    recipient.recent.push(record.id);
    if (recipient.recent.length > recentKept) recipient.recent.shift();
    this.#entries.set(record.id, { record: copy(record), forgetAt: record.expiresAt + this.#retentionMs });
    while (this.#entries.size > this.#maxRecords) {
      const oldest = this.#entries.keys().next().value as string;
      this.#forget(oldest);
    }
    return { created: true };
  }

  async get(id: string): Promise<VerificationRecord | undefined> {
    const entry = this.#entries.get(id);
    return entry && copy(entry.record);
  }

  async latestFor(recipient: string): Promise<VerificationRecord | undefined> {
    const id = this.#recipients.get(recipient)?.recent.at(-1);
    return id === undefined ? undefined : this.get(id);
  }

  async takeAttempt(id: string, now: number): Promise<TakeAttemptResult> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return { taken: false, record: undefined };
    const record = entry.record;
    if (record.status !== 'pending' || now >= record.expiresAt || record.attempts >= record.maxAttempts) {
      return { taken: false, record: copy(record) };
    }
    record.attempts++;
    record.updatedAt = now;
    return { taken: true, record: copy(record) };
  }

  async countWrong(id: string, now: number): Promise<CountWrongResult> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return { finished: false, record: undefined };
    const record = entry.record;
    if (record.status !== 'pending') return { finished: false, record: copy(record) };
    record.wrongAttempts++;
    record.updatedAt = now;
    const finished = record.wrongAttempts >= record.maxAttempts;
    if (finished) this.#close(entry, 'max_attempts', now);
    return { finished, record: copy(record) };
  }

  async finish(id: string, status: FinalVerificationStatus, now: number): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (entry === undefined || entry.record.status !== 'pending') return false;
    const record = entry.record;
    if ((status === 'approved' || status === 'cancelled') && now >= record.expiresAt) return false;
    if (status === 'max_attempts' && record.wrongAttempts < record.maxAttempts) return false;
    this.#close(entry, status, now);
    return true;
  }

  async addCode(id: string, code: NewCode, limit: SendLimit, now: number): Promise<AddCodeResult> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return { added: false, reason: 'not_found' };
    const record = entry.record;
    if (record.status !== 'pending') return { added: false, reason: 'closed', record: copy(record) };
    if (now >= record.expiresAt) return { added: false, reason: 'expired', record: copy(record) };
    if (record.sends >= limit.maxSends) return { added: false, reason: 'max_sends', record: copy(record) };
    const wait = record.lastSentAt + limit.cooldownMs - now;
    if (wait > 0) return { added: false, reason: 'cooldown', retryAfterMs: wait, record: copy(record) };
    record.codes = [
      ...record.codes.filter((kept) => kept.expiresAt > now),
      { salt: code.salt, hash: code.hash, expiresAt: code.expiresAt },
    ].slice(-limit.maxSends);
    record.expiresAt = Math.max(record.expiresAt, code.expiresAt);
    record.channels = [...code.channels];
    record.sends++;
    record.lastSentAt = now;
    record.updatedAt = now;
    entry.forgetAt = Math.max(entry.forgetAt, code.expiresAt + this.#retentionMs);
    return { added: true, record: copy(record) };
  }

  async addMessageId(id: string, messageId: string, now: number): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    entry.record.messageIds = [...entry.record.messageIds, messageId];
    entry.record.updatedAt = now;
  }

  async discard(id: string): Promise<void> {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    // Never sent: the recipient's latest is again the one before it (check({ to }) finds it).
    const recipient = this.#recipients.get(entry.record.recipient);
    if (recipient !== undefined) recipient.recent = recipient.recent.filter((kept) => kept !== id);
    this.#forget(id);
  }

  async close(): Promise<void> {
    this.#entries.clear();
    this.#recipients.clear();
  }

  /** Forgets what is due: the oldest entries on every call, everything every `sweepEvery` calls. */
  #sweep(now: number): void {
    const full = ++this.#createsSinceSweep >= sweepEvery;
    if (full) this.#createsSinceSweep = 0;
    for (const [id, entry] of this.#entries) {
      if (entry.forgetAt <= now) this.#forget(id);
      else if (!full) break;
    }
    if (!full) return;
    const cutoff = now - this.#longestWindowMs;
    for (const [recipient, entry] of this.#recipients) {
      prune(entry, cutoff);
      if (entry.recent.length === 0 && entry.starts.length === 0) this.#recipients.delete(recipient);
    }
  }

  #close(entry: Entry, status: FinalVerificationStatus, now: number): void {
    entry.record.status = status;
    entry.record.updatedAt = now;
    entry.forgetAt = now + this.#retentionMs;
  }

  /**
   * Forgets a verification. When it was the recipient's latest, the recipient has none any more
   * (an older one does not come back: the user's latest code was this one's).
   */
  #forget(id: string): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) return;
    this.#entries.delete(id);
    const recipient = this.#recipients.get(entry.record.recipient);
    if (recipient === undefined) return;
    recipient.recent = recipient.recent.at(-1) === id ? [] : recipient.recent.filter((kept) => kept !== id);
    if (recipient.recent.length === 0 && recipient.starts.length === 0) {
      this.#recipients.delete(entry.record.recipient);
    }
  }
}

function prune(entry: RecipientEntry, cutoff: number): void {
  let drop = 0;
  while (drop < entry.starts.length && (entry.starts[drop] as number) <= cutoff) drop++;
  if (drop > 0) entry.starts.splice(0, drop);
}

function copy(record: VerificationRecord): Mutable<VerificationRecord> {
  return {
    ...record,
    channels: [...record.channels],
    codes: record.codes.map((code) => ({ ...code })),
    messageIds: [...record.messageIds],
  };
}
