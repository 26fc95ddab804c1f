import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { ChannelOutcome } from './channel-outcome.js';
import { deliveryRates } from './delivery-rates.js';

const outcome = (channel: string, ok: boolean, at: number): ChannelOutcome => ({
  channel,
  messageId: `${channel}-${at}`,
  ok,
  type: ok ? 'delivered' : 'rejected',
  at,
});

describe('deliveryRates', () => {
  it('recomputes a channel rate at each of its outcomes, over the last windowMs only', async () => {
    const outcomes = [
      outcome('telegram', true, 0),
      outcome('telegram', false, 400),
      outcome('telegram', true, 900),
      // 0 is now 1 000 ms old: out of a 1 000 ms window.
      outcome('telegram', true, 1_000),
      // Only 1 900 is within the window of 2 900.
      outcome('telegram', false, 2_900),
    ];
    const rates = await lastValueFrom(from(outcomes).pipe(deliveryRates(1_000), toArray()));
    expect(rates.map(({ delivered, failed, rate }) => ({ delivered, failed, rate }))).toEqual([
      { delivered: 1, failed: 0, rate: 1 },
      { delivered: 1, failed: 1, rate: 0.5 },
      { delivered: 2, failed: 1, rate: 2 / 3 },
      { delivered: 2, failed: 1, rate: 2 / 3 },
      { delivered: 0, failed: 1, rate: 0 },
    ]);
  });

  it('keeps one window per channel', async () => {
    const outcomes = [outcome('telegram', true, 0), outcome('smsc', false, 1), outcome('telegram', false, 2)];
    const rates = await lastValueFrom(from(outcomes).pipe(deliveryRates(60_000), toArray()));
    expect(rates.map(({ channel, delivered, failed }) => [channel, delivered, failed])).toEqual([
      ['telegram', 1, 0],
      ['smsc', 0, 1],
      ['telegram', 1, 1],
    ]);
  });

  it('gives each subscriber its own windows', async () => {
    const rates$ = from([outcome('smsc', true, 0), outcome('smsc', false, 1)]).pipe(deliveryRates(60_000));
    const first = await lastValueFrom(rates$.pipe(toArray()));
    const second = await lastValueFrom(rates$.pipe(toArray()));
    expect(second).toEqual(first);
    expect(second.at(-1)).toMatchObject({ delivered: 1, failed: 1 });
  });
});
