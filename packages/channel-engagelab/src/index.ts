export type { EngageLabDataCoding } from './engagelab-body.js';
export { EngageLabChannel } from './engagelab-channel.js';
export {
  ENGAGELAB_SERVICE_TYPES,
  type EngageLabCodeMessage,
  type EngageLabMessage,
  type EngageLabServiceType,
  type EngageLabTemplateMessage,
} from './engagelab-message.js';
export {
  ENGAGELAB_DEFAULT_HOST,
  type EngageLabChannelOptions,
  engagelabOptionsSchema,
  type ResolvedEngageLabOptions,
} from './engagelab-options.js';
export { engagelabChannel } from './engagelab-plugin.js';
export { engagelabRecipient } from './engagelab-recipient.js';
export { EngageLabStatus, engagelabStatusTable } from './engagelab-status-table.js';
