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

/** An SMPP time read by {@link parseSmppTime}: a duration, or an instant. */
export type SmppTime =
  | { readonly kind: 'relative'; readonly seconds: number }
  | { readonly kind: 'absolute'; readonly epochMs: number };

// YY MM DD hh mm ss t nn p (SMPP 3.4 §7.1.1): 12 digits, tenths, quarter hours, then R, + or -.
const smppTimeFormat = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d)(\d{2})([R+-])$/;

/**
 * Reads an SMPP time (`YYMMDDhhmmsstnnp`, SMPP 3.4 §7.1.1), as found in `validity_period`,
 * `schedule_delivery_time` and `query_sm_resp.final_date`:
 * - relative (`p` = `R`): a duration; a year counts 365 days and a month 30, as SMSCs count
 *   them; the tenths and `nn` are ignored (`000000000500000R` is 300 s);
 * - absolute (`p` = `+` or `-`): the local time `YYMMDDhhmmss.t`, `nn` quarter hours ahead of
 *   (`+`) or behind (`-`) UTC (`261122060500012+` is 03:05 UTC); `YY` is 2000-2099.
 *
 * Undefined for anything else: empty (the field's "not set"), the wrong length, a calendar date
 * that does not exist, an offset over 48 quarter hours.
 */
export function parseSmppTime(time: string): SmppTime | undefined {
  const match = smppTimeFormat.exec(time);
  if (match === null) return undefined;
  const n = (index: number): number => Number(match[index]);
  const [yy, mo, dd, hh, mi, ss, tenths, quarters] = [n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8)];
  if (match[9] === 'R') {
    return { kind: 'relative', seconds: (((yy * 365 + mo * 30 + dd) * 24 + hh) * 60 + mi) * 60 + ss };
  }
  if (mo < 1 || mo > 12 || dd < 1 || dd > daysInMonth(2000 + yy, mo) || hh > 23 || mi > 59 || ss > 59) {
    return undefined;
  }
  if (quarters > 48) return undefined;
  const ahead = match[9] === '+' ? 1 : -1;
  const local = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss, tenths * 100);
  return { kind: 'absolute', epochMs: local - ahead * quarters * 15 * 60_000 };
}

/**
 * Seconds from `now` (epoch ms) to an SMPP time: a relative time's duration, or the seconds
 * until an absolute one (negative once past, rounded to the second). Undefined when
 * {@link parseSmppTime} cannot read it.
 */
export function secondsUntilSmppTime(time: string, now: number): number | undefined {
  const parsed = parseSmppTime(time);
  if (parsed === undefined) return undefined;
  return parsed.kind === 'relative' ? parsed.seconds : Math.round((parsed.epochMs - now) / 1000);
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
