export { TelegramChannel } from './telegram-channel.js';
export type { TelegramMessage } from './telegram-message.js';
export {
  type ResolvedTelegramOptions,
  type TelegramOptions,
  type TelegramTlsOptions,
  telegramOptionsSchema,
} from './telegram-options.js';
export { telegramChannel } from './telegram-plugin.js';
export { type TelegramStatusInfo, telegramStatuses, telegramStatusTable } from './telegram-statuses.js';
