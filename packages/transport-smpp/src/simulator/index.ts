export {
  DEFAULT_GARBAGE,
  type FaultName,
  type FaultSwitch,
  type FlowControlFault,
  type SimulatorFaults,
} from './faults.js';
export type { MessageIdScheme, ReceiptIdFormat } from './message-ids.js';
export { MessageState, type ReceiptStat, type StoredMessage } from './message-ledger.js';
export type { MoMessage } from './mo-builder.js';
export type { PduFilter, PduOf, PduWaitQuery, ReceivedPdu, WaitOptions } from './pdu-recorder.js';
export type { ReceiptOptions, ReceiptTextVariant, SubmitRequest } from './receipt-builder.js';
export type { SimulatorEvent, SimulatorEventOf, SimulatorEventType } from './simulator-events.js';
export {
  DEFAULT_ACCOUNT,
  type SimulatorAccount,
  type SimulatorTls,
  type SmscSimulatorOptions,
} from './simulator-options.js';
export {
  type BindDecision,
  type BindRequest,
  defaultProfile,
  type ProfileContext,
  type QueryDecision,
  type SimulatorProfile,
  type SubmitDecision,
} from './simulator-profile.js';
export type { SimulatorSessionInfo, SimulatorSessionState } from './simulator-session.js';
export type { SimulatorStats } from './simulator-stats.js';
export {
  type ManualReceipt,
  type MoDelivery,
  type OutgoingPdu,
  type ProtocolErrorRecord,
  SmscSimulator,
} from './smsc-simulator.js';
