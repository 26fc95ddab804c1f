import type { MessageEvent } from './events.js';
import type { DeliveryReport, MessageBase } from './message.js';
import type { MessageRecord } from './message-store.js';

/**
 * A receipt this process got on its own connection for a message it does not track: most often a
 * message sent by another process (providers send receipts on any bind of the login).
 */
export interface ForwardedReport {
  /** The channel instance the receipt arrived on (the same name in every process). */
  readonly channel: string;
  readonly report: DeliveryReport;
  /** The message the store correlates the provider id with; undefined when it knew none (yet). */
  readonly messageId: string | undefined;
}

/** What the runtime offers a {@link Cluster} once it runs. */
export interface ClusterLink {
  /**
   * Applies a receipt another process forwarded, when one of this process's messages waits for it
   * on `channel`. Returns false when none does (settled already, or not this process's message).
   */
  applyReport(channel: string, report: DeliveryReport): boolean;
  /**
   * Takes over messages a dead process left unsettled, from what the shared store knew of them:
   * - `queued`, `retrying`, `fallback` (or a non-terminal refusal): sent again on its channel;
   * - `submitted` (written, outcome unknown): handled by the channel's `ambiguous` setting — sent
   *   again (`retry`), or ended with an ambiguous `TIDINGS_CONNECTION_LOST` failure (`fail`);
   * - `accepted`: waits for its receipt (on any process's connection) with a fresh receipt timeout,
   *   also without its body (sent `sensitive`); with no provider id recorded it is never sent
   *   again but ended with an ambiguous `TIDINGS_CONNECTION_LOST` failure.
   * A message this process already tracks is skipped; one for a channel not loaded here, or one
   * that would need sending again without its body (sent `sensitive`), is ended with a `failed`
   * event. Each ends, here, in exactly one terminal event.
   */
  adopt(messages: readonly AdoptedMessage[]): void;
}

/** A message another process left unsettled, as the shared store knew it. */
export interface AdoptedMessage {
  /** Its record; `status` is the type of the last event the dead process published. */
  readonly record: MessageRecord;
  /**
   * Its body; undefined when it was sent with `sensitive: true` (kept only in the dead process):
   * unless it only waits for its receipt, the runtime then ends it `failed`
   * (`TIDINGS_CONNECTION_LOST`, `details.bodyNotKept`).
   */
  readonly message?: MessageBase | undefined;
  /** Provider ids correlated with it on its current channel (one per part); default the record's. */
  readonly providerMessageIds?: readonly string[];
}

/**
 * Hooks that let several processes act as one Tidings: bound at `TOKENS.Cluster` by a module
 * (such as `@tidings/store-redis`), together with a shared `MessageStore`. Every method is
 * optional; without a cluster the runtime is one process on its own. The runtime never waits on
 * `publish` or `forwardReport`: an implementation buffers and reports its own failures.
 */
export interface Cluster {
  /**
   * Called by `createTidings` before any channel starts, with the loaded channel names: throws a
   * `TidingsError` (`TIDINGS_INVALID_OPTIONS`) when the cluster's options name a channel that is not
   * loaded (a typo would otherwise pass silently); `createTidings` then rejects with it.
   */
  checkChannels?(channels: readonly string[]): void;
  /** Called once when the runtime has started. */
  attach?(link: ClusterLink): void;
  /** Every event of this process's messages, in order (for other processes and later readers). */
  publish?(event: MessageEvent): void;
  /** A receipt none of this process's messages waits for: to be handed to the one that sends it. */
  forwardReport?(forwarded: ForwardedReport): void;
  /**
   * Asked before each submit on `channel`: resolves when it may go (a rate shared by every
   * process). `undefined` means at once. A rejection is logged and the submit goes anyway: a
   * provider that is sent too much throttles, and the channel's pause handles that.
   */
  beforeSubmit?(channel: string): Promise<void> | undefined;
  /**
   * Called once as the runtime stops, after every other message has ended, with the messages that
   * still wait for their receipt (none of whose parts had one yet): the cluster leaves them to the processes still running (a
   * rolling restart), which take them over and end them. Here they end without a shared trace:
   * their handles and `events$` see `failed` (`TIDINGS_SHUTDOWN`, `details.handedOver: true`),
   * while nothing is published or stored for them. Without this hook they end `failed` everywhere.
   */
  handOver?(messageIds: readonly string[]): void;
}
