import { ErrorCode, TidingsError } from '@tidings/core';

export interface ConcatenationReassemblerOptions {
  /** Drop an incomplete message this long after its first part arrived; default 60 000 ms. */
  readonly timeoutMs?: number;
  /** Most incomplete messages kept; past it the oldest is dropped. Default 10 000. */
  readonly maxPending?: number;
  /** Monotonic milliseconds; default `performance.now()`. */
  readonly now?: () => number;
}

/** One received part of a concatenated mobile-originated message, already decoded to text. */
export interface ConcatenatedPart {
  /** Who sent it to whom (e.g. source + destination address), built by the caller. */
  readonly key: string;
  readonly reference: number;
  readonly total: number;
  /** 1-based. */
  readonly sequence: number;
  readonly text: string;
}

interface PendingMessage {
  readonly firstSeenAt: number;
  readonly texts: (string | undefined)[];
  missing: number;
}

const defaultNow = (): number => performance.now();

/**
 * Joins the parts of concatenated MO messages (UDH or SAR), whatever order they arrive in.
 * Holds no timers: the caller calls {@link sweep} on its own schedule. Memory is bounded by
 * `maxPending` messages of at most 255 parts each.
 */
export class ConcatenationReassembler {
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  readonly #now: () => number;
  /** Insertion order is arrival order of first parts, which makes "oldest" the first entry. */
  readonly #pending = new Map<string, PendingMessage>();

  constructor(options: ConcatenationReassemblerOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#maxPending = options.maxPending ?? 10_000;
    this.#now = options.now ?? defaultNow;
    if (!(this.#timeoutMs > 0)) {
      throw new TidingsError(ErrorCode.InvalidOptions, `timeoutMs must be a positive number, got ${this.#timeoutMs}.`);
    }
    if (!Number.isInteger(this.#maxPending) || this.#maxPending < 1) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `maxPending must be a positive integer, got ${this.#maxPending}.`,
      );
    }
  }

  /** Incomplete messages held. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Adds one part. Returns the whole text when this part completes the message, else undefined.
   * A part already held is ignored (the first copy wins). Throws TIDINGS_PROTOCOL_ERROR for a
   * part numbering that cannot exist (total 0, sequence 0 or above total).
   */
  accept(part: ConcatenatedPart): string | undefined {
    const { total, sequence } = part;
    if (!Number.isInteger(total) || !Number.isInteger(sequence) || total < 1 || sequence < 1 || sequence > total) {
      throw new TidingsError(
        ErrorCode.ProtocolError,
        `Concatenated part ${sequence} of ${total} (reference ${part.reference}) cannot exist: the sequence must be from 1 to the total.`,
        { details: { reference: part.reference, total, sequence } },
      );
    }
    if (total === 1) return part.text;

    // The total is part of the identity: a reused reference with another total is another message.
    const id = `${part.key}\u0000${part.reference}\u0000${total}`;
    let message = this.#pending.get(id);
    if (message === undefined) {
      if (this.#pending.size >= this.#maxPending) this.#dropOldest();
      message = { firstSeenAt: this.#now(), texts: new Array<string | undefined>(total), missing: total };
      this.#pending.set(id, message);
    }
    if (message.texts[sequence - 1] !== undefined) return undefined;
    message.texts[sequence - 1] = part.text;
    if (--message.missing > 0) return undefined;
    this.#pending.delete(id);
    return message.texts.join('');
  }

  /** Drops incomplete messages whose first part came more than `timeoutMs` ago; returns how many. */
  sweep(): number {
    const cutoff = this.#now() - this.#timeoutMs;
    let dropped = 0;
    for (const [id, message] of this.#pending) {
      // Entries are in arrival order, so the first one still in time ends the sweep.
      if (message.firstSeenAt >= cutoff) break;
      this.#pending.delete(id);
      dropped++;
    }
    return dropped;
  }

  #dropOldest(): void {
    const oldest = this.#pending.keys().next();
    if (oldest.done !== true) this.#pending.delete(oldest.value);
  }
}
