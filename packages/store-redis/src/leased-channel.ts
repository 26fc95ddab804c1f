import {
  type Channel,
  type ChannelCapabilities,
  type ChannelState,
  type DeliveryReport,
  ErrorCode,
  type InboundMessage,
  type Logger,
  type MessageBase,
  type SendContext,
  type SubmitResult,
  TidingsError,
} from '@tidings/core';
import { BehaviorSubject, distinctUntilChanged, type Observable, Subject, type Subscription } from 'rxjs';
import type { HandOff } from './hand-off.js';
import type { Lease } from './lease.js';

export interface LeasedChannelSettings {
  /** How often the lease is renewed (or a free one looked for). */
  readonly refreshMs: number;
  /** How long a hand-off waits for a lease holder's answer. */
  readonly handOffTimeoutMs: number;
  /** Submits a holder serves for the others at once. */
  readonly serveConcurrency: number;
  /** A holder's unacknowledged hand-offs older than this are another holder's to answer. */
  readonly claimIdleMs: number;
  /** The shared rate, taken right before the bind writes (no hand-off latency between the two). */
  readonly gate: () => Promise<void> | undefined;
}

/**
 * A channel that binds only while this process holds one of the channel's leases; without one it
 * hands each submit to a holder through the shared queue. Receipts come on the holders' binds and
 * reach the sending process through the cluster. A lost lease stops the bind at once; a lease
 * freed by a dead holder is taken by a process without one, which then binds.
 */
export class LeasedChannel implements Channel {
  readonly name: string;
  readonly kind: string;
  readonly capabilities: ChannelCapabilities;
  readonly state$: Observable<ChannelState>;
  readonly reports$: Observable<DeliveryReport>;
  readonly inbound$: Observable<InboundMessage>;
  readonly query?: (providerMessageId: string) => Promise<DeliveryReport>;

  readonly #probe: Channel;
  readonly #create: () => Channel;
  readonly #lease: Lease;
  readonly #handOff: HandOff;
  readonly #settings: LeasedChannelSettings;
  readonly #logger: Logger;
  readonly #state = new BehaviorSubject<ChannelState>({ status: 'idle' });
  readonly #reports = new Subject<DeliveryReport>();
  readonly #inbound = new Subject<InboundMessage>();
  #inner: Channel | undefined;
  #innerSubscriptions: Subscription[] = [];
  /** A bind being started (not yet serving): stopped if the lease goes meanwhile. */
  #starting: Channel | undefined;
  #binding: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  /** Fires when the lease, not renewed since, is about to run out (see #dropIfLeaseRunsOut). */
  #expiry: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;
  #stopped = false;

  constructor(create: () => Channel, lease: Lease, handOff: HandOff, settings: LeasedChannelSettings, logger: Logger) {
    this.#create = create;
    // An instance never started: the channel's name, kind, capabilities and validation.
    this.#probe = create();
    this.name = this.#probe.name;
    this.kind = this.#probe.kind;
    this.capabilities = this.#probe.capabilities;
    this.#lease = lease;
    this.#handOff = handOff;
    this.#settings = settings;
    this.#logger = logger;
    this.state$ = this.#state.pipe(
      distinctUntilChanged((a, b) => a.status === b.status && a.detail === b.detail && a.error === b.error),
    );
    this.reports$ = this.#reports.asObservable();
    this.inbound$ = this.#inbound.asObservable();
    if (typeof this.#probe.query === 'function') {
      this.query = (providerMessageId) => {
        const inner = this.#inner;
        if (inner?.query === undefined) {
          return Promise.reject(
            new TidingsError(ErrorCode.Unsupported, `channel "${this.name}": this process holds no bind to query on`, {
              channel: this.name,
            }),
          );
        }
        return inner.query(providerMessageId);
      };
    }
  }

  /** Whether this process holds a lease (and so a bind). */
  get holdsLease(): boolean {
    return this.#inner !== undefined;
  }

  async start(): Promise<void> {
    this.#state.next({ status: 'connecting', detail: 'looking for a free lease' });
    await this.#refresh();
    // Renewals run on their own timer: a bind that is slow to start (an SMSC answering late) never
    // holds them up, and a renewal Redis does not answer never keeps the bind past the lease.
    this.#timer = setInterval(() => this.#tick(), this.#settings.refreshMs);
    this.#timer.unref();
    await this.#binding;
    if (this.#inner === undefined) this.#showHandingOff();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    clearTimeout(this.#expiry);
    this.#state.next({ status: 'stopping' });
    await this.#refreshing;
    await this.#release();
    await this.#binding;
    await this.#handOff.close();
    await this.#lease.release().catch((error: unknown) => this.#logger.error('lease: release failed', { error }));
    this.#state.next({ status: 'stopped' });
    this.#state.complete();
    this.#reports.complete();
    this.#inbound.complete();
  }

  validate(message: MessageBase): void {
    this.#probe.validate(message);
  }

  send(message: MessageBase, context: SendContext): Promise<SubmitResult> {
    const inner = this.#inner;
    if (inner !== undefined) return this.#sendOn(inner, message, context);
    return this.#handOff.request(message, context, this.#settings.handOffTimeoutMs);
  }

  #sendOn(inner: Channel, message: MessageBase, context: SendContext): Promise<SubmitResult> {
    const gate = this.#settings.gate();
    if (gate === undefined) return inner.send(message, context);
    // The later parts of a long message wait at the same shared rate: providers count submit_sm.
    const paced: SendContext = {
      messageId: context.messageId,
      attempt: context.attempt,
      get signal() {
        return context.signal;
      },
      cancellation: context.cancellation ?? context.signal,
      beforeNextPart: this.#partGate,
    };
    return gate.then(
      () => inner.send(message, paced),
      (error: unknown) => {
        this.#logger.error('cluster rate gate failed; submitting anyway', { channel: this.name, error });
        return inner.send(message, paced);
      },
    );
  }

  readonly #partGate = (): Promise<void> | undefined =>
    this.#settings.gate()?.catch((error: unknown) => {
      this.#logger.error('cluster rate gate failed; submitting anyway', { channel: this.name, error });
    });

  #tick(): void {
    if (this.#stopped) return;
    this.#dropIfLeaseRunsOut();
    if (this.#refreshing !== undefined) return;
    this.#refreshing = this.#refresh().finally(() => {
      this.#refreshing = undefined;
    });
  }

  async #refresh(): Promise<void> {
    if (this.#stopped) return;
    let holds: boolean;
    try {
      holds = await this.#lease.refresh();
    } catch (error) {
      this.#logger.error('lease: refresh failed', { channel: this.name, error });
      this.#dropIfLeaseRunsOut();
      return;
    }
    if (this.#stopped) return;
    if (holds) this.#armExpiry();
    const bound = this.#inner !== undefined || this.#starting !== undefined;
    if (holds && !bound) {
      this.#binding = this.#bind().finally(() => {
        this.#binding = undefined;
      });
    } else if (!holds && bound) {
      this.#logger.warn('lease lost: closing this process’ bind', { channel: this.name });
      await this.#release();
      this.#showHandingOff();
    }
  }

  /**
   * Never more binds than leases: when the lease could not be renewed in time (Redis unreachable
   * from here, renewals unanswered), the bind closes before the key expires and another process
   * may take it.
   */
  #dropIfLeaseRunsOut(): void {
    if (!this.#lease.held) return;
    if (this.#lease.remainingMs() > this.#marginMs()) {
      this.#armExpiry();
      return;
    }
    this.#lease.forget();
    if (this.#inner === undefined && this.#starting === undefined) return;
    this.#logger.warn('lease could not be renewed in time: closing this process’ bind', { channel: this.name });
    void this.#release().then(() => this.#showHandingOff());
  }

  /** The bind closes this long before an unrenewed lease could expire in Redis. */
  #marginMs(): number {
    return Math.min(this.#settings.refreshMs, this.#lease.ttlMs / 4);
  }

  /** A timer of its own: ticks may come late (a busy event loop) or land just after the margin. */
  #armExpiry(): void {
    clearTimeout(this.#expiry);
    if (this.#stopped || !this.#lease.held) return;
    this.#expiry = setTimeout(
      () => this.#dropIfLeaseRunsOut(),
      Math.max(0, this.#lease.remainingMs() - this.#marginMs()),
    );
    this.#expiry.unref();
  }

  async #bind(): Promise<void> {
    const inner = this.#create();
    this.#starting = inner;
    const subscriptions = [
      inner.reports$.subscribe((report) => this.#reports.next(report)),
      inner.inbound$.subscribe((inbound) => this.#inbound.next(inbound)),
      inner.state$.subscribe((state) => this.#state.next(state)),
    ];
    const unsubscribe = () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
    };
    try {
      await inner.start();
    } catch (error) {
      unsubscribe();
      await inner.stop().catch(() => {});
      if (this.#starting !== inner) return;
      this.#starting = undefined;
      this.#logger.error('lease: the channel could not start; giving the lease back', { channel: this.name, error });
      await this.#lease.release().catch(() => {});
      this.#showHandingOff();
      return;
    }
    // The lease may have gone while the bind started: it must not stay up without one.
    const still = this.#starting === inner && !this.#stopped && this.#lease.remainingMs() > this.#marginMs();
    if (!still) {
      if (this.#starting === inner) this.#starting = undefined;
      unsubscribe();
      await inner.stop().catch(() => {});
      this.#showHandingOff();
      return;
    }
    this.#starting = undefined;
    this.#inner = inner;
    this.#innerSubscriptions = subscriptions;
    this.#logger.info('lease taken: this process binds', { channel: this.name });
    this.#handOff.serve(
      (message, context) => this.#sendOn(inner, message, context),
      this.#settings.serveConcurrency,
      this.#settings.claimIdleMs,
    );
  }

  async #release(): Promise<void> {
    // A bind still starting is stopped now; #bind sees it is no longer wanted once start ends.
    const starting = this.#starting;
    this.#starting = undefined;
    if (starting !== undefined) await starting.stop().catch(() => {});
    const inner = this.#inner;
    if (inner === undefined) return;
    this.#inner = undefined;
    await this.#handOff.stopServing();
    await inner.stop().catch((error: unknown) => this.#logger.error('lease: stopping the bind failed', { error }));
    for (const subscription of this.#innerSubscriptions) subscription.unsubscribe();
    this.#innerSubscriptions = [];
  }

  #showHandingOff(): void {
    if (!this.#stopped) this.#state.next({ status: 'ready', detail: 'no lease here: hands messages to the holders' });
  }
}
