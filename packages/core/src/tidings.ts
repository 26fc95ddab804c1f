import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
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
import type { Channel, ChannelState, ChannelStatus, SendContext, SubmitResult } from './channel.js';
import { type Clock, systemClock } from './clock.js';
import { ErrorCode, TidingsError } from './errors.js';
import type { MessageEvent, TerminalEvent } from './events.js';
import { ChannelLane, type LaneJob } from './internal/channel-lane.js';
import { correlationKey } from './internal/correlation-key.js';
import { EarlyReports } from './internal/early-reports.js';
import { Flight, type FlightState } from './internal/flight.js';
import { planRetry } from './internal/retry-planner.js';
import { type Logger, silentLogger } from './logger.js';
import { InMemoryMessageStore } from './memory-store.js';
import { type DeliveryReport, type InboundMessage, isFinalDeliveryState, type MessageBase } from './message.js';
import type { MessageHandle } from './message-handle.js';
import type { MessageStore } from './message-store.js';
import { validateMessageBase, withCodeInText } from './message-validation.js';
import type { ChannelPlugin } from './plugin.js';
import type { ChannelMap, ChannelsOf, MessageFor, RegisteredChannels } from './registry.js';
import { type ChannelSettings, type ResolvedChannelSettings, resolveChannelSettings } from './settings.js';
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
  const plugins: readonly ChannelPlugin[] = options.plugins;
  if (!Array.isArray(plugins) || plugins.length === 0) {
    throw new TidingsError(ErrorCode.InvalidOptions, 'createTidings: "plugins" must list at least one channel plugin', {
      details: { option: 'plugins' },
    });
  }
  const seen = new Set<string>();
  for (const plugin of plugins) {
    if (seen.has(plugin.name)) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `createTidings: two plugins are named "${plugin.name}"; give each instance its own "name"`,
        { details: { option: 'plugins', channel: plugin.name } },
      );
    }
    seen.add(plugin.name);
  }

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

  const runtime = new TidingsRuntime(
    slots,
    clock,
    root.get(TOKENS.Logger),
    root.get(TOKENS.MessageStore),
    ownsStore,
    options.generateId ?? randomUUID,
    options.idempotencyRetentionMs ?? 60 * 60 * 1000,
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
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

type EventInput = MessageEvent extends infer E
  ? E extends MessageEvent
    ? Omit<E, 'messageId' | 'channel' | 'attempt' | 'timestamp' | 'clientRef'>
    : never
  : never;

class TidingsRuntime implements Tidings<ChannelMap> {
  readonly channels: readonly string[];
  readonly #slots = new Map<string, LiveSlot>();
  readonly #flights = new Map<string, Flight>();
  /** `channel \0 providerId` → the flight waiting for that receipt. */
  readonly #byProviderId = new Map<string, Flight>();
  /** Idempotency keys → flights, kept while the store knows the key. */
  readonly #byKey = new Map<string, Flight>();
  readonly #early = new EarlyReports();
  readonly #events = new Subject<MessageEvent>();
  readonly #inbound = new Subject<InboundMessage>();
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

  constructor(
    slots: readonly ChannelSlot[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly store: MessageStore,
    private readonly ownsStore: boolean,
    private readonly generateId: () => string,
    private readonly idempotencyRetentionMs: number,
  ) {
    this.events$ = this.#events.asObservable();
    this.inbound$ = this.#inbound.asObservable();
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
      this.#slots.set(slot.name, { ...slot, lane, paused$, state$ });
    }
    this.channels = [...this.#slots.keys()];
  }

  async start(): Promise<void> {
    const slots = [...this.#slots.values()];
    for (const slot of slots) {
      this.#subscriptions.push(
        slot.channel.reports$.subscribe({
          next: (report) => this.#onReport(slot, report),
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

  async send(
    channel: string | readonly string[],
    message: MessageBase,
    options: SendOptions = {},
  ): Promise<MessageHandle> {
    if (this.#status !== 'running') {
      throw new TidingsError(ErrorCode.Shutdown, `cannot send: the runtime is ${this.#status}`);
    }
    const names = typeof channel === 'string' ? [channel] : Array.isArray(channel) ? [...channel] : [];
    if (names.length === 0) {
      throw new TidingsError(ErrorCode.InvalidMessage, 'send: name a channel, or a non-empty list of channels');
    }
    if (new Set(names).size !== names.length) {
      throw new TidingsError(ErrorCode.InvalidMessage, `send: a channel is listed twice in ${JSON.stringify(names)}`);
    }
    const slots = names.map((name) => this.#slot(name));
    validateMessageBase(message);
    // One rule for every channel: `{code}` in the text is the code (a fallback SMS reads right).
    message = withCodeInText(message);
    const { fallbackAfterMs } = options;
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
    let created: Awaited<ReturnType<MessageStore['create']>>;
    try {
      created = await this.store.create({
        id,
        channels: names,
        channel: first.name,
        status: 'queued',
        attempt: 0,
        terminal: false,
        createdAt: now,
        updatedAt: now,
        ...(key === undefined ? {} : { idempotencyKey: key }),
        ...(message.clientRef === undefined ? {} : { clientRef: message.clientRef }),
      });
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
    this.#flights.set(id, flight);
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

  #job(flight: Flight, slot: LiveSlot): LaneJob {
    const token = ++flight.token;
    return {
      run: (done) => {
        if (flight.done || flight.token !== token) {
          done();
          return;
        }
        this.#attempt(flight, slot).then(done, (error: unknown) => {
          done();
          this.logger.error('internal error while sending', { messageId: flight.id, error });
          if (!flight.done) this.#terminate(flight, TidingsError.from(error));
        });
      },
    };
  }

  async #attempt(flight: Flight, slot: LiveSlot): Promise<void> {
    flight.attempt++;
    this.#setState(flight, 'sending');
    this.#emit(flight, { type: 'submitted', terminal: false });
    const token = flight.token;
    // The AbortController is made only if the channel reads `signal`: most never do, and it is
    // costly per message.
    let controller: AbortController | undefined;
    const context: SendContext = {
      messageId: flight.id,
      attempt: flight.attempt,
      get signal() {
        controller ??= new AbortController();
        return controller.signal;
      },
    };
    let cancel!: (reason: TidingsError) => void;
    const outcome = new Promise<SubmitResult>((resolve, reject) => {
      cancel = (reason) => {
        controller?.abort(reason);
        reject(reason);
      };
      // Not `resolve(promise)`: that would lock this promise to the channel's, and `cancel` could
      // no longer end it. A channel that throws instead of rejecting is caught by the executor.
      Promise.resolve(slot.channel.send(flight.message, context)).then(resolve, reject);
    });
    flight.cancelAttempt = cancel;
    const timeout = this.clock.setTimeout(() => {
      cancel(
        new TidingsError(
          ErrorCode.Timeout,
          `no answer from channel "${slot.name}" within ${slot.settings.submitTimeoutMs} ms`,
          { channel: slot.name, ambiguous: true, retry: { kind: 'retry' } },
        ),
      );
    }, slot.settings.submitTimeoutMs);
    let result: SubmitResult;
    try {
      result = await outcome;
    } catch (error) {
      if (flight.done || flight.token !== token) return;
      this.#onSendError(flight, slot, toSendError(error, slot.name));
      return;
    } finally {
      timeout.cancel();
      if (flight.cancelAttempt === cancel) flight.cancelAttempt = undefined;
    }
    if (flight.done || flight.token !== token) return;
    this.#onAccepted(flight, slot, result);
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
    const partIds =
      result.partIds && result.partIds.length > 0 ? [...new Set(result.partIds.map(String))] : [providerMessageId];
    const parts = result.parts ?? result.partIds?.length ?? 1;
    const receiptExpected = result.receiptExpected ?? slot.channel.capabilities.receipts;
    flight.providerMessageId = providerMessageId;
    void this.store
      .update(flight.id, {
        status: 'accepted',
        providerMessageId,
        attempt: flight.attempt,
        updatedAt: this.clock.now(),
      })
      .catch((error: unknown) => this.logger.error('message store update failed', { messageId: flight.id, error }));

    if (!receiptExpected) {
      this.#finish(flight, { type: 'accepted', terminal: true, providerMessageId, parts });
      return;
    }
    this.#setState(flight, 'awaiting-receipt');
    flight.pendingParts = new Set();
    flight.failedPart = undefined;
    flight.allPartKeys = partIds.map((id) => correlationKey(slot.name, id));
    for (const [i, key] of flight.allPartKeys.entries()) {
      flight.pendingParts.add(key);
      this.#byProviderId.set(key, flight);
      void this.store
        .correlate(slot.name, partIds[i] as string, flight.id)
        .catch((error: unknown) =>
          this.logger.error('message store correlate failed', { messageId: flight.id, error }),
        );
    }
    this.#emit(flight, { type: 'accepted', terminal: false, providerMessageId, parts });
    const token = flight.token;
    flight.receiptTimer = this.clock.setTimeout(
      () => {
        flight.receiptTimer = undefined;
        if (flight.done || flight.token !== token) return;
        const error = new TidingsError(
          ErrorCode.ReceiptTimeout,
          `no delivery receipt within ${slot.settings.receiptTimeoutMs} ms for provider id ${providerMessageId}`,
          { channel: slot.name },
        );
        this.#giveUpOnChannel(flight, 'failed', error);
      },
      slot.settings.receiptTimeoutMs,
      { weak: true },
    );
    // Receipts that overtook the submit response.
    for (const key of flight.allPartKeys) {
      for (const report of this.#early.take(key)) this.#applyReport(flight, slot, key, report);
    }
  }

  #onReport(slot: LiveSlot, report: DeliveryReport): void {
    const key = correlationKey(slot.name, String(report.providerMessageId));
    const flight = this.#byProviderId.get(key);
    if (flight) {
      this.#applyReport(flight, slot, key, report);
      return;
    }
    // Unknown here: a duplicate of a settled message, another process's message, or early.
    void this.store.resolve(slot.name, String(report.providerMessageId)).then(
      (messageId) => {
        const now = this.#byProviderId.get(key);
        if (now) this.#applyReport(now, slot, key, report);
        else if (messageId === undefined && this.#status !== 'stopped') this.#early.hold(key, report, this.clock.now());
        else this.logger.debug('receipt for a settled message ignored', { channel: slot.name, messageId });
      },
      (error: unknown) => this.logger.error('message store resolve failed', { channel: slot.name, error }),
    );
  }

  #applyReport(flight: Flight, slot: LiveSlot, key: string, report: DeliveryReport): void {
    if (flight.done || flight.state !== 'awaiting-receipt' || flight.channel !== slot.name) return;
    if (!isFinalDeliveryState(report.state)) return;
    if (!flight.pendingParts?.delete(key)) return; // a duplicate receipt for this part
    if (report.state !== 'delivered') flight.failedPart ??= report;
    if (flight.pendingParts.size > 0) return;

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
    void this.store
      .update(flight.id, { channel: to, updatedAt: this.clock.now() })
      .catch((storeError: unknown) =>
        this.logger.error('message store update failed', { messageId: flight.id, error: storeError }),
      );
    this.#enterChannel(flight);
  }

  /** Cancels everything tied to the current channel attempt. */
  #leaveChannel(flight: Flight): void {
    flight.token++;
    flight.cancelAttempt?.(shutdownError(flight));
    flight.cancelAttempt = undefined;
    flight.retryTimer?.cancel();
    flight.retryTimer = undefined;
    flight.receiptTimer?.cancel();
    flight.receiptTimer = undefined;
    flight.fallbackTimer?.cancel();
    flight.fallbackTimer = undefined;
    for (const key of flight.allPartKeys) {
      if (this.#byProviderId.get(key) === flight) this.#byProviderId.delete(key);
    }
    flight.allPartKeys = [];
    flight.pendingParts = undefined;
  }

  #terminate(flight: Flight, error: TidingsError): void {
    this.#finish(flight, { type: 'failed', terminal: true, error });
  }

  #finish(flight: Flight, event: EventInput): void {
    if (flight.done) return;
    this.#leaveChannel(flight);
    this.#setState(flight, 'done');
    flight.settledAt = this.clock.now();
    this.#flights.delete(flight.id);
    this.#emit(flight, event);
    const last = flight.terminalEvent as TerminalEvent;
    void this.store
      .update(flight.id, { status: last.type, terminal: true, attempt: flight.attempt, updatedAt: last.timestamp })
      .catch((error: unknown) => this.logger.error('message store update failed', { messageId: flight.id, error }));
    this.#forgetSettledKeys();
  }

  #emit(flight: Flight, input: EventInput): void {
    // Completes the fresh literal each call site passes, rather than spreading it into a copy:
    // this runs several times per message.
    const event = input as Mutable<MessageEvent>;
    event.messageId = flight.id;
    event.channel = flight.channel;
    event.attempt = flight.attempt;
    event.timestamp = this.clock.now();
    const clientRef = flight.message.clientRef;
    if (clientRef !== undefined) event.clientRef = clientRef;
    flight.record(event);
    this.#events.next(event);
  }

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
    this.logger.info('stopping', { inFlight: this.#flights.size });
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
    for (const flight of [...this.#flights.values()]) this.#terminate(flight, shutdownError(flight));
    for (const slot of this.#slots.values()) {
      slot.lane.takeQueued();
      slot.lane.dispose();
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

function view(channel: string, state: ChannelState, paused: boolean): ChannelStateView {
  return { channel, status: state.status, paused, ...(state.detail === undefined ? {} : { detail: state.detail }) };
}

function shutdownError(flight: Flight): TidingsError {
  const accepted = flight.state === 'awaiting-receipt' && flight.providerMessageId !== undefined;
  return new TidingsError(
    ErrorCode.Shutdown,
    accepted
      ? `stopped before a delivery receipt arrived (the provider accepted it as ${flight.providerMessageId})`
      : 'stopped before the message could be sent',
    { channel: flight.channel, ambiguous: flight.state === 'sending', details: { state: flight.state } },
  );
}

function toSendError(error: unknown, channel: string): TidingsError {
  const typed = TidingsError.from(error);
  return typed.channel ? typed : typed.with({ channel });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
