/** `stat` values of receipt texts (SMPP 3.4 Appendix B); any other text is passed through. */
export type ReceiptStat =
  | 'ENROUTE'
  | 'DELIVRD'
  | 'EXPIRED'
  | 'DELETED'
  | 'UNDELIV'
  | 'ACCEPTD'
  | 'UNKNOWN'
  | 'REJECTD'
  | (string & {});

/** `message_state` values (SMPP 3.4 §5.2.28). */
export const MessageState = {
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
} as const;

const stateOfStat: Readonly<Record<string, number>> = {
  ENROUTE: MessageState.ENROUTE,
  DELIVRD: MessageState.DELIVERED,
  EXPIRED: MessageState.EXPIRED,
  DELETED: MessageState.DELETED,
  UNDELIV: MessageState.UNDELIVERABLE,
  ACCEPTD: MessageState.ACCEPTED,
  UNKNOWN: MessageState.UNKNOWN,
  REJECTD: MessageState.REJECTED,
};

/** The `message_state` a receipt `stat` stands for (UNKNOWN for a stat SMPP does not name). */
export function messageStateOf(stat: ReceiptStat): number {
  return stateOfStat[stat] ?? MessageState.UNKNOWN;
}

/** What the simulator remembers of an accepted message (kept small: there may be a million). */
export interface StoredMessage {
  readonly messageId: string;
  readonly systemId: string;
  readonly sourceAddr: string;
  readonly destinationAddr: string;
  readonly submittedAt: number;
  /** When the message reaches its final state (the receipt's done date). */
  readonly doneAt: number;
  readonly stat: ReceiptStat;
  readonly err: number | string;
}

/** What `query_sm_resp` says of a message at a given time. */
export interface MessageQueryState {
  /** `YYMMDDhhmmss000+` once final, else empty. */
  readonly finalDate: string;
  readonly messageState: number;
  readonly errorCode: number;
}

/**
 * Accepted messages by id, the oldest evicted beyond `limit`. Eviction order is kept in a queue:
 * taking the first key of a Map after many deletes walks over every deleted slot, which made each
 * add cost O(limit) once the ledger was full.
 */
export class MessageLedger {
  readonly #limit: number;
  readonly #messages = new Map<string, StoredMessage>();
  /** Messages in the order added; an entry is stale once its id was re-added or evicted. */
  #order: StoredMessage[] = [];
  #head = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#messages.size;
  }

  add(message: StoredMessage): void {
    const messages = this.#messages;
    // Re-adding an id (a profile reusing ids per part) moves it to the young end: its older queue
    // entry no longer matches the Map and is skipped.
    messages.set(message.messageId, message);
    this.#order.push(message);
    while (messages.size > this.#limit && this.#head < this.#order.length) {
      const oldest = this.#order[this.#head] as StoredMessage;
      this.#order[this.#head++] = undefined as unknown as StoredMessage;
      if (messages.get(oldest.messageId) === oldest) messages.delete(oldest.messageId);
    }
    // Compact now and then rather than shift on every eviction; also drops stale entries.
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#head = 0;
    } else if (this.#order.length > 2 * this.#limit + 1024) {
      this.#order = this.#order.slice(this.#head).filter((entry) => messages.get(entry.messageId) === entry);
      this.#head = 0;
    }
  }

  get(messageId: string): StoredMessage | undefined {
    return this.#messages.get(messageId);
  }

  clear(): void {
    this.#messages.clear();
    this.#order = [];
    this.#head = 0;
  }
}

/** The message's state at `now`: en route until its done time, then the final state of its stat. */
export function queryStateOf(message: StoredMessage, now: number): MessageQueryState {
  if (now < message.doneAt) return { finalDate: '', messageState: MessageState.ENROUTE, errorCode: 0 };
  const state = messageStateOf(message.stat);
  const final = state !== MessageState.ENROUTE && state !== MessageState.ACCEPTED;
  const err = typeof message.err === 'number' ? message.err : Number.parseInt(message.err, 10);
  return {
    finalDate: final ? formatAbsoluteTime(message.doneAt) : '',
    messageState: state,
    // error_code is one octet.
    errorCode: Number.isFinite(err) ? err & 0xff : 0,
  };
}

/** SMPP absolute time `YYMMDDhhmmsstnnp` in UTC (`t` tenths, `nn` quarter hours, `p` sign). */
export function formatAbsoluteTime(ms: number): string {
  const date = new Date(ms);
  return (
    pad2(date.getUTCFullYear() % 100) +
    pad2(date.getUTCMonth() + 1) +
    pad2(date.getUTCDate()) +
    pad2(date.getUTCHours()) +
    pad2(date.getUTCMinutes()) +
    pad2(date.getUTCSeconds()) +
    `${Math.floor(date.getUTCMilliseconds() / 100)}00+`
  );
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
