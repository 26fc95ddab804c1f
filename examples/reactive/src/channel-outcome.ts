import { isSuccessEvent, isTerminalEvent, type MessageEvent } from '@tidings/core';
import { filter, map, type OperatorFunction } from 'rxjs';

/** How one channel's attempt at a message ended. */
export interface ChannelOutcome {
  readonly channel: string;
  readonly messageId: string;
  readonly ok: boolean;
  /** The event that ended it: `delivered`, `rejected`, `undelivered`, `failed`… */
  readonly type: MessageEvent['type'];
  /** The error code, when it failed. */
  readonly code?: string;
  /** Epoch ms: the event's own timestamp. */
  readonly at: number;
}

/**
 * One outcome per channel a message went through. A message that falls back from Telegram to SMS
 * counts as a failure for `telegram` (its non-terminal `rejected` or `failed` event) and as
 * whatever the SMS became for `smsc`: channel health, not message success.
 */
export function channelOutcomes(): OperatorFunction<MessageEvent, ChannelOutcome> {
  return (events$) =>
    events$.pipe(
      filter((event) => isTerminalEvent(event) || endsOnChannel.has(event.type)),
      map((event): ChannelOutcome => {
        const code = 'error' in event ? event.error.code : undefined;
        return {
          channel: event.channel,
          messageId: event.messageId,
          ok: isTerminalEvent(event) && isSuccessEvent(event),
          type: event.type,
          at: event.timestamp,
          ...(code === undefined ? {} : { code }),
        };
      }),
    );
}

/** Event types that end a channel's attempt even when not terminal (a fallback follows them). */
const endsOnChannel: ReadonlySet<MessageEvent['type']> = new Set(['rejected', 'failed', 'undelivered', 'expired']);
