import type { SmsorgMessage } from './smsorg-message.js';

export { SmsorgChannel } from './smsorg-channel.js';
export type { SmsorgMessage } from './smsorg-message.js';
export {
  type ResolvedSmsorgOptions,
  type SmsorgOptions,
  type SmsorgReceipts,
  type SmsorgTlsOptions,
  smsorgOptionsSchema,
} from './smsorg-options.js';
export { countSmsorgParts } from './smsorg-parts.js';
export { smsorgChannel } from './smsorg-plugin.js';
export { smsorgStatusTable } from './smsorg-status-table.js';

// `send('smsorg', message)` is checked against SmsorgMessage (the default instance name).
declare module '@tidings/core' {
  interface ChannelRegistry {
    smsorg: SmsorgMessage;
  }
}
