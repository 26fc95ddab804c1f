import { ErrorCode, type MessageEvent, RetryDecision, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from './event-codec.js';

describe('event codec', () => {
  it('round-trips an event, its error coming back as a TidingsError with its facts', () => {
    const error = new TidingsError(ErrorCode.Throttled, 'slow down', {
      retry: RetryDecision.pause(1000),
      providerStatus: 88,
      channel: 'smsc',
      ambiguous: true,
      details: { a: 1 },
      cause: new Error('not carried'),
    });
    const event: MessageEvent = {
      type: 'retrying',
      terminal: false,
      messageId: 'm1',
      channel: 'smsc',
      attempt: 2,
      timestamp: 5,
      delayMs: 1000,
      channelPaused: true,
      error,
    };
    const back = decodeEvent(encodeEvent(event)) as Extract<MessageEvent, { type: 'retrying' }>;
    expect(back.error).toBeInstanceOf(TidingsError);
    expect(back.error.toJSON()).toEqual(error.toJSON());
    expect({ ...back, error: undefined }).toEqual({ ...event, error: undefined });
  });

  it('round-trips a fallback reason and a delivered report', () => {
    const reason = new TidingsError(ErrorCode.ReceiptTimeout, 'late');
    const fallback = decodeEvent(
      encodeEvent({
        type: 'fallback',
        terminal: false,
        messageId: 'm',
        channel: 'a',
        attempt: 1,
        timestamp: 1,
        from: 'a',
        to: 'b',
        reason,
      }),
    );
    expect(fallback).toMatchObject({ type: 'fallback', reason: { code: ErrorCode.ReceiptTimeout } });
    expect((fallback as { reason: unknown }).reason).toBeInstanceOf(TidingsError);
    const delivered = decodeEvent(
      encodeEvent({
        type: 'delivered',
        terminal: true,
        messageId: 'm',
        channel: 'a',
        attempt: 1,
        timestamp: 1,
        providerMessageId: 'p',
        report: { providerMessageId: 'p', state: 'delivered', doneAt: 3 },
      }),
    );
    expect(delivered).toMatchObject({ report: { providerMessageId: 'p', state: 'delivered', doneAt: 3 } });
  });
});
