import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { auditLog } from './audit-log.js';
import { messageEvents } from './test-events.test-helper.js';

describe('auditLog', () => {
  it('writes one entry per message, at its terminal event, with its route and times', async () => {
    const events = [
      ...messageEvents('a', 'telegram', 'delivered', Date.UTC(2026, 10, 22, 6, 0, 0)),
      ...messageEvents('b', 'telegram', 'fallback', Date.UTC(2026, 10, 22, 6, 0, 1)),
      ...messageEvents('c', 'smsc', 'undelivered', Date.UTC(2026, 10, 22, 6, 0, 2)),
    ];
    const entries = await lastValueFrom(from(events).pipe(auditLog(), toArray()));
    expect(entries).toEqual([
      {
        id: 'a',
        clientRef: 'ref-a',
        channel: 'telegram',
        route: ['telegram'],
        type: 'delivered',
        success: true,
        attempt: 1,
        providerMessageId: 'p-a',
        queuedAt: '2026-11-22T06:00:00.000Z',
        endedAt: '2026-11-22T06:00:00.010Z',
        durationMs: 10,
      },
      {
        id: 'b',
        clientRef: 'ref-b',
        channel: 'smsc',
        route: ['telegram', 'smsc'],
        type: 'delivered',
        success: true,
        attempt: 2,
        providerMessageId: 'p-sms',
        queuedAt: '2026-11-22T06:00:01.000Z',
        endedAt: '2026-11-22T06:00:01.015Z',
        durationMs: 15,
      },
      {
        id: 'c',
        clientRef: 'ref-c',
        channel: 'smsc',
        route: ['smsc'],
        type: 'undelivered',
        success: false,
        attempt: 1,
        providerMessageId: 'p-c',
        error: 'TIDINGS_UNDELIVERED',
        providerStatus: '006',
        queuedAt: '2026-11-22T06:00:02.000Z',
        endedAt: '2026-11-22T06:00:02.010Z',
        durationMs: 10,
      },
    ]);
  });

  it('keeps nothing of a message once it has ended, and a table per subscriber', async () => {
    const audit$ = from(messageEvents('a', 'telegram', 'rejected', 0)).pipe(auditLog());
    const first = await lastValueFrom(audit$.pipe(toArray()));
    const second = await lastValueFrom(audit$.pipe(toArray()));
    expect(second).toEqual(first);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ route: ['telegram'], error: 'TIDINGS_REJECTED', providerStatus: 11 });
  });
});
