import { ErrorCode, TidingsError } from '@tidings/core';

/** Separators people type inside phone numbers: `+7 (903) 655-05-50`, `903.655.0550`. */
const separators = /[\s\-().]/g;

/**
 * The form a recipient is stored and looked up under: separators removed, so `+7 903 655-05-50`
 * and `+79036550550` are one recipient for `check({ to })` and the per-recipient start limit.
 * Nothing else changes (no country guessing): pass E.164 numbers to get one key per phone.
 */
export function normaliseRecipient(to: unknown): string {
  if (typeof to !== 'string') {
    throw new TidingsError(ErrorCode.InvalidMessage, 'verify: "to" must be a string (the recipient)', {
      details: { field: 'to' },
    });
  }
  const compact = to.trim().replace(separators, '');
  if (compact === '' || compact.length > 64) {
    throw new TidingsError(ErrorCode.InvalidMessage, 'verify: "to" must be a recipient of 1 to 64 characters', {
      details: { field: 'to' },
    });
  }
  return compact.toLowerCase();
}

/**
 * The recipient as events and logs show it: all but the last four characters hidden (the leading
 * `+` kept), so a dashboard can tell verifications apart without a log holding phone numbers.
 */
export function maskRecipient(recipient: string): string {
  if (recipient.length <= 4) return '•'.repeat(recipient.length);
  const plus = recipient.startsWith('+') ? '+' : '';
  const body = recipient.slice(plus.length);
  const shown = body.slice(-4);
  return `${plus}${'•'.repeat(Math.max(0, body.length - shown.length))}${shown}`;
}
