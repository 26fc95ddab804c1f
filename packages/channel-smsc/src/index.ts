/**
 * `@tidings/channel-smsc`: the plugin (`smscChannel`) and its options, the message shape and the
 * helpers for each kind (`smscMessage`), the status table, and the receipt details (`smscReceipt`).
 * The simulator profile (`smscSimulatorProfile`) is at `@tidings/channel-smsc/simulator`.
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
export { type ResolvedSmscOptions, type SmscOptions, smscOptionsSchema } from './options.js';
export { type SmscReceiptDetails, smscReceipt } from './receipt-details.js';
export { type SmscRegion, type SmscRegionHosts, smscRegions } from './regions.js';
export { SmscChannel } from './smsc-channel.js';
export { smscChannel } from './smsc-channel-plugin.js';
export { SmscErrorCode } from './smsc-error-code.js';
export { smscStatusTable } from './status-table.js';
export {
  parseSmscText,
  type SmscContent,
  type SmscMessageKind,
  type SmscVoice,
  smscVoices,
} from './text-convention.js';
// The receipt details' types; the TLV definitions and their decoders stay internal.
export type { SmscAdditionalStatus, SmscFlags, SmscMessageType, SmscTemplateType } from './vendor-tlvs.js';
