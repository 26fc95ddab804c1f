import { isSuccessEvent, type MessageEvent, type TerminalEvent } from '@tidings/core';

/** What happened to one message, read from its own events. */
export interface MessageSummary {
  /** The host's reference (`clientRef`). */
  readonly ref: string;
  /** The story step that sent it. */
  readonly step: string;
  /** The channels that carried an attempt, in order (two after a fallback). */
  readonly channels: readonly string[];
  /** The event types, in order. */
  readonly events: readonly MessageEvent['type'][];
  /** The terminal event's type, or `pending` when the message has not ended. */
  readonly final: TerminalEvent['type'] | 'pending';
  readonly success: boolean;
  /** The error code of a terminal failure. */
  readonly errorCode?: string;
  /** Send attempts across retries and fallback. */
  readonly attempts: number;
  /** SMS parts the provider received for the accepted attempt. */
  readonly parts: number | undefined;
  /** From `queued` to the terminal event. */
  readonly durationMs: number | undefined;
}

interface Entry {
  readonly ref: string;
  readonly step: string;
  readonly events: MessageEvent[];
}

/**
 * Every event of the messages the story sends, grouped per message in sending order. Fed by the
 * runtime's `events$`. A message's `queued` event comes before `send` resolves with its id, so
 * events of an id not tracked yet wait for {@link MessageLog.track}.
 */
export class MessageLog {
  readonly #byId = new Map<string, Entry>();
  readonly #orphans = new Map<string, MessageEvent[]>();

  /** Records one event of the runtime's stream. */
  record(event: MessageEvent): void {
    const entry = this.#byId.get(event.messageId);
    if (entry !== undefined) {
      entry.events.push(event);
      return;
    }
    const early = this.#orphans.get(event.messageId) ?? [];
    early.push(event);
    this.#orphans.set(event.messageId, early);
  }

  /** Starts following a message the story sent. */
  track(messageId: string, ref: string, step: string): void {
    const events = this.#orphans.get(messageId) ?? [];
    this.#orphans.delete(messageId);
    this.#byId.set(messageId, { ref, step, events });
  }

  /** The events of the message sent with this reference. */
  eventsOf(ref: string): readonly MessageEvent[] {
    for (const entry of this.#byId.values()) if (entry.ref === ref) return entry.events;
    return [];
  }

  /** One summary per tracked message, in sending order. */
  summaries(): MessageSummary[] {
    return [...this.#byId.values()].map(summarize);
  }
}

function summarize({ ref, step, events }: Entry): MessageSummary {
  const terminal = events.find((event): event is TerminalEvent => event.terminal);
  const channels = [...new Set(events.filter((event) => event.type === 'submitted').map((event) => event.channel))];
  const accepted = events.findLast((event) => event.type === 'accepted');
  const first = events[0];
  const errorCode = terminal !== undefined && 'error' in terminal ? terminal.error.code : undefined;
  return {
    ref,
    step,
    channels,
    events: events.map((event) => event.type),
    final: terminal?.type ?? 'pending',
    success: terminal !== undefined && isSuccessEvent(terminal),
    ...(errorCode === undefined ? {} : { errorCode }),
    attempts: terminal?.attempt ?? events.at(-1)?.attempt ?? 0,
    parts: accepted?.type === 'accepted' ? accepted.parts : undefined,
    durationMs: terminal !== undefined && first !== undefined ? terminal.timestamp - first.timestamp : undefined,
  };
}
