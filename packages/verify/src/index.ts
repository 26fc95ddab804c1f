export type { CheckResult, CheckStatus } from './check-result.js';
export { createVerifier } from './create-verifier.js';
export { InMemoryVerificationStore, type InMemoryVerificationStoreOptions } from './in-memory-verification-store.js';
export type {
  VerificationApprovedEvent,
  VerificationCancelledEvent,
  VerificationDeliveredEvent,
  VerificationDeliveryFailedEvent,
  VerificationEvent,
  VerificationEventType,
  VerificationExpiredEvent,
  VerificationFallbackEvent,
  VerificationMaxAttemptsEvent,
  VerificationSentEvent,
  VerificationStartedEvent,
  VerificationWrongCodeEvent,
} from './verification-events.js';
export type {
  FinalVerificationStatus,
  StoredCode,
  VerificationRecord,
  VerificationStatus,
} from './verification-record.js';
export type {
  AddCodeResult,
  CountWrongResult,
  CreateVerificationResult,
  NewCode,
  SendLimit,
  StartLimit,
  TakeAttemptResult,
  VerificationStore,
} from './verification-store.js';
export {
  type CheckTarget,
  type ResendRequest,
  type SentCode,
  type StartRequest,
  type VerificationView,
  Verifier,
} from './verifier.js';
export {
  type ResolvedVerifierOptions,
  type VerifierOptions,
  type VerifierServices,
  verifierOptionsSchema,
} from './verifier-options.js';
export { VerifyErrorCode } from './verify-error-code.js';
export { verifyModule } from './verify-module.js';
export { type CodeSender, VERIFY_TOKENS } from './verify-tokens.js';
