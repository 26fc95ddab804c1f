import { ErrorCode, TidingsError } from '@tidings/core';
import type { SmppAddress } from '@tidings/transport-smpp';

/**
 * Addresses as the provider's reference settings give them: `source-addr-ton = 5`,
 * `source-addr-npi = 1`, `dest-addr-ton = 1`, `dest-addr-npi = 1`. With `source-addr-autodetect`,
 * a sender written `+<digits>` is an international number (TON 1, NPI 1).
 */
export const SOURCE_TON = 5;
export const SOURCE_NPI = 1;
export const DEST_TON = 1;
export const DEST_NPI = 1;

const phone = /^\+?[0-9]{7,15}$/;
const email = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const printableAscii = /^[\x21-\x7E]+$/;
const internationalSender = /^\+[0-9]{1,15}$/;
const numericSender = /^[0-9]{1,15}$/;
/** Alphanumeric sender names: up to 11 Latin letters, digits and a few signs. */
const alphanumericSender = /^[A-Za-z0-9 ._\-&!'"@#$%*+/:?]{1,11}$/;

function invalid(field: string, message: string): TidingsError {
  return new TidingsError(ErrorCode.InvalidMessage, `message.${field} ${message}`, { details: { field } });
}

/** Checks a recipient: an e-mail address for `__MAIL__`, a phone number for everything else; errors never quote it. */
export function checkRecipient(to: string, kind: 'email' | 'phone'): void {
  if (kind === 'email') {
    if (!email.test(to)) throw invalid('to', 'must be an e-mail address for an e-mail message');
    // destination_addr carries ASCII only: an internationalised address goes in its punycode form.
    if (!printableAscii.test(to)) {
      throw invalid('to', 'must be written in ASCII (punycode for an internationalised domain)');
    }
    return;
  }
  if (!phone.test(to)) throw invalid('to', 'must be a phone number of 7 to 15 digits, optionally with a leading +');
}

/** Checks a sender (`from`, or the channel's `sender`); an e-mail message may also come from an address. */
export function isValidSender(from: string, allowEmail = false): boolean {
  return (
    internationalSender.test(from) ||
    numericSender.test(from) ||
    alphanumericSender.test(from) ||
    (allowEmail && email.test(from))
  );
}

export const senderRule =
  'must be a sender name of up to 11 Latin letters and digits, or a number of up to 15 digits (+ for international)';

/** The recipient as SMSC takes it: phone numbers without their `+` (TON 1 says international). */
export function destinationAddress(to: string): SmppAddress {
  return { addr: to.startsWith('+') ? to.slice(1) : to, ton: DEST_TON, npi: DEST_NPI };
}

/** The sender: `+<digits>` as an international number, anything else with the reference TON 5 / NPI 1; empty for the account's default sender. */
export function sourceAddress(from: string | undefined): SmppAddress {
  if (from !== undefined && internationalSender.test(from)) return { addr: from.slice(1), ton: 1, npi: 1 };
  return { addr: from ?? '', ton: SOURCE_TON, npi: SOURCE_NPI };
}
