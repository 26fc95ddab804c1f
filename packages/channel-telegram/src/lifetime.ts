import { relativeSmppTime } from '@tidings/transport-smpp';

/** Message lifetime (`validity_period`) bounds at Telegram Gateway, in seconds. */
export const minValiditySeconds = 30;
export const maxValiditySeconds = 3600;

export function isLifetime(seconds: unknown): seconds is number {
  return (
    typeof seconds === 'number' &&
    Number.isInteger(seconds) &&
    seconds >= minValiditySeconds &&
    seconds <= maxValiditySeconds
  );
}

/** The `validity_period` for a lifetime: SMPP relative time, e.g. 300 s → `000000000500000R`. */
export function validityPeriod(seconds: number | undefined): string {
  return seconds === undefined ? '' : relativeSmppTime(seconds);
}
