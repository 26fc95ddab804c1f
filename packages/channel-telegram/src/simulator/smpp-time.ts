const relative = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d)(\d{2})R$/;
const absolute = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d)(\d{2})([+-])$/;

/**
 * Seconds from `now` to an SMPP time (`YYMMDDhhmmsstnnp`, SMPP 3.4 §7.1.1): relative (`R`, where a
 * month counts 30 days and a year 365) or absolute (`+`/`-`: `nn` quarter hours from UTC).
 * Undefined when the value is not an SMPP time.
 */
export function secondsUntil(value: string, now: number): number | undefined {
  const r = relative.exec(value);
  if (r !== null) {
    const [years, months, days, hours, minutes, seconds] = numbers(r);
    return (((years * 365 + months * 30 + days) * 24 + hours) * 60 + minutes) * 60 + seconds;
  }
  const a = absolute.exec(value);
  if (a === null) return undefined;
  const [yy, mo, dd, hh, mi, ss, tenths, quarters] = numbers(a);
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 59 || quarters > 48) return undefined;
  const sign = a[9] === '-' ? -1 : 1;
  // The local time is `nn` quarter hours ahead of (+) or behind (-) UTC.
  const utc = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, ss, tenths * 100) - sign * quarters * 15 * 60_000;
  return Math.round((utc - now) / 1000);
}

/** The numeric groups of a match; the regular expressions above guarantee at least eight. */
function numbers(match: RegExpExecArray): [number, number, number, number, number, number, number, number] {
  const n = (index: number): number => Number(match[index] ?? 0);
  return [n(1), n(2), n(3), n(4), n(5), n(6), n(7), n(8)];
}
