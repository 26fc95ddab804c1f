import { inject, injectable } from 'inversify';
import { BehaviorSubject, distinctUntilChanged, type Observable, Subject } from 'rxjs';
import type {
  Channel,
  ChannelCapabilities,
  ChannelState,
  ChannelStatus,
  SendContext,
  SubmitResult,
} from '../channel.js';
import type { Clock, Timer } from '../clock.js';
import { ErrorCode, TidingsError } from '../errors.js';
import type { DeliveryReport, DeliveryState, InboundMessage, MessageBase } from '../message.js';
import { validateMessageBase } from '../message-validation.js';
import { type ChannelPlugin, defineChannelPlugin } from '../plugin.js';
import { RetryDecision } from '../retry-decision.js';
import type { ChannelSettings } from '../settings.js';
import { TOKENS } from '../tokens.js';

/** What the fake provider does with one send attempt. */
export type FakeOutcome =
  | {
      readonly kind: 'accept';
      /** Default: the first part id, or a fresh numeric id. */
      readonly providerMessageId?: string;
      /** One id per part, each needing its own receipt. */
      readonly partIds?: readonly string[];
      /** The receipt that follows; `none` for no receipt at all. Default `delivered`. */
      readonly receipt?: DeliveryState | 'none';
      readonly receiptErrorCode?: string | number;
      /** Delay before the receipt, in the runtime clock's milliseconds. Default 0. */
      readonly receiptDelayMs?: number;
      /** Send the receipt before the submit answer (providers do under load). */
      readonly receiptFirst?: boolean;
      /** Send the receipt twice. */
      readonly duplicateReceipt?: boolean;
    }
  | {
      readonly kind: 'reject';
      readonly providerStatus?: number | string;
      readonly retry?: RetryDecision;
      readonly code?: string;
      readonly ambiguous?: boolean;
      readonly message?: string;
    }
  /** Never answers: the runtime's submit timeout (or shutdown) must end it. */
  | { readonly kind: 'hang' };

export const FakeOutcome = {
  accept: (options: Omit<Extract<FakeOutcome, { kind: 'accept' }>, 'kind'> = {}): FakeOutcome => ({
    kind: 'accept',
    ...options,
  }),
  reject: (options: Omit<Extract<FakeOutcome, { kind: 'reject' }>, 'kind'> = {}): FakeOutcome => ({
    kind: 'reject',
    ...options,
  }),
  /** A provider-side refusal that resending cannot fix. */
  permanent: (providerStatus: number | string = 0x0b): FakeOutcome => ({
    kind: 'reject',
    providerStatus,
    retry: RetryDecision.never(),
    code: ErrorCode.Rejected,
  }),
  /** A transient failure worth retrying. */
  transient: (afterMs?: number): FakeOutcome => ({
    kind: 'reject',
    providerStatus: 0x08,
    retry: RetryDecision.retry(afterMs),
    code: ErrorCode.Rejected,
  }),
  /** Throttled: pause the channel. */
  throttled: (pauseMs = 1000): FakeOutcome => ({
    kind: 'reject',
    providerStatus: 0x58,
    retry: RetryDecision.pause(pauseMs),
    code: ErrorCode.Throttled,
  }),
  /** The connection dropped after the request was written. */
  connectionLost: (): FakeOutcome => ({
    kind: 'reject',
    code: ErrorCode.ConnectionLost,
    retry: RetryDecision.retry(),
    ambiguous: true,
  }),
  hang: (): FakeOutcome => ({ kind: 'hang' }),
} as const;

/** Decides each attempt's outcome: a list consumed in order (then `fallback`), or a function. */
export type FakeScript<TMessage extends MessageBase> =
  | readonly FakeOutcome[]
  | ((message: TMessage, context: SendContext) => FakeOutcome);

export interface FakeChannelOptions<TName extends string, TMessage extends MessageBase> {
  readonly name: TName;
  readonly kind?: string;
  readonly capabilities?: Partial<ChannelCapabilities>;
  readonly script?: FakeScript<TMessage>;
  /** Outcome once a list script is used up. Default: accept with a `delivered` receipt. */
  readonly fallbackOutcome?: FakeOutcome;
  /** Time the fake provider takes to answer a submit, in clock milliseconds. Default 0. */
  readonly latencyMs?: number;
  /** Extra validation (called after the core's own rules). Throw a TidingsError to refuse. */
  readonly validate?: (message: TMessage) => void;
  /** Answers `query` (the provider's status query); without it the channel cannot query. */
  readonly query?: (providerMessageId: string) => DeliveryReport | Promise<DeliveryReport>;
  /** Makes `start()` fail with this message. */
  readonly startError?: string;
  readonly settings?: ChannelSettings;
}

/** A record of one attempt the fake provider received. */
export interface FakeSend<TMessage extends MessageBase = MessageBase> {
  readonly message: TMessage;
  readonly messageId: string;
  readonly attempt: number;
  readonly outcome: FakeOutcome;
}

/**
 * Test controls for a fake channel, usable before and after the runtime creates it. It keeps every
 * attempt in `sends` for inspection, so it is meant for tests and demos, not for endless runs.
 */
export class FakeChannelControl<TMessage extends MessageBase = MessageBase> {
  /** Every attempt received, in order. */
  readonly sends: FakeSend<TMessage>[] = [];
  #channel: FakeChannel<TMessage> | undefined;

  /** @internal */
  attach(channel: FakeChannel<TMessage>): void {
    this.#channel = channel;
  }

  get channel(): FakeChannel<TMessage> {
    if (!this.#channel) throw new Error('the fake channel has not been created yet (createTidings first)');
    return this.#channel;
  }

  setStatus(status: ChannelStatus, detail?: string): void {
    this.channel.setState({ status, ...(detail === undefined ? {} : { detail }) });
  }

  /** Emits a receipt as if the provider sent it. */
  report(report: DeliveryReport): void {
    this.channel.emitReport(report);
  }

  /** Emits an inbound (MO) message. */
  receive(inbound: Omit<InboundMessage, 'channel' | 'receivedAt'> & { readonly receivedAt?: number }): void {
    this.channel.emitInbound(inbound);
  }
}

/** The fake's plugin: a normal {@link ChannelPlugin} plus its controls. */
export type FakeChannelPlugin<TName extends string, TMessage extends MessageBase> = ChannelPlugin<TName, TMessage> & {
  readonly control: FakeChannelControl<TMessage>;
};

let nextProviderId = 1_000_000;

@injectable()
export class FakeChannel<TMessage extends MessageBase = MessageBase> implements Channel<TMessage> {
  readonly kind: string;
  readonly capabilities: ChannelCapabilities;
  readonly #state = new BehaviorSubject<ChannelState>({ status: 'idle' });
  readonly #reports = new Subject<DeliveryReport>();
  readonly #inbound = new Subject<InboundMessage>();
  readonly state$: Observable<ChannelState>;
  readonly reports$: Observable<DeliveryReport>;
  readonly inbound$: Observable<InboundMessage>;
  readonly query?: (providerMessageId: string) => Promise<DeliveryReport>;
  #scriptIndex = 0;
  readonly #pending = new Set<() => void>();
  /** Receipts scheduled for later; cancelled on stop so a stopped fake holds no timers. */
  readonly #receiptTimers = new Set<Timer>();

  constructor(
    @inject(TOKENS.ChannelName) readonly name: string,
    @inject(TOKENS.ChannelOptions)
    private readonly options: FakeChannelOptions<string, TMessage> & { control: FakeChannelControl<TMessage> },
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {
    this.kind = options.kind ?? 'fake';
    this.capabilities = {
      kinds: options.capabilities?.kinds ?? ['sms', 'code'],
      receipts: options.capabilities?.receipts ?? true,
      inbound: options.capabilities?.inbound ?? true,
    };
    this.state$ = this.#state.pipe(distinctUntilChanged((a, b) => a.status === b.status && a.detail === b.detail));
    this.reports$ = this.#reports.asObservable();
    this.inbound$ = this.#inbound.asObservable();
    const answer = options.query;
    if (answer) this.query = async (providerMessageId) => answer(providerMessageId);
    options.control.attach(this);
  }

  async start(): Promise<void> {
    this.setState({ status: 'connecting' });
    if (this.options.startError !== undefined) {
      const error = new TidingsError(ErrorCode.AuthFailed, this.options.startError, { channel: this.name });
      this.setState({ status: 'failed', detail: this.options.startError, error });
      throw error;
    }
    this.setState({ status: 'ready' });
  }

  async stop(): Promise<void> {
    this.setState({ status: 'stopping' });
    // A real channel settles its in-flight requests on close; so does the fake.
    for (const settle of [...this.#pending]) settle();
    for (const timer of this.#receiptTimers) timer.cancel();
    this.#receiptTimers.clear();
    this.setState({ status: 'stopped' });
  }

  validate(message: TMessage): void {
    validateMessageBase(message);
    this.options.validate?.(message);
  }

  send(message: TMessage, context: SendContext): Promise<SubmitResult> {
    const outcome = this.#nextOutcome(message, context);
    this.options.control.sends.push({ message, messageId: context.messageId, attempt: context.attempt, outcome });
    return new Promise<SubmitResult>((resolve, reject) => {
      if (this.#state.value.status === 'stopped') {
        reject(
          new TidingsError(ErrorCode.ConnectionLost, 'channel stopped', {
            channel: this.name,
            retry: RetryDecision.retry(),
          }),
        );
        return;
      }
      const settleOnClose = (): void => {
        this.#pending.delete(settleOnClose);
        reject(
          new TidingsError(ErrorCode.ConnectionLost, 'connection closed before the provider answered', {
            channel: this.name,
            retry: RetryDecision.retry(),
            ambiguous: true,
          }),
        );
      };
      this.#pending.add(settleOnClose);
      if (outcome.kind === 'hang') return;
      const answer = (): void => {
        if (!this.#pending.delete(settleOnClose)) return;
        if (outcome.kind === 'reject') {
          reject(
            new TidingsError(
              outcome.code ?? ErrorCode.Rejected,
              outcome.message ?? `fake provider refused (status ${String(outcome.providerStatus ?? 'none')})`,
              {
                channel: this.name,
                retry: outcome.retry ?? RetryDecision.never(),
                ambiguous: outcome.ambiguous ?? false,
                ...(outcome.providerStatus === undefined ? {} : { providerStatus: outcome.providerStatus }),
              },
            ),
          );
          return;
        }
        this.#accept(outcome, resolve);
      };
      const latency = this.options.latencyMs ?? 0;
      if (latency > 0) this.clock.setTimeout(answer, latency);
      else queueMicrotask(answer);
    });
  }

  /** @internal */
  setState(state: ChannelState): void {
    this.#state.next(state);
  }

  /** @internal */
  emitReport(report: DeliveryReport): void {
    this.#reports.next(report);
  }

  /** @internal */
  emitInbound(inbound: Omit<InboundMessage, 'channel' | 'receivedAt'> & { readonly receivedAt?: number }): void {
    this.#inbound.next({ ...inbound, channel: this.name, receivedAt: inbound.receivedAt ?? this.clock.now() });
  }

  #accept(outcome: Extract<FakeOutcome, { kind: 'accept' }>, resolve: (result: SubmitResult) => void): void {
    const providerMessageId = outcome.providerMessageId ?? outcome.partIds?.[0] ?? String(nextProviderId++);
    const ids = outcome.partIds ?? [providerMessageId];
    const receipt = outcome.receipt ?? 'delivered';
    const sendReceipts = (): void => {
      for (const id of ids) {
        const report: DeliveryReport = {
          providerMessageId: id,
          state: receipt === 'none' ? 'unknown' : receipt,
          ...(outcome.receiptErrorCode === undefined ? {} : { errorCode: outcome.receiptErrorCode }),
        };
        this.#reports.next(report);
        if (outcome.duplicateReceipt) this.#reports.next(report);
      }
    };
    const receiptExpected = this.capabilities.receipts && receipt !== 'none';
    if (receiptExpected && outcome.receiptFirst) sendReceipts();
    resolve({
      providerMessageId,
      ...(outcome.partIds ? { partIds: outcome.partIds, parts: outcome.partIds.length } : {}),
      receiptExpected,
    });
    if (receiptExpected && !outcome.receiptFirst) {
      const timer = this.clock.setTimeout(() => {
        this.#receiptTimers.delete(timer);
        sendReceipts();
      }, outcome.receiptDelayMs ?? 0);
      this.#receiptTimers.add(timer);
    }
  }

  #nextOutcome(message: TMessage, context: SendContext): FakeOutcome {
    const script = this.options.script;
    if (typeof script === 'function') return script(message, context);
    const fallback = this.options.fallbackOutcome ?? FakeOutcome.accept();
    if (!script) return fallback;
    return script[this.#scriptIndex++] ?? fallback;
  }
}

/**
 * A channel plugin whose "provider" follows a script: accept, refuse, throttle, hang, receipts
 * early or twice. For host tests and for the core's own.
 */
export function fakeChannel<const TName extends string, TMessage extends MessageBase = MessageBase>(
  options: FakeChannelOptions<TName, TMessage>,
): FakeChannelPlugin<TName, TMessage> {
  const control = new FakeChannelControl<TMessage>();
  const plugin = defineChannelPlugin<
    TName,
    TMessage,
    FakeChannelOptions<TName, TMessage> & { control: FakeChannelControl<TMessage> }
  >({
    name: options.name,
    kind: options.kind ?? 'fake',
    options: { ...options, control },
    settings: options.settings,
    channel: FakeChannel,
  });
  return Object.freeze({ ...plugin, control });
}
