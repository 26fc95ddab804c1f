export type { EngageLabDataCoding } from './engagelab-body.js';
export { EngageLabChannel } from './engagelab-channel.js';
export type {
  EngageLabCodeMessage,
  EngageLabMessage,
  EngageLabServiceType,
  EngageLabTemplateMessage,
} from './engagelab-message.js';
export {
  type EngageLabOptions,
  type EngageLabTlsOptions,
  engagelabOptionsSchema,
  type ResolvedEngageLabOptions,
} from './engagelab-options.js';
export { engagelabChannel } from './engagelab-plugin.js';
export { engagelabRecipient } from './engagelab-recipient.js';
export { EngageLabStatus, engagelabStatusTable } from './engagelab-status-table.js';
