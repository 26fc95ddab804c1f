import { ErrorCode, type MessageEvent, TidingsError } from '@tidings/core';

type Outcome = 'delivered' | 'rejected' | 'undelivered' | 'fallback';

/**
 * The events of one message, as the runtime emits them, at made-up times: `queued` at `at`, the
 * end 10 ms later. `fallback` ends on `channel` with a non-terminal rejection and a fallback to
 * `smsc`, then is delivered there.
 */
export function messageEvents(messageId: string, channel: string, outcome: Outcome, at: number): MessageEvent[] {
  const base = { messageId, channel, attempt: 1, clientRef: `ref-${messageId}` };
  const queued: MessageEvent = { ...base, type: 'queued', terminal: false, timestamp: at };
  const submitted: MessageEvent = { ...base, type: 'submitted', terminal: false, timestamp: at + 1 };
  const report = { providerMessageId: `p-${messageId}`, state: 'delivered' as const };
  const end = at + 10;
  switch (outcome) {
    case 'delivered':
      return [
        queued,
        submitted,
        { ...base, type: 'delivered', terminal: true, providerMessageId: `p-${messageId}`, report, timestamp: end },
      ];
    case 'rejected':
      return [
        queued,
        submitted,
        {
          ...base,
          type: 'rejected',
          terminal: true,
          error: new TidingsError(ErrorCode.Rejected, 'refused', { providerStatus: 11 }),
          timestamp: end,
        },
      ];
    case 'undelivered':
      return [
        queued,
        submitted,
        {
          ...base,
          type: 'undelivered',
          terminal: true,
          providerMessageId: `p-${messageId}`,
          report: { ...report, state: 'undelivered' },
          error: new TidingsError(ErrorCode.Undelivered, 'phone off', { providerStatus: '006' }),
          timestamp: end,
        },
      ];
    case 'fallback': {
      const error = new TidingsError(ErrorCode.Rejected, 'refused', { providerStatus: 11 });
      const next = { ...base, channel: 'smsc', attempt: 2 };
      return [
        queued,
        submitted,
        { ...base, type: 'rejected', terminal: false, error, timestamp: end },
        { ...base, type: 'fallback', terminal: false, from: channel, to: 'smsc', reason: error, timestamp: end },
        { ...next, type: 'queued', terminal: false, timestamp: end },
        { ...next, type: 'submitted', terminal: false, timestamp: end + 1 },
        { ...next, type: 'delivered', terminal: true, providerMessageId: 'p-sms', report, timestamp: end + 5 },
      ];
    }
  }
}
