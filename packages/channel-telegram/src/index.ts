export { codePlaceholder } from './code-text.js';
export { maxLifetimeSeconds, minLifetimeSeconds } from './lifetime.js';
export { ptagTlv } from './ptag.js';
export { maxRecipientLength } from './recipient.js';
export { TelegramChannel } from './telegram-channel.js';
export type { TelegramMessage } from './telegram-message.js';
export {
  type ResolvedTelegramOptions,
  type TelegramOptions,
  type TelegramTlsOptions,
  telegramOptionsSchema,
} from './telegram-options.js';
export { telegramChannel } from './telegram-plugin.js';
export {
  defaultPauseMs,
  maxQueueFullInARow,
  type TelegramStatusInfo,
  telegramStatuses,
  telegramStatusTable,
} from './telegram-statuses.js';
export { maxPayloadOctets, maxShortMessageOctets, maxTextCharacters } from './text-limits.js';
