import 'reflect-metadata';
import { Container, type ContainerModule, type ServiceIdentifier } from 'inversify';
import {
  BehaviorSubject,
  combineLatest,
  distinctUntilChanged,
  map,
  type Observable,
  ReplaySubject,
  Subject,
  type Subscription,
  share,
  takeUntil,
} from 'rxjs';
import type { Channel, ChannelState, ChannelStatus, SubmitResult } from './channel.js';
import { type Clock, systemClock } from './clock.js';
import type { AdoptedMessage, Cluster, ClusterLink } from './cluster.js';
import { ErrorCode, TidingsError } from './errors.js';
import type { MessageEvent, TerminalEvent } from './events.js';
import { Attempt } from './internal/attempt.js';
import { ChannelLane, type LaneJob } from './internal/channel-lane.js';
import { correlationKey } from './internal/correlation-key.js';
import { DeadlineQueue } from './internal/deadline-queue.js';
import { EarlyReports } from './internal/early-reports.js';
import { Fanout } from './internal/fanout.js';
import { Flight, type FlightState } from './internal/flight.js';
import { randomUuid } from './internal/random-uuid.js';
import { resolvedVoid } from './internal/resolved.js';
import { planRetry } from './internal/retry-planner.js';
import { type Logger, silentLogger } from './logger.js';
import { InMemoryMessageStore } from './memory-store.js';
import {
  type ChannelReport,
  type DeliveryReport,
  type InboundMessage,
  isFinalDeliveryState,
  type MessageBase,
} from './message.js';
import type { MessageHandle } from './message-handle.js';
import type { MessageRecord, MessageStore } from './message-store.js';
import { validateMessageBase, withCodeInText } from './message-validation.js';
import type { ChannelPlugin } from './plugin.js';
import type { ChannelMap, ChannelsOf, MessageFor, RegisteredChannels } from './registry.js';
import { type ChannelSettings, type ResolvedChannelSettings, resolveChannelSettings } from './settings.js';
import { checkTidingsOptions } from './tidings-options-check.js';
import { TOKENS } from './tokens.js';

/** A channel's state as the runtime shows it: connection status plus the runtime's pause. */
export interface ChannelStateView {
  readonly channel: string;
  readonly status: ChannelStatus;
  /** True while the runtime holds this channel's queue (throttling, queue full). */
  readonly paused: boolean;
  readonly detail?: string;
}

export interface SendOptions {
  /**
   * With a fallback list: move on to the next channel when the current one has not delivered
   * within this many milliseconds of taking the message (no receipt in time).
   */
  readonly fallbackAfterMs?: number;
  /**
   * The message holds a secret (a one-time code): its body is kept only in this process's memory,
   * never handed to the message store or a cluster (such as `@tidings/store-redis`). The price: a
   * takeover after this process crashed cannot send it again, so it ends `failed` there with
   * `TIDINGS_CONNECTION_LOST` (`details.bodyNotKept`; `ambiguous` unless it was still queued).
   * Without a cluster nothing changes: the in-memory store never keeps bodies. Default false.
   */
  readonly sensitive?: boolean;
}

export interface StopOptions {
  /** How long in-flight messages may take to drain before they are ended. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /**
   * Also wait for delivery receipts of accepted messages (until the timeout). Default false:
   * messages still waiting for a receipt end with a `TIDINGS_SHUTDOWN` failure.
   */
  readonly waitForReceipts?: boolean;
}

/** The runtime a host holds: send, watch, stop. */
export interface Tidings<TChannels extends ChannelMap = RegisteredChannels> {
  /** Names of the loaded channel instances. */
  readonly channels: readonly (keyof TChannels & string)[];
  /**
   * Validates and queues a message on one channel, or on an ordered fallback list. Rejects with a
   * {@link TidingsError} before anything is sent when the message is invalid or the channel unknown.
   */
  send<const TName extends keyof TChannels & string>(
    channel: TName | readonly [TName, ...TName[]],
    message: MessageFor<TChannels, TName>,
    options?: SendOptions,
  ): Promise<MessageHandle>;
  /** Every event of every message (hot: no replay). Completes on stop. */
  readonly events$: Observable<MessageEvent>;
  /** Mobile-originated messages from every channel (hot). Completes on stop. */
  readonly inbound$: Observable<InboundMessage>;
  /**
   * Every delivery receipt every channel receives, matched to a message of this runtime or not —
   * another process's, or one sent before a restart (hot). For dashboards and `watch` tools;
   * a message's own outcome is in `events$`. Completes on stop.
   */
  readonly reports$: Observable<ChannelReport>;
  /** A channel's state: replays the current one, emits changes only, completes on stop. */
  state$(channel: keyof TChannels & string): Observable<ChannelStateView>;
  /**
   * Asks the channel's provider for a message's current state by the id the provider gave
   * (`accepted.providerMessageId`). Informational: it does not settle the message. Rejects with
   * `TIDINGS_UNSUPPORTED` when the channel cannot query, `TIDINGS_UNKNOWN_CHANNEL` when not loaded.
   */
  query(channel: keyof TChannels & string, providerMessageId: string): Promise<DeliveryReport>;
  /** Drains in-flight messages, ends the rest with a `failed` event, stops every channel. */
  stop(options?: StopOptions): Promise<void>;
}

export interface TidingsOptions<TPlugins extends readonly ChannelPlugin[]> {
  readonly plugins: TPlugins;
  /** Where message state lives. Default: an {@link InMemoryMessageStore}. */
  readonly store?: MessageStore;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Settings applied to every channel, under each plugin's own. */
  readonly defaults?: ChannelSettings;
  /** Per-instance overrides, over the plugin's settings. */
  readonly channelSettings?: { readonly [name: string]: ChannelSettings };
  /** Extra inversify modules loaded into the root container before the plugins (overrides, stores). */
  readonly modules?: readonly ContainerModule[];
  /**
   * How long a settled message's idempotency key still returns its handle. Default 1 hour; keep
   * the store's retention at least as long.
   */
  readonly idempotencyRetentionMs?: number;
  /** How message ids are made. Default: random UUIDs. */
  readonly generateId?: () => string;
}

/**
 * Builds the runtime: an inversify container with the shared services, one child container per
 * plugin, every channel started. Rejects with `TIDINGS_START_FAILED` naming each plugin that could
 * not start (the ones that did are stopped again).
 */
export async function createTidings<const TPlugins extends readonly ChannelPlugin[]>(
  options: TidingsOptions<TPlugins>,
): Promise<Tidings<ChannelsOf<TPlugins>>> {
  const plugins = checkTidingsOptions(options);

  const root = new Container();
  // Host modules first, so they may provide the shared services; explicit options win over them.
  for (const module of options.modules ?? []) root.load(module);
  provide(root, TOKENS.Clock, options.clock, () => systemClock);
  provide(root, TOKENS.Logger, options.logger, () => silentLogger);
  const ownsStore = options.store === undefined && !root.isBound(TOKENS.MessageStore);
  provide(root, TOKENS.MessageStore, options.store, () => new InMemoryMessageStore({ clock: root.get(TOKENS.Clock) }));
  const clock = root.get(TOKENS.Clock);

  const slots: ChannelSlot[] = [];
  for (const plugin of plugins) {
    const owner = `${plugin.kind} channel "${plugin.name}"`;
    const settings = resolveChannelSettings(
      owner,
      options.defaults,
      plugin.settings,
      options.channelSettings?.[plugin.name],
    );
    let channel: Channel;
    try {
      const scope = new Container({ parent: root });
      scope.load(plugin.module);
      channel = scope.get(TOKENS.Channel);
    } catch (cause) {
      throw new TidingsError(ErrorCode.StartFailed, `${owner} could not be created: ${describe(cause)}`, {
        channel: plugin.name,
        cause,
      });
    }
    slots.push({ name: plugin.name, kind: plugin.kind, channel, settings });
  }

  const cluster = root.isBound(TOKENS.Cluster) ? root.get(TOKENS.Cluster) : undefined;
  // Before anything starts: a cluster option naming a channel not loaded is a typo to report.
  cluster?.checkChannels?.(slots.map((slot) => slot.name));
  const runtime = new TidingsRuntime(
    slots,
    clock,
    root.get(TOKENS.Logger),
    root.get(TOKENS.MessageStore),
    ownsStore,
    options.generateId ?? randomUuid,
    options.idempotencyRetentionMs ?? 60 * 60 * 1000,
    cluster,
  );
  await runtime.start();
  return runtime as unknown as Tidings<ChannelsOf<TPlugins>>;
}

function provide<T>(container: Container, token: ServiceIdentifier<T>, given: T | undefined, fallback: () => T): void {
  if (given !== undefined) {
    if (container.isBound(token)) container.unbind(token);
    container.bind(token).toConstantValue(given);
  } else if (!container.isBound(token)) {
    container.bind(token).toConstantValue(fallback());
  }
}

interface ChannelSlot {
  readonly name: string;
  readonly kind: string;
  readonly channel: Channel;
  readonly settings: ResolvedChannelSettings;
}

interface LiveSlot extends ChannelSlot {
  readonly lane: ChannelLane;
  readonly paused$: BehaviorSubject<boolean>;
  readonly state$: Observable<ChannelStateView>;
  /** Submit timeouts of this channel's attempts (one delay per channel: a FIFO, one timer). */
  readonly submitDeadlines: DeadlineQueue<SendAttempt>;
  /** Receipt timeouts of this channel's accepted messages. */
  readonly receiptDeadlines: DeadlineQueue<Flight>;
  /** Provider id → the flight waiting for that receipt, on this channel. */
  readonly byProviderId: Map<string, Flight>;
  /** `[name]`, shared by the messages sent to this channel alone. */
  readonly names: readonly string[];
  /** What a long message's later parts wait at (a cluster's shared rate), if anything. */
  readonly partGate: (() => Promise<void> | undefined) | undefined;
}

type SendAttempt = Attempt<LiveSlot>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type EventInput = MessageEvent extends infer E
  ? E extends MessageEvent
    ? Omit<E, 'messageId' | 'channel' | 'attempt' | 'timestamp' | 'clientRef'>
    : never
  : never;

class TidingsRuntime implements Tidings<ChannelMap> {
  readonly channels: readonly string[];
  readonly #slots = new Map<string, LiveSlot>();
  /** Flights not settled yet: an intrusive list, newest first. */
  #liveFlights: Flight | undefined;
  #liveCount = 0;
  /** Idempotency keys → flights, kept while the store knows the key. */
  readonly #byKey = new Map<string, Flight>();
  readonly #early = new EarlyReports();
  /** Receipts that matched no flight when they came, to look at again after this turn. */
  #unmatched: { slot: LiveSlot; id: string; key: string; report: DeliveryReport }[] = [];
  readonly #events = new Fanout<MessageEvent>();
  readonly #inbound = new Subject<InboundMessage>();
  readonly #reports = new Subject<ChannelReport>();
  readonly #stopped$ = new ReplaySubject<void>(1);
  readonly #subscriptions: Subscription[] = [];
  /** Flights not yet handed over for good (queued, sending, waiting to retry). */
  #undrained = 0;
  #awaitingReceipt = 0;
  #drainWaiter: (() => void) | undefined;
  #status: 'created' | 'running' | 'stopping' | 'stopped' = 'created';
  #stopping: Promise<void> | undefined;
  readonly events$: Observable<MessageEvent>;
  readonly inbound$: Observable<InboundMessage>;
  readonly reports$: Observable<ChannelReport>;

  constructor(
    slots: readonly ChannelSlot[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly store: MessageStore,
    private readonly ownsStore: boolean,
    private readonly generateId: () => string,
    private readonly idempotencyRetentionMs: number,
    private readonly cluster: Cluster | undefined,
  ) {
    this.events$ = this.#events.observable;
    this.inbound$ = this.#inbound.asObservable();
    this.reports$ = this.#reports.asObservable();
    for (const slot of slots) {
      const paused$ = new BehaviorSubject(false);
      const lane = new ChannelLane(
        clock,
        slot.settings.maxInFlight,
        slot.settings.maxQueued,
        (paused) => {
          paused$.next(paused);
          this.logger.info(paused ? 'channel paused' : 'channel resumed', { channel: slot.name });
        },
        (error) => this.logger.error('internal error in a channel queue', { channel: slot.name, error }),
      );
      const state$ = combineLatest([slot.channel.state$, paused$]).pipe(
        map(([state, paused]): ChannelStateView => view(slot.name, state, paused)),
        distinctUntilChanged((a, b) => a.status === b.status && a.paused === b.paused && a.detail === b.detail),
        takeUntil(this.#stopped$),
        share({ connector: () => new ReplaySubject(1), resetOnRefCountZero: false, resetOnComplete: false }),
      );
      const live: LiveSlot = {
        ...slot,
        lane,
        paused$,
        state$,
        submitDeadlines: new DeadlineQueue(
          clock,
          slot.settings.submitTimeoutMs,
          (attempt) => this.#attemptTimedOut(attempt),
          false,
        ),
        receiptDeadlines: new DeadlineQueue(
          clock,
          slot.settings.receiptTimeoutMs,
          (flight) => this.#receiptTimedOut(flight),
          true,
        ),
        byProviderId: new Map(),
        names: Object.freeze([slot.name]),
        partGate: this.#partGate(slot.name),
      };
      this.#slots.set(slot.name, live);
    }
    this.channels = [...this.#slots.keys()];
  }

  async start(): Promise<void> {
    const slots = [...this.#slots.values()];
    for (const slot of slots) {
      this.#subscriptions.push(
        slot.channel.reports$.subscribe({
          next: (report) => {
            // Copied with its channel only when someone listens: receipts are on the hot path.
            if (this.#reports.observed) this.#reports.next({ ...report, channel: slot.name });
            this.#onReport(slot, report);
          },
          error: (error: unknown) => this.logger.error('receipt stream failed', { channel: slot.name, error }),
        }),
        slot.channel.inbound$.subscribe({
          next: (inbound) => this.#inbound.next({ ...inbound, channel: slot.name }),
          error: (error: unknown) => this.logger.error('inbound stream failed', { channel: slot.name, error }),
        }),
        // Keep each state stream hot so late subscribers get the current state.
        slot.state$.subscribe(),
      );
    }
    const results = await Promise.allSettled(slots.map((slot) => slot.channel.start()));
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ slot: slots[i] as LiveSlot, cause: result.reason as unknown }] : [],
    );
    if (failures.length > 0) {
      await Promise.allSettled(slots.map((slot) => slot.channel.stop()));
      this.#close();
      const lines = failures.map(({ slot, cause }) => `${slot.kind} channel "${slot.name}": ${describe(cause)}`);
      throw new TidingsError(ErrorCode.StartFailed, `could not start: ${lines.join('; ')}`, {
        ...(failures.length === 1 && failures[0] ? { channel: failures[0].slot.name } : {}),
        cause: failures.length === 1 ? failures[0]?.cause : new AggregateError(failures.map((f) => f.cause)),
        details: { channels: failures.map((f) => f.slot.name) },
      });
    }
    this.#status = 'running';
    this.cluster?.attach?.(this.#clusterLink);
  }

  readonly #clusterLink: ClusterLink = {
    applyReport: (channel, report) => {
      const slot = this.#slots.get(channel);
      const flight = slot?.byProviderId.get(String(report.providerMessageId));
      if (slot === undefined || flight === undefined) return false;
      this.#applyReport(flight, slot, String(report.providerMessageId), report);
      return true;
    },
    adopt: (messages) => {
      const live = new Set<string>();
      for (let flight = this.#liveFlights; flight; flight = flight.nextLive) live.add(flight.id);
      for (const adopted of messages) {
        if (live.has(adopted.record.id)) continue;
        live.add(adopted.record.id);
        try {
          this.#adopt(adopted);
        } catch (error) {
          this.logger.error('could not take a message over', { messageId: adopted.record.id, error });
        }
      }
    },
  };

  /** A message a dead process left unsettled: see {@link ClusterLink.adopt}. */
  #adopt({ record, message, providerMessageIds }: AdoptedMessage): void {
    if (this.#status !== 'running' || record.terminal) return;
    const index = Math.max(0, record.channels.indexOf(record.channel));
    // Sent with `sensitive: true`: the body stayed in the dead process. A stand-in keeps the
    // clientRef for the events; nothing is ever sent from it, so its list ends at the current
    // channel (a failed receipt ends it rather than falling back with the stand-in).
    const body = message ?? { to: '', ...(record.clientRef === undefined ? {} : { clientRef: record.clientRef }) };
    const channels = message === undefined ? record.channels.slice(0, index + 1) : record.channels;
    const flight = new Flight(record.id, body, channels, undefined);
    flight.channelIndex = index;
    flight.attempt = record.attempt;
    this.#addLive(flight);
    this.#undrained++;
    const slot = this.#slots.get(flight.channel);
    const ids = providerMessageIds ?? (record.providerMessageId === undefined ? [] : [record.providerMessageId]);
    // Waiting for a receipt needs no body: a message sent `sensitive` is followed too.
    if (slot !== undefined && record.status === 'accepted' && ids.length > 0) {
      flight.providerMessageId = record.providerMessageId ?? (ids[0] as string);
      this.#setState(flight, 'awaiting-receipt');
      flight.pendingParts = ids.length === 1 ? (ids[0] as string) : new Set(ids);
      flight.allPartKeys = ids;
      for (const id of ids) slot.byProviderId.set(id, flight);
      flight.receiptTimer = slot.receiptDeadlines.add(flight, this.clock.now());
      return;
    }
    // The provider has it, but the dead process died before recording its id: no receipt can be
    // matched, and sending it again would reach the phone twice.
    if (record.status === 'accepted' && ids.length === 0) {
      const error = new TidingsError(
        ErrorCode.ConnectionLost,
        'taken over from a stopped process after the provider accepted it, but no provider id was recorded: its outcome cannot be followed',
        { channel: flight.channel, ambiguous: true, details: { takenOver: true } },
      );
      this.#terminate(flight, error);
      return;
    }
    if (message === undefined) {
      const error = new TidingsError(
        ErrorCode.ConnectionLost,
        'taken over from a stopped process, but its content was kept only in that process (sent with sensitive: true): it cannot be sent again',
        {
          channel: flight.channel,
          ambiguous: record.status !== 'queued',
          details: { takenOver: true, bodyNotKept: true },
        },
      );
      this.#terminate(flight, error);
      return;
    }
    if (slot === undefined) {
      const error = new TidingsError(
        ErrorCode.UnknownChannel,
        `taken over from a stopped process, but channel "${flight.channel}" is not loaded here`,
        { channel: flight.channel, ambiguous: record.status !== 'queued' },
      );
      this.#terminate(flight, error);
      return;
    }
    if (record.status === 'submitted' && slot.settings.ambiguous === 'fail') {
      const error = new TidingsError(
        ErrorCode.ConnectionLost,
        'the process sending this message stopped after writing it: the provider may or may not have it',
        { channel: slot.name, ambiguous: true, details: { takenOver: true } },
      );
      this.#terminate(flight, error);
      return;
    }
    this.#enterChannel(flight);
  }

  state$(channel: string): Observable<ChannelStateView> {
    return this.#slot(channel).state$;
  }

  async query(channel: string, providerMessageId: string): Promise<DeliveryReport> {
    const slot = this.#slot(channel);
    if (typeof providerMessageId !== 'string' || providerMessageId === '') {
      throw new TidingsError(ErrorCode.InvalidMessage, 'query: providerMessageId must be a non-empty string', {
        channel,
        details: { field: 'providerMessageId' },
      });
    }
    if (this.#status !== 'running') {
      throw new TidingsError(ErrorCode.Shutdown, `query: the runtime is ${this.#status}`, { channel });
    }
    if (typeof slot.channel.query !== 'function') {
      throw new TidingsError(
        ErrorCode.Unsupported,
        `channel "${channel}" (${slot.kind}) cannot query message states: its provider offers no status query`,
        { channel },
      );
    }
    return slot.channel.query(providerMessageId);
  }

  async send(channel: string | readonly string[], message: MessageBase, options?: SendOptions): Promise<MessageHandle> {
    if (this.#status !== 'running') {
      throw new TidingsError(ErrorCode.Shutdown, `cannot send: the runtime is ${this.#status}`);
    }
    // One channel: its own frozen one-name list, kept by every message sent to it.
    const names: readonly string[] =
      typeof channel === 'string'
        ? (this.#slots.get(channel)?.names ?? [channel])
        : Array.isArray(channel)
          ? [...channel]
          : [];
    if (names.length === 0) {
      throw new TidingsError(ErrorCode.InvalidMessage, 'send: name a channel, or a non-empty list of channels');
    }
    if (names.length > 1 && new Set(names).size !== names.length) {
      throw new TidingsError(ErrorCode.InvalidMessage, `send: a channel is listed twice in ${JSON.stringify(names)}`);
    }
    const slots = names.length === 1 ? [this.#slot(names[0] as string)] : names.map((name) => this.#slot(name));
    try {
      validateMessageBase(message);
      // One rule for every channel: `{code}` in the text is the code (a fallback SMS reads right).
      message = withCodeInText(message);
    } catch (error) {
      // A JavaScript caller's message may throw from a getter: still a typed refusal.
      throw TidingsError.from(error, ErrorCode.InvalidMessage);
    }
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new TidingsError(
        ErrorCode.InvalidMessage,
        'send: options must be an object, e.g. { fallbackAfterMs: 30000 }',
      );
    }
    if (options?.sensitive !== undefined && typeof options.sensitive !== 'boolean') {
      throw new TidingsError(ErrorCode.InvalidMessage, 'send: sensitive must be true or false');
    }
    const fallbackAfterMs = options?.fallbackAfterMs;
    if (fallbackAfterMs !== undefined && !(Number.isFinite(fallbackAfterMs) && fallbackAfterMs > 0)) {
      throw new TidingsError(
        ErrorCode.InvalidMessage,
        `send: fallbackAfterMs must be a positive number of milliseconds`,
      );
    }
    for (const slot of slots) {
      try {
        slot.channel.validate(message);
      } catch (error) {
        const typed = TidingsError.from(error, ErrorCode.InvalidMessage);
        throw typed.channel ? typed : typed.with({ channel: slot.name });
      }
    }

    const key = message.idempotencyKey;
    if (key !== undefined) {
      const known = this.#byKey.get(key);
      if (known) return known.handle;
    }
    const first = slots[0] as LiveSlot;
    if (first.lane.full) {
      throw new TidingsError(
        ErrorCode.QueueFull,
        `channel "${first.name}" already has ${first.settings.maxQueued} messages waiting; try again later`,
        { channel: first.name, retry: { kind: 'retry', afterMs: 1000 } },
      );
    }

    const id = this.generateId();
    const flight = new Flight(id, message, names, fallbackAfterMs);
    if (key !== undefined) this.#byKey.set(key, flight);
    const now = this.clock.now();
    const record: Mutable<MessageRecord> = {
      id,
      channels: names,
      channel: first.name,
      status: 'queued',
      attempt: 0,
      terminal: false,
      createdAt: now,
      updatedAt: now,
    };
    if (key !== undefined) record.idempotencyKey = key;
    if (message.clientRef !== undefined) record.clientRef = message.clientRef;
    // Only a shared store needs the message (to let another process take it over); a sensitive
    // one (a code) stays in this process's memory only.
    if (this.cluster !== undefined && options?.sensitive !== true) record.message = message;
    let created: Awaited<ReturnType<MessageStore['create']>>;
    try {
      created = await this.store.create(record);
    } catch (cause) {
      if (key !== undefined) this.#byKey.delete(key);
      throw new TidingsError(ErrorCode.Internal, `the message store failed: ${describe(cause)}`, { cause });
    }
    if (!created.created) {
      if (key !== undefined) this.#byKey.delete(key);
      throw new TidingsError(
        ErrorCode.Duplicate,
        `idempotency key ${JSON.stringify(key)} belongs to message ${created.existingId}, which this process no longer tracks`,
        { details: { messageId: created.existingId } },
      );
    }
    this.#addLive(flight);
    this.#undrained++;
    // Stopped while the store answered: end it at once rather than send during shutdown.
    if (this.#status !== 'running') this.#terminate(flight, shutdownError(flight));
    else this.#enterChannel(flight);
    return flight.handle;
  }

  stop(options: StopOptions = {}): Promise<void> {
    this.#stopping ??= this.#stop(options);
    return this.#stopping;
  }

  // ─── lifecycle of one message ──────────────────────────────────────────────────────────────

  #enterChannel(flight: Flight): void {
    const slot = this.#slot(flight.channel);
    flight.sends = 0;
    flight.pauses = 0;
    this.#setState(flight, 'queued');
    this.#emit(flight, { type: 'queued', terminal: false });
    if (flight.fallbackAfterMs !== undefined && flight.hasNextChannel) {
      const token = flight.channelIndex;
      flight.fallbackTimer = this.clock.setTimeout(() => {
        flight.fallbackTimer = undefined;
        if (flight.done || flight.channelIndex !== token) return;
        const error = new TidingsError(
          ErrorCode.ReceiptTimeout,
          `not delivered within ${flight.fallbackAfterMs} ms on channel "${slot.name}"`,
          { channel: slot.name, ambiguous: flight.state === 'sending' || flight.state === 'awaiting-receipt' },
        );
        this.#giveUpOnChannel(flight, 'failed', error);
      }, flight.fallbackAfterMs);
    }
    slot.lane.enqueue(this.#job(flight, slot));
  }

  /** The cluster's shared rate for the parts after a long message's first; a failure is logged, not thrown. */
  #partGate(channel: string): (() => Promise<void> | undefined) | undefined {
    const cluster = this.cluster;
    if (cluster?.beforeSubmit === undefined) return undefined;
    return () =>
      cluster.beforeSubmit?.(channel)?.catch((error: unknown) => {
        this.logger.error('cluster rate gate failed; submitting anyway', { channel, error });
      });
  }

  #job(flight: Flight, slot: LiveSlot): LaneJob {
    const token = ++flight.token;
    return {
      run: (release) => {
        if (flight.done || flight.token !== token) {
          release();
          return;
        }
        const gate = this.cluster?.beforeSubmit?.(slot.name);
        if (gate === undefined) {
          this.#attempt(flight, slot, token, release);
          return;
        }
        // A shared rate: the lane slot stays taken while waiting, so waiting is bounded too.
        const go = (): void => {
          if (flight.done || flight.token !== token) release();
          else this.#attempt(flight, slot, token, release);
        };
        gate.then(go, (error: unknown) => {
          this.logger.error('cluster rate gate failed; submitting anyway', { channel: slot.name, error });
          go();
        });
      },
    };
  }

  /**
   * Hands the message to the channel. Plain callbacks rather than an async function and a
   * promise wrapper: this runs once per message. The attempt ends exactly once, whichever comes
   * first: the channel's answer, the submit timeout, or a cancel (fallback, shutdown).
   */
  #attempt(flight: Flight, slot: LiveSlot, token: number, release: () => void): void {
    let attempt: SendAttempt | undefined;
    try {
      flight.attempt++;
      this.#setState(flight, 'sending');
      const now = this.clock.now();
      this.#emit(flight, { type: 'submitted', terminal: false }, now);
      attempt = new Attempt(flight, slot, token, release);
      attempt.beforeNextPart = slot.partGate;
      flight.current = attempt;
      attempt.deadline = slot.submitDeadlines.add(attempt, now);
      const sent = attempt;
      Promise.resolve(slot.channel.send(flight.message, attempt)).then(
        (result) => this.#attemptAnswered(sent, result),
        (error: unknown) => this.#attemptFailed(sent, error),
      );
    } catch (error) {
      // A channel that throws instead of rejecting fails the attempt like a rejection would: on
      // a later microtask, not inside the lane's dispatch.
      const failed = attempt;
      if (failed && !failed.closed) queueMicrotask(() => this.#attemptFailed(failed, error));
      else this.#internalError(flight, release, error);
    }
  }

  /** Ends an attempt; false when it had already ended (a late answer, ignored). */
  #closeAttempt(attempt: SendAttempt): boolean {
    if (attempt.closed) return false;
    attempt.closed = true;
    attempt.deadline?.cancel();
    attempt.deadline = undefined;
    if (attempt.flight.current === attempt) attempt.flight.current = undefined;
    return true;
  }

  #attemptAnswered(attempt: SendAttempt, result: SubmitResult): void {
    if (!this.#closeAttempt(attempt)) return;
    const { flight, slot } = attempt;
    try {
      if (!flight.done && flight.token === attempt.token) this.#onAccepted(flight, slot, result);
    } catch (error) {
      this.#internalError(flight, attempt.release, error);
      return;
    }
    attempt.release();
  }

  #attemptFailed(attempt: SendAttempt, error: unknown): void {
    if (!this.#closeAttempt(attempt)) return;
    const { flight, slot } = attempt;
    try {
      if (!flight.done && flight.token === attempt.token)
        this.#onSendError(flight, slot, toSendError(error, slot.name));
    } catch (internal) {
      this.#internalError(flight, attempt.release, internal);
      return;
    }
    attempt.release();
  }

  /** Ends an attempt the runtime gives up on: aborts its signal, its late answer is ignored. */
  #cancelAttempt(attempt: SendAttempt, reason: TidingsError): void {
    if (attempt.closed) return;
    attempt.abort(reason);
    // Handled on a later microtask, as a rejection would be: never inside the caller's own
    // bookkeeping (a freed lane slot starts the next message).
    queueMicrotask(() => this.#attemptFailed(attempt, reason));
  }

  #attemptTimedOut(attempt: SendAttempt): void {
    attempt.deadline = undefined;
    const { slot } = attempt;
    this.#cancelAttempt(
      attempt,
      new TidingsError(
        ErrorCode.Timeout,
        `no answer from channel "${slot.name}" within ${slot.settings.submitTimeoutMs} ms`,
        {
          channel: slot.name,
          ambiguous: true,
          retry: { kind: 'retry' },
        },
      ),
    );
  }

  #internalError(flight: Flight, release: () => void, error: unknown): void {
    release();
    this.logger.error('internal error while sending', { messageId: flight.id, error });
    if (!flight.done) this.#terminate(flight, TidingsError.from(error));
  }

  #onSendError(flight: Flight, slot: LiveSlot, error: TidingsError): void {
    if (error.retry.kind === 'pause') flight.pauses++;
    else flight.sends++;
    const plan = planRetry(error, { sends: flight.sends, pauses: flight.pauses }, slot.settings);
    switch (plan.action) {
      case 'retry': {
        this.#setState(flight, 'retry-wait');
        this.#emit(flight, { type: 'retrying', terminal: false, delayMs: plan.delayMs, channelPaused: false, error });
        const token = flight.token;
        flight.retryTimer = this.clock.setTimeout(() => {
          flight.retryTimer = undefined;
          if (flight.done || flight.token !== token) return;
          this.#setState(flight, 'queued');
          slot.lane.enqueue(this.#job(flight, slot), { front: true });
        }, plan.delayMs);
        return;
      }
      case 'pause': {
        slot.lane.pause(plan.pauseMs);
        this.#setState(flight, 'queued');
        this.#emit(flight, { type: 'retrying', terminal: false, delayMs: plan.pauseMs, channelPaused: true, error });
        slot.lane.enqueue(this.#job(flight, slot), { front: true });
        return;
      }
      case 'give-up':
        this.#giveUpOnChannel(flight, plan.error.code === ErrorCode.Rejected ? 'rejected' : 'failed', plan.error);
        return;
    }
  }

  #onAccepted(flight: Flight, slot: LiveSlot, result: SubmitResult): void {
    const providerMessageId = String(result.providerMessageId);
    const partIds = result.partIds && result.partIds.length > 0 ? [...new Set(result.partIds.map(String))] : undefined;
    const parts = result.parts ?? result.partIds?.length ?? 1;
    const receiptExpected = result.receiptExpected ?? slot.channel.capabilities.receipts;
    const now = this.clock.now();
    flight.providerMessageId = providerMessageId;
    this.#stored(
      this.store.update(flight.id, { status: 'accepted', providerMessageId, attempt: flight.attempt, updatedAt: now }),
      'update',
      flight.id,
    );

    if (!receiptExpected) {
      this.#finish(flight, { type: 'accepted', terminal: true, providerMessageId, parts }, now);
      return;
    }
    this.#setState(flight, 'awaiting-receipt');
    flight.failedPart = undefined;
    if (partIds === undefined || partIds.length === 1) {
      // One id for the whole message: no Set, no array of keys.
      const id = partIds?.[0] ?? providerMessageId;
      flight.pendingParts = id;
      flight.allPartKeys = [id];
      this.#correlate(flight, slot, id);
    } else {
      flight.pendingParts = new Set(partIds);
      flight.allPartKeys = partIds;
      for (const id of partIds) this.#correlate(flight, slot, id);
    }
    this.#emit(flight, { type: 'accepted', terminal: false, providerMessageId, parts }, now);
    flight.receiptTimer = slot.receiptDeadlines.add(flight, now);
    // Receipts that overtook the submit response.
    if (this.#early.size > 0) {
      for (const id of flight.allPartKeys) {
        for (const report of this.#early.take(correlationKey(slot.name, id)))
          this.#applyReport(flight, slot, id, report);
      }
    }
  }

  #correlate(flight: Flight, slot: LiveSlot, providerMessageId: string): void {
    slot.byProviderId.set(providerMessageId, flight);
    this.#stored(this.store.correlate(slot.name, providerMessageId, flight.id), 'correlate', flight.id);
  }

  #receiptTimedOut(flight: Flight): void {
    flight.receiptTimer = undefined;
    if (flight.done || flight.state !== 'awaiting-receipt') return;
    const slot = this.#slot(flight.channel);
    const error = new TidingsError(
      ErrorCode.ReceiptTimeout,
      `no delivery receipt within ${slot.settings.receiptTimeoutMs} ms for provider id ${flight.providerMessageId}`,
      { channel: slot.name },
    );
    this.#giveUpOnChannel(flight, 'failed', error);
  }

  /** Watches a store write; the in-memory store's writes are done already and need nothing. */
  #stored(write: Promise<void>, what: string, messageId: string): void {
    if (write === resolvedVoid) return;
    write.catch((error: unknown) => this.logger.error(`message store ${what} failed`, { messageId, error }));
  }

  #onReport(slot: LiveSlot, report: DeliveryReport): void {
    const id = String(report.providerMessageId);
    const flight = slot.byProviderId.get(id);
    if (flight) {
      this.#applyReport(flight, slot, id, report);
      return;
    }
    // Unknown here. Most often its submit response is still on its way up (the provider sent
    // both in one packet, and the response travels through promises): held at once, so the
    // response's arrival applies it without delay. What is still held once this turn of the
    // event loop is done goes to the store, which may know it as settled.
    if (this.#status === 'stopped') {
      this.#onUnknownReport(slot, id, report);
      return;
    }
    const key = correlationKey(slot.name, id);
    this.#early.hold(key, report, this.clock.now());
    this.#unmatched.push({ slot, id, key, report });
    if (this.#unmatched.length === 1) setImmediate(this.#recheckUnmatched);
  }

  readonly #recheckUnmatched = (): void => {
    const unmatched = this.#unmatched;
    this.#unmatched = [];
    for (const { slot, id, key, report } of unmatched) {
      if (this.#early.remove(key, report)) this.#onUnknownReport(slot, id, report);
    }
  };

  /** A receipt for a duplicate of a settled message, another process's message, or an early one. */
  #onUnknownReport(slot: LiveSlot, id: string, report: DeliveryReport): void {
    void this.store.resolve(slot.name, id).then(
      (messageId) => {
        const now = slot.byProviderId.get(id);
        if (now) {
          this.#applyReport(now, slot, id, report);
          return;
        }
        // Another process's message (or one it is about to correlate): hand it over.
        if (this.cluster?.forwardReport) this.cluster.forwardReport({ channel: slot.name, report, messageId });
        if (messageId === undefined && this.#status !== 'stopped')
          this.#early.hold(correlationKey(slot.name, id), report, this.clock.now());
        else if (!this.cluster?.forwardReport)
          this.logger.debug('receipt for a settled message ignored', { channel: slot.name, messageId });
      },
      (error: unknown) => this.logger.error('message store resolve failed', { channel: slot.name, error }),
    );
  }

  /** A receipt for part `id` (a provider id) of a flight waiting on this channel. */
  #applyReport(flight: Flight, slot: LiveSlot, id: string, report: DeliveryReport): void {
    if (flight.done || flight.state !== 'awaiting-receipt' || flight.channel !== slot.name) return;
    if (!isFinalDeliveryState(report.state)) return;
    const pending = flight.pendingParts;
    if (typeof pending === 'string') {
      if (pending !== id) return; // a duplicate receipt
      flight.pendingParts = '';
      if (report.state !== 'delivered') flight.failedPart ??= report;
    } else {
      if (!pending?.delete(id)) return; // a duplicate receipt for this part
      if (report.state !== 'delivered') flight.failedPart ??= report;
      if (pending.size > 0) return;
    }

    const providerMessageId = flight.providerMessageId ?? String(report.providerMessageId);
    const failed = flight.failedPart;
    if (!failed) {
      this.#finish(flight, { type: 'delivered', terminal: true, providerMessageId, report });
      return;
    }
    const expired = failed.state === 'expired';
    const error = new TidingsError(
      expired ? ErrorCode.Expired : ErrorCode.Undelivered,
      expired
        ? `the provider reports the message expired before delivery`
        : `the provider reports the message ${failed.state}${failed.errorCode === undefined ? '' : ` (error ${failed.errorCode})`}`,
      {
        channel: slot.name,
        ...(failed.errorCode === undefined ? {} : { providerStatus: failed.errorCode }),
        details: { providerMessageId, state: failed.state },
      },
    );
    this.#giveUpOnChannel(flight, expired ? 'expired' : 'undelivered', error, {
      providerMessageId,
      report: failed,
    });
  }

  /** The current channel is done with this message without success: fall back, or end it. */
  #giveUpOnChannel(
    flight: Flight,
    type: 'rejected' | 'failed' | 'undelivered' | 'expired',
    error: TidingsError,
    receipt?: { readonly providerMessageId: string; readonly report: DeliveryReport },
  ): void {
    const outcome = (terminal: boolean): EventInput =>
      type === 'undelivered' || type === 'expired'
        ? {
            type,
            terminal,
            error,
            providerMessageId: receipt?.providerMessageId ?? '',
            report: receipt?.report ?? { providerMessageId: '', state: 'unknown' },
          }
        : { type, terminal, error };
    if (!flight.hasNextChannel || this.#status === 'stopped') {
      this.#finish(flight, outcome(true));
      return;
    }
    this.#leaveChannel(flight);
    this.#emit(flight, outcome(false));
    const from = flight.channel;
    const to = flight.channels[flight.channelIndex + 1] as string;
    this.#emit(flight, { type: 'fallback', terminal: false, from, to, reason: error });
    flight.channelIndex++;
    this.logger.info('falling back to the next channel', { messageId: flight.id, from, to, code: error.code });
    this.#stored(this.store.update(flight.id, { channel: to, updatedAt: this.clock.now() }), 'update', flight.id);
    this.#enterChannel(flight);
  }

  /** Cancels everything tied to the current channel attempt. */
  #leaveChannel(flight: Flight): void {
    flight.token++;
    const attempt = flight.current;
    if (attempt) {
      flight.current = undefined;
      this.#cancelAttempt(attempt as SendAttempt, shutdownError(flight));
    }
    flight.retryTimer?.cancel();
    flight.retryTimer = undefined;
    flight.receiptTimer?.cancel();
    flight.receiptTimer = undefined;
    flight.fallbackTimer?.cancel();
    flight.fallbackTimer = undefined;
    if (flight.allPartKeys.length > 0) {
      const byProviderId = (this.#slots.get(flight.channel) as LiveSlot).byProviderId;
      for (const id of flight.allPartKeys) {
        if (byProviderId.get(id) === flight) byProviderId.delete(id);
      }
      flight.allPartKeys = noKeys;
    }
    flight.pendingParts = undefined;
  }

  #terminate(flight: Flight, error: TidingsError): void {
    this.#finish(flight, { type: 'failed', terminal: true, error });
  }

  #finish(flight: Flight, event: EventInput, now = this.clock.now()): void {
    if (flight.done) return;
    this.#leaveChannel(flight);
    this.#setState(flight, 'done');
    flight.settledAt = now;
    this.#removeLive(flight);
    this.#emit(flight, event, now);
    if (this.#handedOver.has(flight)) return;
    const last = flight.terminalEvent as TerminalEvent;
    this.#stored(
      this.store.update(flight.id, {
        status: last.type,
        terminal: true,
        attempt: flight.attempt,
        updatedAt: last.timestamp,
      }),
      'update',
      flight.id,
    );
    if (this.#byKey.size > 0) this.#forgetSettledKeys();
  }

  #addLive(flight: Flight): void {
    const head = this.#liveFlights;
    flight.nextLive = head;
    if (head) head.previousLive = flight;
    this.#liveFlights = flight;
    this.#liveCount++;
  }

  #removeLive(flight: Flight): void {
    const { previousLive, nextLive } = flight;
    if (previousLive) previousLive.nextLive = nextLive;
    else if (this.#liveFlights === flight) this.#liveFlights = nextLive;
    else return; // not in the list
    if (nextLive) nextLive.previousLive = previousLive;
    flight.previousLive = undefined;
    flight.nextLive = undefined;
    this.#liveCount--;
  }

  #emit(flight: Flight, input: EventInput, now = this.clock.now()): void {
    // Completes the fresh literal each call site passes, rather than spreading it into a copy:
    // this runs several times per message.
    const event = input as Mutable<MessageEvent>;
    event.messageId = flight.id;
    event.channel = flight.channel;
    event.attempt = flight.attempt;
    event.timestamp = now;
    const clientRef = flight.message.clientRef;
    if (clientRef !== undefined) event.clientRef = clientRef;
    flight.record(event);
    this.#events.next(event);
    if (!this.#handedOver.has(flight)) this.cluster?.publish?.(event);
  }

  /** Messages left to the other processes of the cluster at stop (see {@link Cluster.handOver}). */
  readonly #handedOver = new Set<Flight>();

  #setState(flight: Flight, next: FlightState): void {
    const before = flight.state;
    if (before === next) return;
    const wasUndrained = before !== 'awaiting-receipt' && before !== 'done';
    const isUndrained = next !== 'awaiting-receipt' && next !== 'done';
    this.#undrained += Number(isUndrained) - Number(wasUndrained);
    this.#awaitingReceipt += Number(next === 'awaiting-receipt') - Number(before === 'awaiting-receipt');
    flight.state = next;
    if (this.#drainWaiter) this.#drainWaiter();
  }

  /** Forgets idempotency keys of messages settled longer ago than the retention (oldest first). */
  #forgetSettledKeys(): void {
    const cutoff = this.clock.now() - this.idempotencyRetentionMs;
    for (const [key, flight] of this.#byKey) {
      if (flight.settledAt === undefined || flight.settledAt > cutoff) return;
      this.#byKey.delete(key);
    }
  }

  // ─── shutdown ───────────────────────────────────────────────────────────────────────────────

  async #stop(options: StopOptions): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    if (this.#status === 'created' || this.#status === 'stopped') {
      this.#status = 'stopped';
      this.#close();
      return;
    }
    this.#status = 'stopping';
    this.logger.info('stopping', { inFlight: this.#liveCount });
    const drained = (): boolean => this.#undrained === 0 && (!options.waitForReceipts || this.#awaitingReceipt === 0);
    if (!drained()) {
      await new Promise<void>((resolve) => {
        const timer = this.clock.setTimeout(finish, timeoutMs);
        function finish(): void {
          timer.cancel();
          resolve();
        }
        this.#drainWaiter = () => {
          if (drained()) finish();
        };
      });
      this.#drainWaiter = undefined;
    }
    this.#status = 'stopped';
    const live: Flight[] = [];
    for (let flight = this.#liveFlights; flight; flight = flight.nextLive) live.push(flight);
    // With a cluster that takes them, messages waiting for their receipt are left to the processes
    // still running: they end here only (no event published, no record settled).
    if (this.cluster?.handOver !== undefined) {
      for (const flight of live) {
        if (waitsForEveryReceipt(flight)) this.#handedOver.add(flight);
      }
    }
    for (const flight of live.reverse()) {
      this.#terminate(flight, shutdownError(flight, this.#handedOver.has(flight)));
    }
    if (this.#handedOver.size > 0) {
      const ids = [...this.#handedOver].map((flight) => flight.id);
      try {
        this.cluster?.handOver?.(ids);
      } catch (error) {
        this.logger.error('cluster: handing messages over failed', { error });
      }
    }
    for (const slot of this.#slots.values()) {
      slot.lane.takeQueued();
      slot.lane.dispose();
      slot.submitDeadlines.clear();
      slot.receiptDeadlines.clear();
    }
    const results = await Promise.allSettled([...this.#slots.values()].map((slot) => slot.channel.stop()));
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected') {
        this.logger.error('channel failed to stop cleanly', { channel: this.channels[i], error: result.reason });
      }
    }
    this.#close();
    if (this.ownsStore) await this.store.close?.();
  }

  #close(): void {
    this.#status = 'stopped';
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#stopped$.next();
    this.#stopped$.complete();
    for (const slot of this.#slots.values()) slot.paused$.complete();
    this.#early.clear();
    this.#events.complete();
    this.#inbound.complete();
    this.#reports.complete();
  }

  #slot(name: string): LiveSlot {
    const slot = typeof name === 'string' ? this.#slots.get(name) : undefined;
    if (!slot) {
      throw new TidingsError(
        ErrorCode.UnknownChannel,
        `unknown channel ${JSON.stringify(name)}; loaded channels: ${this.channels.map((c) => JSON.stringify(c)).join(', ')}`,
        { details: { channel: name } },
      );
    }
    return slot;
  }
}

const noKeys: readonly string[] = Object.freeze([]);

function view(channel: string, state: ChannelState, paused: boolean): ChannelStateView {
  return { channel, status: state.status, paused, ...(state.detail === undefined ? {} : { detail: state.detail }) };
}

/**
 * Accepted and no part's receipt in yet: another process can follow it from the store alone (it
 * knows the parts' ids, not which of them already had their receipt).
 */
function waitsForEveryReceipt(flight: Flight): boolean {
  if (flight.state !== 'awaiting-receipt' || flight.providerMessageId === undefined) return false;
  if (flight.failedPart !== undefined) return false;
  const pending = flight.pendingParts;
  return typeof pending === 'string'
    ? pending !== ''
    : pending !== undefined && pending.size === flight.allPartKeys.length;
}

function shutdownError(flight: Flight, handedOver = false): TidingsError {
  const accepted = flight.state === 'awaiting-receipt' && flight.providerMessageId !== undefined;
  return new TidingsError(
    ErrorCode.Shutdown,
    handedOver
      ? `stopped before a delivery receipt arrived (the provider accepted it as ${flight.providerMessageId}); left to another process of the cluster, which ends it`
      : accepted
        ? `stopped before a delivery receipt arrived (the provider accepted it as ${flight.providerMessageId})`
        : 'stopped before the message could be sent',
    {
      channel: flight.channel,
      ambiguous: flight.state === 'sending',
      details: handedOver ? { state: flight.state, handedOver: true } : { state: flight.state },
    },
  );
}

function toSendError(error: unknown, channel: string): TidingsError {
  const typed = TidingsError.from(error);
  return typed.channel ? typed : typed.with({ channel });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
