import { ErrorCode, TidingsError } from '@tidings/core';

const two = (value: number): string => String(value).padStart(2, '0');

/**
 * A duration as an SMPP relative time (`YYMMDDhhmmss000R`), for `validity_period` and
 * `schedule_delivery_time`: 5 minutes is `000000000500000R`. Months and years are not used
 * (their length varies); days go up to 99, so the longest is 99 days 23:59:59.
 */
export function relativeSmppTime(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds >= 100 * 86_400) {
    throw new TidingsError(
      ErrorCode.InvalidMessage,
      `a relative SMPP time must be a whole number of seconds from 1 to ${100 * 86_400 - 1} (got ${seconds})`,
      { details: { field: 'validitySeconds' } },
    );
  }
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  return `0000${two(days)}${two(hours)}${two(minutes)}${two(seconds % 60)}000R`;
}
