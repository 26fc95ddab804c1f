export { type TelegramSimulatorProfileOptions, telegramSimulatorProfile } from './telegram-simulator-profile.js';
