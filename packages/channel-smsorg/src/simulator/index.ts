export { type SmsorgSimulatorOptions, smsorgSimulatorProfile } from './smsorg-profile.js';
