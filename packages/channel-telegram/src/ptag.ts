import type { TlvDefinition } from '@tidings/transport-smpp';

/**
 * `ptag` (0x1411): the partner's own message identifier, an octet string. The provider only checks
 * its format and may echo it in delivery statuses.
 */
export const ptagTlv: TlvDefinition = Object.freeze({ tag: 0x1411, name: 'ptag', type: 'string' });

/** 1 to 50 characters of `0-9 a-z A-Z - .`, as the page allows. */
const ptagFormat = /^[0-9A-Za-z.-]{1,50}$/;

export function isPtag(value: unknown): value is string {
  return typeof value === 'string' && ptagFormat.test(value);
}

/** A `ptag` read back from a receipt; some SMSCs add a NUL terminator to octet strings. */
export function ptagOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.endsWith('\u0000') ? value.slice(0, value.indexOf('\u0000')) : value;
  return trimmed === '' ? undefined : trimmed;
}
