export { type TelegramGatewayProfileOptions, telegramGatewayProfile } from './telegram-gateway-profile.js';
