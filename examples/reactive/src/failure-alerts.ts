import { filter, groupBy, map, mergeMap, type OperatorFunction } from 'rxjs';
import type { ChannelOutcome } from './channel-outcome.js';
import { OutcomeWindow } from './outcome-window.js';

export interface AlertRule {
  /** This many failures on one channel raise an alert… */
  readonly failures: number;
  /** …when they happen within this many milliseconds. */
  readonly windowMs: number;
}

export interface Alert {
  readonly channel: string;
  readonly failures: number;
  readonly windowMs: number;
  /** The error codes of those failures, with their counts. */
  readonly codes: Readonly<Record<string, number>>;
  /** Epoch ms of the failure that crossed the line. */
  readonly at: number;
}

/**
 * An alert when a channel has `failures` failures within `windowMs`. The failures that raised it
 * are spent: the next alert needs as many new ones, so a broken channel does not alert on every
 * further message.
 */
export function failureAlerts(rule: AlertRule): OperatorFunction<ChannelOutcome, Alert> {
  return (outcomes$) =>
    outcomes$.pipe(
      filter((outcome) => !outcome.ok),
      groupBy((outcome) => outcome.channel),
      mergeMap((failures$) => {
        const window = new OutcomeWindow(rule.windowMs);
        return failures$.pipe(
          map((failure): Alert | undefined => {
            window.add(failure);
            if (window.size < rule.failures) return undefined;
            const codes: Record<string, number> = {};
            for (const { code = failure.type } of window.outcomes()) codes[code] = (codes[code] ?? 0) + 1;
            const alert = {
              channel: failure.channel,
              failures: window.size,
              windowMs: rule.windowMs,
              codes,
              at: failure.at,
            };
            window.clear();
            return alert;
          }),
          filter((alert) => alert !== undefined),
        );
      }),
    );
}
