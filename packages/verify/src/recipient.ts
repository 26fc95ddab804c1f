import { ErrorCode, TidingsError } from '@tidings/core';

/** Separators people type inside phone numbers: `+7 (903) 655-05-50`, `903.655.0550`. */
const separators = /[\s\-().]/g;
/** A phone number once its separators are gone: digits, perhaps after a `+`. */
const phoneNumber = /^\+?[0-9]+$/;

const invalidTo = (rule: string): TidingsError =>
  new TidingsError(ErrorCode.InvalidMessage, `verify: "to" ${rule}`, { details: { field: 'to' } });

/**
 * The address the code is sent to: `to` exactly as given, only trimmed. The channels decide how
 * they read it (SMSC drops the `+`, an e-mail route needs the address untouched).
 */
export function recipientAddress(to: unknown): string {
  if (typeof to !== 'string') throw invalidTo('must be a string (the recipient)');
  const address = to.trim();
  if (address === '' || address.length > 64) throw invalidTo('must be a recipient of 1 to 64 characters');
  return address;
}

/**
 * The key a recipient is counted and looked up under (the per-recipient start limit,
 * `check({ to })`), never what is sent:
 * - a phone number: its digits only, the leading `+` and separators dropped, so `+79036550550`,
 *   `79036550550` and `+7 903 655-05-50` are one recipient (SMSC and Telegram read them as one);
 * - an e-mail address (it has an `@`): lowercased whole, dots kept (`John.Doe@Example.com` and
 *   `john.doe@example.com` are one key; mail providers do not tell the cases apart in practice);
 * - anything else (a chat id, a user name): trimmed and lowercased.
 * No country guessing: a trunk prefix (`8 903…` for `+7 903…`) stays a different key, so pass
 * E.164 numbers to get one key per phone.
 */
export function recipientKey(to: unknown): string {
  const address = recipientAddress(to);
  if (address.includes('@')) return address.toLowerCase();
  const compact = address.replace(separators, '');
  if (phoneNumber.test(compact)) return compact.replace(/^\+/, '');
  if (compact === '') throw invalidTo('must be a recipient of 1 to 64 characters');
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
