import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ChannelOutcome } from './channel-outcome.js';
import { failureAlerts } from './failure-alerts.js';

const failure = (channel: string, at: number, code = 'TIDINGS_REJECTED'): ChannelOutcome => ({
  channel,
  messageId: `${channel}-${at}`,
  ok: false,
  type: 'rejected',
  code,
  at,
});
const success = (channel: string, at: number): ChannelOutcome => ({
  channel,
  messageId: `${channel}-${at}`,
  ok: true,
  type: 'delivered',
  at,
});
const alertsOf = (outcomes: ChannelOutcome[]) =>
  lastValueFrom(from(outcomes).pipe(failureAlerts({ failures: 3, windowMs: 1_000 }), toArray()));

describe('failureAlerts (3 failures within 1 000 ms)', () => {
  it('fires at the third failure within the window, not before, and counts their codes', async () => {
    const alerts = await alertsOf([
      failure('telegram', 0),
      success('telegram', 100),
      failure('telegram', 200, 'TIDINGS_TIMEOUT'),
      failure('telegram', 300),
    ]);
    expect(alerts).toEqual([
      {
        channel: 'telegram',
        failures: 3,
        windowMs: 1_000,
        codes: { TIDINGS_REJECTED: 2, TIDINGS_TIMEOUT: 1 },
        at: 300,
      },
    ]);
  });

  it('does not fire for two failures, nor for three spread wider than the window', async () => {
    expect(await alertsOf([failure('smsc', 0), failure('smsc', 500)])).toEqual([]);
    expect(await alertsOf([failure('smsc', 0), failure('smsc', 600), failure('smsc', 1_000)])).toEqual([]);
  });

  it('spends the failures that raised an alert: the next one needs three new ones', async () => {
    const times = [0, 10, 20, 30, 40, 50, 60];
    const alerts = await alertsOf(times.map((at) => failure('telegram', at)));
    expect(alerts.map((alert) => alert.at)).toEqual([20, 50]);
  });

  it('counts each channel on its own', async () => {
    const alerts = await alertsOf([
      failure('telegram', 0),
      failure('smsc', 1),
      failure('telegram', 2),
      failure('smsc', 3),
      failure('telegram', 4),
    ]);
    expect(alerts.map((alert) => alert.channel)).toEqual(['telegram']);
  });
});
