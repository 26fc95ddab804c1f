// The SMSC profile for `SmscSimulator` (`@tidings/transport-smpp/simulator`): tests, demos, `tidings simulate --profile smsc`.

export type { SmscHlrResult } from '../hlr-result.js';
export { type SmscSimulatorProfileOptions, smscSimulatorProfile } from './smsc-simulator-profile.js';
