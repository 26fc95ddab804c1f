export type {
  Cancellation,
  Channel,
  ChannelCapabilities,
  ChannelState,
  ChannelStatus,
  MessageKind,
  SendContext,
  SubmitResult,
} from './channel.js';
export { type Clock, systemClock, type Timer } from './clock.js';
export type { AdoptedMessage, Cluster, ClusterLink, ForwardedReport } from './cluster.js';
export { ErrorCode, TidingsError, type TidingsErrorOptions } from './errors.js';
export {
  type AcceptedEvent,
  type DeliveredEvent,
  type ExpiredEvent,
  type FailedEvent,
  type FallbackEvent,
  isSuccessEvent,
  isTerminalEvent,
  type MessageEvent,
  type MessageEventType,
  type QueuedEvent,
  type RejectedEvent,
  type RetryingEvent,
  type SubmittedEvent,
  type TerminalEvent,
  type UndeliveredEvent,
} from './events.js';
export { consoleLogger, type LogFields, type Logger, type LogLevel, silentLogger } from './logger.js';
export { InMemoryMessageStore, type InMemoryMessageStoreOptions } from './memory-store.js';
export {
  type ChannelReport,
  type DeliveryReport,
  type DeliveryState,
  type InboundMessage,
  isFinalDeliveryState,
  type MessageBase,
  type TemplateRef,
} from './message.js';
export type { MessageHandle } from './message-handle.js';
export type { CreateResult, MessageRecord, MessageRecordPatch, MessageStore } from './message-store.js';
export { codePlaceholder, validateMessageBase, withCodeInText } from './message-validation.js';
export { redactSecrets, validateOptions } from './options.js';
export {
  type ChannelClass,
  type ChannelPlugin,
  type DefineChannelPluginInput,
  defineChannelPlugin,
  type MessageOf,
} from './plugin.js';
export type { ChannelMap, ChannelRegistry, ChannelsOf, MessageFor, RegisteredChannels } from './registry.js';
export { RetryDecision } from './retry-decision.js';
export { backoffDelay, defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';
export {
  type AmbiguousOutcomePolicy,
  type ChannelSettings,
  defaultChannelSettings,
  type ResolvedChannelSettings,
  resolveChannelSettings,
} from './settings.js';
export {
  type ChannelStateView,
  createTidings,
  type SendOptions,
  type StopOptions,
  type Tidings,
  type TidingsOptions,
} from './tidings.js';
export { TOKENS } from './tokens.js';
export type { RequestOptions, Transport, TransportState, TransportStatus } from './transport.js';
