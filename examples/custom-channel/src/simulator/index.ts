export { type AcmeSimulatorProfileOptions, acmeSimulatorProfile } from './acme-simulator-profile.js';
