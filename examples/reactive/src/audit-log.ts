import { isSuccessEvent, isTerminalEvent, type MessageEvent } from '@tidings/core';
import { defer, filter, map, type OperatorFunction } from 'rxjs';

/** One audit record per message: where it went, how it ended, when. Never its text or code. */
export interface AuditEntry {
  readonly id: string;
  readonly clientRef?: string;
  /** The channel it ended on. */
  readonly channel: string;
  /** Every channel it went through, in order. */
  readonly route: readonly string[];
  /** The terminal event's type. */
  readonly type: MessageEvent['type'];
  readonly success: boolean;
  /** Send attempts over all channels. */
  readonly attempt: number;
  readonly providerMessageId?: string;
  /** The error code, when it failed. */
  readonly error?: string;
  /** The provider's raw status, when it gave one. */
  readonly providerStatus?: string | number;
  readonly queuedAt: string;
  readonly endedAt: string;
  readonly durationMs: number;
}

/**
 * The audit log: an entry at each message's terminal event, built from the events alone (they
 * carry no text and no code, so neither can leak into the log). Keeps the first timestamp and
 * route of each message in progress, and forgets them at its end.
 */
export function auditLog(): OperatorFunction<MessageEvent, AuditEntry> {
  return (events$) =>
    // One table of messages in progress per subscription.
    defer(() => {
      const open = new Map<string, { readonly queuedAt: number; readonly route: string[] }>();
      return events$.pipe(
        map((event): AuditEntry | undefined => {
          let seen = open.get(event.messageId);
          if (seen === undefined) {
            seen = { queuedAt: event.timestamp, route: [] };
            open.set(event.messageId, seen);
          }
          if (seen.route[seen.route.length - 1] !== event.channel) seen.route.push(event.channel);
          if (!isTerminalEvent(event)) return undefined;
          open.delete(event.messageId);
          const error = 'error' in event ? event.error : undefined;
          const providerMessageId = 'providerMessageId' in event ? event.providerMessageId : '';
          return {
            id: event.messageId,
            ...(event.clientRef === undefined ? {} : { clientRef: event.clientRef }),
            channel: event.channel,
            route: seen.route,
            type: event.type,
            success: isSuccessEvent(event),
            attempt: event.attempt,
            ...(providerMessageId === '' ? {} : { providerMessageId }),
            ...(error === undefined ? {} : { error: error.code }),
            ...(error?.providerStatus === undefined ? {} : { providerStatus: error.providerStatus }),
            queuedAt: new Date(seen.queuedAt).toISOString(),
            endedAt: new Date(event.timestamp).toISOString(),
            durationMs: event.timestamp - seen.queuedAt,
          };
        }),
        filter((entry) => entry !== undefined),
      );
    });
}
