// The public API of the channel, as a published `@acme/tidings-channel` would export it.
// The simulator profile lives at `./simulator/index.ts` (a `/simulator` subpath export).
export { AcmeChannel, acmeEncoding } from './acme-channel.js';
export type { AcmeMessage } from './acme-message.js';
export { type AcmeOptions, acmeOptionsSchema, type ResolvedAcmeOptions } from './acme-options.js';
export { acmeChannel } from './acme-plugin.js';
export { AcmeStatus, acmeReceiptErrors, acmeStatusTable } from './acme-statuses.js';
export { acmeCampaignTlv, acmePriceTlv, acmeTlvs } from './acme-tlvs.js';
