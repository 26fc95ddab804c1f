import { groupBy, map, mergeMap, type OperatorFunction } from 'rxjs';
import type { ChannelOutcome } from './channel-outcome.js';
import { OutcomeWindow } from './outcome-window.js';

/** A channel's delivery rate over the last `windowMs`. */
export interface DeliveryRate {
  readonly channel: string;
  readonly delivered: number;
  readonly failed: number;
  /** delivered / (delivered + failed), from 0 to 1. */
  readonly rate: number;
  readonly windowMs: number;
  /** Epoch ms of the outcome that produced this value. */
  readonly at: number;
}

/**
 * Each channel's delivery rate over a sliding window, recomputed at each of its outcomes: the
 * window is measured on the outcomes' own timestamps, so a consumer that lags, or a test feeding
 * made-up outcomes, gets the same numbers.
 */
export function deliveryRates(windowMs: number): OperatorFunction<ChannelOutcome, DeliveryRate> {
  return (outcomes$) =>
    outcomes$.pipe(
      groupBy((outcome) => outcome.channel),
      // One window per channel and per subscription.
      mergeMap((channel$) => {
        const window = new OutcomeWindow(windowMs);
        return channel$.pipe(
          map((outcome): DeliveryRate => {
            window.add(outcome);
            return {
              channel: outcome.channel,
              delivered: window.delivered,
              failed: window.failed,
              rate: window.delivered / window.size,
              windowMs,
              at: outcome.at,
            };
          }),
        );
      }),
    );
}
