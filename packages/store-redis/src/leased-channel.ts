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
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> = Promise.resolve();
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
    if (this.#inner === undefined) this.#showHandingOff();
    this.#timer = setInterval(() => {
      this.#refreshing = this.#refreshing.then(() => this.#refresh());
    }, this.#settings.refreshMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#state.next({ status: 'stopping' });
    await this.#refreshing;
    await this.#handOff.close();
    await this.#release();
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
    return gate.then(
      () => inner.send(message, context),
      (error: unknown) => {
        this.#logger.error('cluster rate gate failed; submitting anyway', { channel: this.name, error });
        return inner.send(message, context);
      },
    );
  }

  async #refresh(): Promise<void> {
    if (this.#stopped) return;
    const had = this.#inner !== undefined;
    let holds: boolean;
    try {
      holds = await this.#lease.refresh();
    } catch (error) {
      this.#logger.error('lease: refresh failed', { channel: this.name, error });
      return;
    }
    if (this.#stopped) return;
    if (holds && !had) await this.#bind();
    else if (!holds && had) {
      this.#logger.warn('lease lost: closing this process’ bind', { channel: this.name });
      await this.#release();
      this.#showHandingOff();
    }
  }

  async #bind(): Promise<void> {
    const inner = this.#create();
    this.#innerSubscriptions = [
      inner.reports$.subscribe((report) => this.#reports.next(report)),
      inner.inbound$.subscribe((inbound) => this.#inbound.next(inbound)),
      inner.state$.subscribe((state) => this.#state.next(state)),
    ];
    try {
      await inner.start();
    } catch (error) {
      this.#logger.error('lease: the channel could not start; giving the lease back', { channel: this.name, error });
      for (const subscription of this.#innerSubscriptions) subscription.unsubscribe();
      this.#innerSubscriptions = [];
      await inner.stop().catch(() => {});
      await this.#lease.release().catch(() => {});
      this.#showHandingOff();
      return;
    }
    this.#inner = inner;
    this.#logger.info('lease taken: this process binds', { channel: this.name });
    this.#handOff.serve(
      (message, context) => this.#sendOn(inner, message, context),
      this.#settings.serveConcurrency,
      this.#settings.claimIdleMs,
    );
  }

  async #release(): Promise<void> {
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
