import { ErrorCode, TidingsError } from '@tidings/core';

/** E.164: `+`, a country code not starting with 0, at most 15 digits in all. */
const INTERNATIONAL = /^\+[1-9]\d{5,14}$/;
const SEPARATORS = /[\s().-]/g;

/**
 * The recipient as EngageLab wants it: international format with `+` (`+6598765432`).
 * Without `normalize`, anything else is refused. With it, separators are dropped, a `00`
 * international prefix becomes `+`, and a bare number gets its `+` (it must then start with
 * the country code).
 */
export function engagelabRecipient(to: string, normalize: boolean): string {
  let recipient = to;
  if (normalize) {
    recipient = recipient.replace(SEPARATORS, '');
    if (recipient.startsWith('00')) recipient = `+${recipient.slice(2)}`;
    else if (/^\d/.test(recipient)) recipient = `+${recipient}`;
  }
  if (INTERNATIONAL.test(recipient)) return recipient;
  const hint = recipient.startsWith('+')
    ? 'the country code and number, digits only, at most 15'
    : normalize
      ? 'the country code first'
      : 'a leading "+" and the country code (or set the option normalizeRecipients)';
  throw new TidingsError(
    ErrorCode.InvalidMessage,
    `message.to must be in international format with "+", e.g. +6598765432: EngageLab needs ${hint}`,
    { details: { field: 'to' } },
  );
}
