import { randomUUID } from 'node:crypto';
import {
  type Channel,
  type ChannelPlugin,
  ErrorCode,
  type LogFields,
  type Logger,
  type MessageEvent,
  silentLogger,
  TidingsError,
  TOKENS,
  validateOptions,
} from '@tidings/core';
import { Container, ContainerModule } from 'inversify';
import { Redis } from 'ioredis';
import type { Observable } from 'rxjs';
import { EventReaders, readEvents } from './event-reader.js';
import { HandOff } from './hand-off.js';
import { RedisKeys } from './keys.js';
import { Lease } from './lease.js';
import { LeasedChannel } from './leased-channel.js';
import { type RedisScaleOutOptions, redisScaleOutOptionsSchema } from './options.js';
import { RedisCluster } from './redis-cluster.js';
import { RedisMessageStore } from './redis-message-store.js';
import { withScripts } from './scripts.js';

export interface WatchOptions {
  /** Replay the message's events from its first (default), or only what happens from now on. */
  readonly fromStart?: boolean;
}

export interface LeaseOptions {
  /**
   * Binds of this channel allowed across every process (the provider's connections per login,
   * e.g. SMSC's `MCONn`): that many processes hold a lease and bind, with the channel's own
   * `binds` each; the others hand their messages to them.
   */
  readonly leases: number;
  /** How long a process without a lease waits for a holder to answer a submit. Default 30 000 ms. */
  readonly handOffTimeoutMs?: number;
}

export interface EventsOptions {
  /** `now` (default): what happens from now on; `start`: every event still retained first. */
  readonly from?: 'start' | 'now';
}

/** Tidings on Redis: load `module` into `createTidings`, close after `tidings.stop()`. */
export interface RedisScaleOut {
  /** Binds the shared message store and the cluster hooks; give it to `createTidings({ modules })`. */
  readonly module: ContainerModule;
  readonly store: RedisMessageStore;
  /** This process' name in Redis. */
  readonly instanceId: string;
  /**
   * One message's events, from any process, replayed from its first while retained; completes
   * after its terminal event. Resumes watching a message after a restart.
   */
  watch(messageId: string, options?: WatchOptions): Observable<MessageEvent>;
  /**
   * The plugin, bound only while this process holds one of `leases` leases; without one its
   * messages go through the holders. Load it in every process instead of the plain plugin.
   */
  leased<const TPlugin extends ChannelPlugin>(plugin: TPlugin, options: LeaseOptions): TPlugin;
  /** Every event of every process (never completes: unsubscribe). */
  events$(options?: EventsOptions): Observable<MessageEvent>;
  /**
   * Stops the heartbeat and the readers (open `watch` and `events$` subscriptions complete), waits
   * for unanswered writes, closes every connection it opened.
   */
  close(): Promise<void>;
}

/**
 * Runs Tidings on Redis, across processes: message state, correlation and idempotency keys in
 * Redis with TTLs; every event on Redis Streams; receipts handed to the process that sent the
 * message; dead processes' messages taken over; a submit rate shared by every process.
 *
 * @example
 * const redis = redisScaleOut({ url: 'redis://127.0.0.1:6379', rates: { smsc: 30 } });
 * const tidings = await createTidings({ plugins: [smscChannel({...})], modules: [redis.module] });
 * // …
 * await tidings.stop();
 * await redis.close();
 */
export function redisScaleOut(options: RedisScaleOutOptions = {}): RedisScaleOut {
  const resolved = validateOptions(redisScaleOutOptionsSchema, options, 'redisScaleOut');
  const keys = new RedisKeys(resolved.namespace ?? 'tidings');
  const instanceId = resolved.instanceId ?? randomUUID();
  const retentionMs = resolved.retentionMs ?? 60 * 60 * 1000;
  const pendingTtlMs = resolved.pendingTtlMs ?? 3 * 24 * 60 * 60 * 1000;
  const heartbeatMs = resolved.heartbeatMs ?? 1_000;
  const deadAfterMs = resolved.deadAfterMs ?? 10_000;
  const logger = new LoggerHolder();
  // One connection for every command: auto-pipelining batches what one tick of the runtime writes.
  const redis = withScripts(new Redis(resolved.url ?? 'redis://127.0.0.1:6379', { enableAutoPipelining: true }));
  // The URL may hold a password: only the message is logged.
  redis.on('error', (error: Error) => logger.error('redis connection error', { error: error.message }));
  const store = new RedisMessageStore({
    redis,
    namespace: keys.namespace,
    retentionMs,
    pendingTtlMs,
    owner: instanceId,
  });
  const cluster = new RedisCluster(
    redis,
    keys,
    store,
    {
      instanceId,
      retentionMs,
      pendingTtlMs,
      eventRetentionMs: resolved.eventRetentionMs ?? 60 * 60 * 1000,
      rates: resolved.rates ?? {},
      heartbeatMs,
      deadAfterMs,
    },
    logger,
  );
  let closing: Promise<void> | undefined;
  // The connections of watch and events$ subscribers: closed with the rest.
  const readers = new EventReaders();

  const leased = <const TPlugin extends ChannelPlugin>(plugin: TPlugin, leaseOptions: LeaseOptions): TPlugin => {
    const leases = leaseOptions?.leases;
    if (!(Number.isInteger(leases) && leases >= 1 && leases <= 1000)) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `redisScaleOut.leased("${plugin.name}"): leases must be an integer from 1 to 1000`,
        {
          details: { option: 'leases' },
        },
      );
    }
    const handOffTimeoutMs = leaseOptions.handOffTimeoutMs ?? 30_000;
    if (!(Number.isInteger(handOffTimeoutMs) && handOffTimeoutMs > 0)) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `redisScaleOut.leased("${plugin.name}"): handOffTimeoutMs must be a positive integer`,
        {
          details: { option: 'handOffTimeoutMs' },
        },
      );
    }
    cluster.gatedAtBind.add(plugin.name);
    const leasedModule = new ContainerModule(({ bind }) => {
      bind(TOKENS.Channel)
        .toDynamicValue((context) => {
          const clock = context.get(TOKENS.Clock);
          // Bound by the runtime; not by a test kit that only builds the channel (resolveChannel).
          const store = context.get(TOKENS.MessageStore, { optional: true });
          // A fresh instance per lease taken: a stopped channel is never started again.
          const create = (): Channel => {
            const scope = new Container();
            scope.bind(TOKENS.Clock).toConstantValue(clock);
            scope.bind(TOKENS.Logger).toConstantValue(logger);
            if (store !== undefined) scope.bind(TOKENS.MessageStore).toConstantValue(store);
            scope.load(plugin.module);
            return scope.get(TOKENS.Channel);
          };
          return new LeasedChannel(
            create,
            new Lease(redis, keys.leases(plugin.name), leases, instanceId, deadAfterMs),
            new HandOff(
              redis,
              keys.handOff(plugin.name),
              keys.handOffReplies(plugin.name),
              instanceId,
              async (other) => (await redis.exists(keys.alive(other))) === 1,
              logger,
            ),
            {
              refreshMs: heartbeatMs,
              handOffTimeoutMs,
              serveConcurrency: 200,
              claimIdleMs: deadAfterMs,
              gate: () => cluster.reserve(plugin.name),
            },
            logger,
          );
        })
        .inSingletonScope();
    });
    return Object.freeze({ ...plugin, module: leasedModule });
  };

  const module = new ContainerModule(({ bind }) => {
    bind(TOKENS.MessageStore).toConstantValue(store);
    bind(TOKENS.Cluster)
      .toDynamicValue((context) => {
        logger.target = context.get(TOKENS.Logger);
        return cluster;
      })
      .inSingletonScope();
  });

  return {
    module,
    store,
    instanceId,
    leased,
    watch: (messageId, watchOptions = {}) =>
      readEvents(
        redis,
        readers,
        keys.messageEvents(messageId),
        watchOptions.fromStart === false ? 'now' : 'start',
        (event) => event.terminal,
      ),
    events$: (eventsOptions = {}) => readEvents(redis, readers, keys.events, eventsOptions.from ?? 'now'),
    close: () => {
      closing ??= (async () => {
        readers.closeAll();
        await cluster.close();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}

/** The runtime's logger, known once the container resolves the cluster. */
class LoggerHolder implements Logger {
  target: Logger = silentLogger;
  debug(message: string, fields?: LogFields): void {
    this.target.debug(message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.target.info(message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.target.warn(message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.target.error(message, fields);
  }
}
