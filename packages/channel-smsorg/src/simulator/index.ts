export { type SmsorgSimulatorProfileOptions, smsorgSimulatorProfile } from './smsorg-profile.js';
