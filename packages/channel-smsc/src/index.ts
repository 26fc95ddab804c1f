/**
 * `@tidings/channel-smsc`: the plugin (`smscChannel`) and its options, the message shape and the
 * helpers for each kind (`smscMessage`), the status tables, and the receipt details (`smscReceipt`).
 * The simulator profile is at `@tidings/channel-smsc/simulator`.
 */
export {
  type SmscErrorInfo,
  type SmscErrorReason,
  type SmscMailErrorReason,
  smscErrorInfo,
  smscErrors,
  smscMailErrors,
} from './error-codes.js';
export type { SmscHlrResult } from './hlr-result.js';
export type { SmscMessage } from './message.js';
export { type SmscMessageCommon, smscMessage } from './message-helpers.js';
export { type SmscOptions, type SmscResolvedOptions, smscOptionsSchema } from './options.js';
export { type SmscReceiptDetails, smscReceipt } from './receipt-details.js';
export { type SmscRegion, type SmscRegionHosts, smscRegions } from './regions.js';
export { SmscChannel } from './smsc-channel.js';
export { smscChannel } from './smsc-channel-plugin.js';
export { SmscErrorCode } from './smsc-error-code.js';
export { smscStatusTable } from './status-table.js';
export { buildSystemType, type SmscSystemTypeFlags } from './system-type.js';
export {
  parseSmscText,
  type SmscContent,
  type SmscMessageKind,
  type SmscVoice,
  smscVoices,
} from './text-convention.js';
export {
  decodeSmscFlags,
  type SmscAdditionalStatus,
  type SmscFlags,
  type SmscMessageType,
  type SmscTemplateType,
  smscVendorTlvs,
} from './vendor-tlvs.js';
