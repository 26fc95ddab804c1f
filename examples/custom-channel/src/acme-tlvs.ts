import type { TlvDefinition } from '@tidings/transport-smpp';

/**
 * `acme_campaign` (0x1520): the campaign a message is reported under in the Acme portal, a
 * C-Octet string. Sent on every part of a message that has one; echoed in its receipts.
 */
export const acmeCampaignTlv: TlvDefinition = Object.freeze({ tag: 0x1520, name: 'acme_campaign', type: 'cstring' });

/** `acme_price` (0x1521): what one delivered part cost, in millicents (1/1000 of a euro cent). Receipts only. */
export const acmePriceTlv: TlvDefinition = Object.freeze({ tag: 0x1521, name: 'acme_price', type: 'uint32' });

/** Acme's vendor TLVs: known to this channel's registry only, never process-wide. */
export const acmeTlvs: readonly TlvDefinition[] = Object.freeze([acmeCampaignTlv, acmePriceTlv]);

/** A campaign name as the page allows: 1 to 32 characters of `A-Z a-z 0-9 _ -`. */
const campaignFormat = /^[A-Za-z0-9_-]{1,32}$/;

export function isCampaign(value: unknown): value is string {
  return typeof value === 'string' && campaignFormat.test(value);
}
