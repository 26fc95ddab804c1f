export { type EngageLabSimulatorOptions, engagelabSimulatorProfile } from './engagelab-profile.js';
