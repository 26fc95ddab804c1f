export type { TonNpi } from '../addresses.js';
export { type SmsorgSimulatorProfileOptions, smsorgSimulatorProfile } from './smsorg-profile.js';
