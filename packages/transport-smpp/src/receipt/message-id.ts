/**
 * How a provider writes its message ids. Many give the id in hex in `submit_sm_resp` and in
 * decimal in the receipt (or the reverse); correlating them needs one canonical form.
 */
export type MessageIdFormat = 'as-is' | 'decimal' | 'hex';

const hexDigits = /^(?:0x)?([0-9a-f]+)$/i;
const decimalDigits = /^[0-9]+$/;
/** 13 hex digits stay below 2^53, so a plain number converts them exactly. */
const maxSafeHexDigits = 13;

/**
 * The id in a form that compares equal across formats: for `hex` and `decimal`, decimal digits
 * without leading zeros (`'1A2B'` hex and `'6699'` decimal both give `'6699'`), exact for ids of
 * any length. A value that is not valid in the declared format is returned trimmed, unchanged:
 * correlation then simply fails to match instead of throwing on a provider's odd id. `as-is` trims.
 */
export function canonicalMessageId(id: string, format: MessageIdFormat): string {
  const trimmed = id.trim();
  if (format === 'decimal') {
    if (!decimalDigits.test(trimmed)) return trimmed;
    let start = 0;
    while (start < trimmed.length - 1 && trimmed.charCodeAt(start) === 0x30) start++;
    return start === 0 ? trimmed : trimmed.slice(start);
  }
  if (format === 'hex') {
    const digits = hexDigits.exec(trimmed)?.[1];
    if (digits === undefined) return trimmed;
    return digits.length <= maxSafeHexDigits
      ? Number.parseInt(digits, 16).toString(10)
      : BigInt(`0x${digits}`).toString(10);
  }
  return trimmed;
}
