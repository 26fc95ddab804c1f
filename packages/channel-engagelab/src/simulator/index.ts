export { type EngageLabSimulatorProfileOptions, engagelabSimulatorProfile } from './engagelab-profile.js';
