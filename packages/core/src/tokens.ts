import type { ServiceIdentifier } from 'inversify';
import type { Channel } from './channel.js';
import type { Clock } from './clock.js';
import type { Cluster } from './cluster.js';
import type { Logger } from './logger.js';
import type { MessageStore } from './message-store.js';

/**
 * Dependency-injection tokens. Every injected constructor parameter names one with
 * `@inject(TOKEN)`; Tidings never relies on emitted decorator metadata.
 */
export const TOKENS = {
  /** Bound by each plugin in its own container: the channel instance. */
  Channel: Symbol.for('tidings.Channel') as ServiceIdentifier<Channel>,
  /** Bound for each plugin: the instance name hosts use in `send`. */
  ChannelName: Symbol.for('tidings.ChannelName') as ServiceIdentifier<string>,
  /** Bound for each plugin: its validated options. */
  ChannelOptions: Symbol.for('tidings.ChannelOptions') as ServiceIdentifier<unknown>,
  /** Shared by all plugins. */
  Clock: Symbol.for('tidings.Clock') as ServiceIdentifier<Clock>,
  Logger: Symbol.for('tidings.Logger') as ServiceIdentifier<Logger>,
  MessageStore: Symbol.for('tidings.MessageStore') as ServiceIdentifier<MessageStore>,
  /** Optional: hooks for running several processes as one (see {@link Cluster}). */
  Cluster: Symbol.for('tidings.Cluster') as ServiceIdentifier<Cluster>,
} as const;
