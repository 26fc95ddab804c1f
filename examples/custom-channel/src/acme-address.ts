import type { SmppAddress } from '@tidings/transport-smpp';

/**
 * The page's three sender forms, each with its own TON/NPI:
 * - a long number: 8-15 digits, `+` optional, sent without it (TON 1 international, NPI 1 E.164);
 * - a short code: 3-6 digits (TON 3 network specific, NPI 0);
 * - an alphanumeric name: 1-11 characters of `A-Z a-z 0-9` and space, at least one letter (TON 5, NPI 0).
 */
export type SenderForm = 'long-number' | 'short-code' | 'alphanumeric';

const longNumber = /^\+?([0-9]{8,15})$/;
const shortCode = /^[0-9]{3,6}$/;
const alphanumeric = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

/** The `source_addr` of a sender, or undefined when it is none of the page's forms. */
export function senderAddress(sender: string): (SmppAddress & { readonly form: SenderForm }) | undefined {
  const number = longNumber.exec(sender)?.[1];
  if (number !== undefined) return { addr: number, ton: 1, npi: 1, form: 'long-number' };
  if (shortCode.test(sender)) return { addr: sender, ton: 3, npi: 0, form: 'short-code' };
  if (alphanumeric.test(sender)) return { addr: sender, ton: 5, npi: 0, form: 'alphanumeric' };
  return undefined;
}

/** What a bad sender is told: the three forms. */
export const senderRule =
  'must be a long number (8-15 digits, "+" optional), a short code (3-6 digits) or a name (1-11 letters, digits and spaces, at least one letter)';

const recipient = /^\+?([0-9]{8,15})$/;

/** Recipients are international numbers, 8-15 digits, `+` optional; sent without it as TON 1 / NPI 1. */
export function recipientAddress(to: string): SmppAddress | undefined {
  const number = recipient.exec(to)?.[1];
  return number === undefined ? undefined : { addr: number, ton: 1, npi: 1 };
}

export const recipientRule = 'must be an international number of 8 to 15 digits, "+" optional (e.g. +4915112345678)';
