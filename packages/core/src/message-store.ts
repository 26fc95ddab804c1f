import type { MessageEventType } from './events.js';
import type { MessageBase } from './message.js';

/** What the store keeps of one message. */
export interface MessageRecord {
  readonly id: string;
  /** The channels in fallback order; `channel` is the one in use. */
  readonly channels: readonly string[];
  readonly channel: string;
  /** The type of the last event. */
  readonly status: MessageEventType;
  readonly attempt: number;
  readonly terminal: boolean;
  readonly providerMessageId?: string;
  readonly idempotencyKey?: string;
  readonly clientRef?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  /**
   * The message itself (validated), given on `create` so that a shared store can let another
   * process take the message over if this one dies. A store may ignore it; `get` need not return it.
   * Absent when the message was sent with `sensitive: true` (its body never leaves the process).
   */
  readonly message?: MessageBase;
}

/** A change to a message record: any field but its id and creation time. */
export type MessageRecordPatch = Partial<Omit<MessageRecord, 'id' | 'createdAt'>>;

export type CreateResult = { readonly created: true } | { readonly created: false; readonly existingId: string };

/**
 * Where message state and provider-id ↔ message correlation live. In memory by default; a durable
 * or shared store (Redis) implements the same contract for several processes.
 *
 * Implementations keep memory bounded: settled messages (and their correlations and idempotency
 * keys) are forgotten after a retention period.
 */
export interface MessageStore {
  /**
   * Records a new message. With an idempotency key, atomically: when the key is already known the
   * message is not recorded and the existing id is returned.
   */
  create(record: MessageRecord): Promise<CreateResult>;
  /** Applies a change; marks the message settled when `terminal` is true. */
  update(id: string, patch: MessageRecordPatch): Promise<void>;
  get(id: string): Promise<MessageRecord | undefined>;
  findByIdempotencyKey(key: string): Promise<string | undefined>;
  /** Remembers that `providerMessageId` on `channel` belongs to message `messageId`. */
  correlate(channel: string, providerMessageId: string, messageId: string): Promise<void>;
  /** The message a provider id belongs to, if known. */
  resolve(channel: string, providerMessageId: string): Promise<string | undefined>;
  close?(): Promise<void>;
}
