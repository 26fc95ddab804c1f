import type { SmppAddress } from '@tidings/transport-smpp';
import { DESTINATION } from './smsorg-rules.js';

/** TON / NPI of one kind of sender. */
export interface TonNpi {
  readonly ton: number;
  readonly npi: number;
}

/** TON / NPI per sender kind (smsorg: numeric 1/1, alphanumeric 5/0). */
export interface SenderAddressing {
  readonly numeric: TonNpi;
  readonly alphanumeric: TonNpi;
}

export type SenderKind = 'numeric' | 'alphanumeric';

// A numeric sender is a phone number (E.164: at most 15 digits) or a short code.
const numericSender = /^\+?\d{1,15}$/;
// GSM 03.40 carries at most 11 characters in an alphanumeric originator; source_addr is ASCII.
const alphanumericSender = /^(?=.*\S)[\x20-\x7e]{1,11}$/;
// dest_addr_ton 1 (international): country code and number, no leading zeros or punctuation.
const internationalNumber = /^\+?[1-9]\d{6,14}$/;

/** Numeric (digits, optional `+`) or alphanumeric (a name); undefined when it is neither. */
export function senderKind(sender: string): SenderKind | undefined {
  if (numericSender.test(sender)) return 'numeric';
  if (alphanumericSender.test(sender)) return 'alphanumeric';
  return undefined;
}

/** What is wrong with a sender, for messages that name the option or field. */
export const senderRule =
  'must be a number (digits, optional leading "+", at most 15) or a name of 1-11 printable ASCII characters';

/** The `source_addr` of a valid sender, its TON / NPI chosen by its kind. */
export function senderAddress(sender: string, addressing: SenderAddressing): SmppAddress {
  const kind = senderKind(sender);
  if (kind === 'numeric') return { addr: sender.replace(/^\+/, ''), ...addressing.numeric };
  return { addr: sender, ...addressing.alphanumeric };
}

export const recipientRule =
  'must be an international number: 7-15 digits with the country code, optional leading "+", no spaces';

export function isInternationalNumber(to: string): boolean {
  return internationalNumber.test(to);
}

/** The `destination_addr`: always TON 1 / NPI 1, without the `+`. */
export function destinationAddress(to: string): SmppAddress {
  return { addr: to.replace(/^\+/, ''), ...DESTINATION };
}
