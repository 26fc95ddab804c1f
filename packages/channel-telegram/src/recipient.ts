import type { SmppAddress } from '@tidings/transport-smpp';

/** `destination_addr` is at most 25 characters at Telegram Gateway. */
export const maxRecipientLength = 25;

// The page's forms: 79036550550, +79036550550, 8-903-655-05-50, 89036550550 — digits, an optional
// leading +, single hyphens between digits. E.164 numbers have at most 15 digits.
const recipientForm = /^\+?\d(?:-?\d)*$/;
const minDigits = 5;
const maxDigits = 15;

/** Why `to` is not a recipient Telegram Gateway accepts, or undefined when it is one. */
export function recipientProblem(to: string): string | undefined {
  if (to.length > maxRecipientLength) {
    return `is ${to.length} characters long; destination_addr takes at most ${maxRecipientLength}`;
  }
  const digits = to.replace(/\D/g, '').length;
  if (!recipientForm.test(to) || digits < minDigits || digits > maxDigits) {
    return (
      `must be a phone number in one of the forms 79036550550, +79036550550, 8-903-655-05-50 or 89036550550 ` +
      `(${minDigits}-${maxDigits} digits, an optional leading "+", hyphens only between digits)`
    );
  }
  return undefined;
}

/**
 * The number a recipient names, whatever its accepted form: digits only, and an 11-digit number
 * with the domestic trunk prefix 8 read as country code 7, as the page's forms of one number show
 * (`79036550550`, `+79036550550`, `8-903-655-05-50` and `89036550550` are all `79036550550`).
 */
export function recipientNumber(to: string): string {
  const digits = to.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('8') ? `7${digits.slice(1)}` : digits;
}

/**
 * The `destination_addr` for a recipient: sent as the host wrote it, in one of the forms the
 * provider accepts, with TON "unknown" so the provider reads the form itself.
 */
export function recipientAddress(to: string): SmppAddress {
  return { addr: to, ton: 0, npi: 1 };
}
