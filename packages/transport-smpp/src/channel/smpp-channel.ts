import {
  type Cancellation,
  type Channel,
  type ChannelCapabilities,
  type ChannelState,
  type Clock,
  type DeliveryReport,
  type DeliveryState,
  ErrorCode,
  type InboundMessage,
  type Logger,
  type MessageBase,
  RetryDecision,
  type SendContext,
  type SubmitResult,
  TidingsError,
  type Timer,
  validateMessageBase,
} from '@tidings/core';
import { BehaviorSubject, distinctUntilChanged, type Observable, Subject, type Subscription } from 'rxjs';
import { SmppClient, type SmppClientState } from '../client/smpp-client.js';
import { type Alphabet, type DefaultAlphabet, dataCodingOf } from '../encoding/alphabet.js';
import type { Concatenation } from '../encoding/part-layout.js';
import { ConcatenationReassembler } from '../encoding/reassembler.js';
import { type SegmentOptions, segmentText } from '../encoding/segmenter.js';
import { decodeText } from '../encoding/text-codec.js';
import { parseUdh } from '../encoding/udh.js';
import { encodePdu } from '../pdu/codec.js';
import { CommandStatus, describeStatus } from '../pdu/command-status.js';
import {
  type DataSm,
  type DeliverSm,
  EsmClass,
  type Pdu,
  type ShortMessageFields,
  type SubmitSm,
  type Tlv,
} from '../pdu/pdu.js';
import { submitSm } from '../pdu/pdu-factory.js';
import { relativeSmppTime } from '../pdu/smpp-time.js';
import { type TlvDefinition, TlvRegistry, type TlvValue } from '../pdu/tlv-registry.js';
import { canonicalMessageId, type MessageIdFormat } from '../receipt/message-id.js';
import { deliveryStateOfMessageState, extractReceipt, isReceipt, type Receipt } from '../receipt/receipt.js';
import { defaultStatusTable, type StatusTable, statusToError } from '../status/status-table.js';
import {
  type ResolvedSmppConnection,
  resolveSmppConnection,
  type SmppConnectionOptions,
} from './connection-options.js';
import { samePlan } from './same-plan.js';

/** An SMPP address: the number or name and its type of number / numbering plan. */
export interface SmppAddress {
  readonly addr: string;
  readonly ton: number;
  readonly npi: number;
}

/** How a channel sends its texts. */
export interface SmppEncodingPolicy {
  /** Alphabets the provider takes; all by default. The cheapest one that fits is used. */
  readonly allowed?: readonly Alphabet[];
  /** Always use this alphabet (the text must fit it). */
  readonly pinned?: Alphabet;
  /** How long texts are split. Default `udh8`. */
  readonly concatenation?: Concatenation;
  /** Refuse texts needing more parts. Default 255. */
  readonly maxParts?: number;
  /** For `payload`: the largest `message_payload` the provider takes. */
  readonly maxPayloadBytes?: number;
  /** What `data_coding` 0 means in messages from the provider. Default `gsm7`. */
  readonly defaultAlphabet?: DefaultAlphabet;
  /**
   * For `payload`: texts of at most this many octets go in `short_message`, longer ones in
   * `message_payload` (never both). 0..254; default 0 (always `message_payload`).
   */
  readonly maxShortMessageBytes?: number;
  /**
   * The `data_coding` the provider uses for an alphabet where it differs from SMPP 3.4's
   * (SMSC writes Latin-1 as 4; a provider may take ASCII as 0). Applied to what is sent and,
   * reversed, to what is received.
   */
  readonly dataCodings?: Readonly<Partial<Record<Alphabet, number>>>;
}

/** What one message becomes on the wire: built by the channel, sent by the base. */
export interface SubmitPlan {
  readonly text: string;
  readonly source: SmppAddress;
  readonly destination: SmppAddress;
  /** Other `submit_sm` fields (service_type, validity_period, registered_delivery, …). */
  readonly fields?: Partial<
    Omit<ShortMessageFields, 'short_message' | 'source_addr' | 'destination_addr' | 'data_coding'>
  >;
  /** Optional parameters by name (from the channel's TLV registry), added to every part. */
  readonly tlvs?: Readonly<Record<string, TlvValue>>;
  /** Overrides the channel's encoding policy for this message. */
  readonly encoding?: SmppEncodingPolicy;
}

/** Everything the base needs from a concrete channel, fixed at construction. */
export interface SmppChannelConfig {
  readonly name: string;
  readonly kind: string;
  readonly capabilities: ChannelCapabilities;
  readonly connection: SmppConnectionOptions;
  /** Provider defaults under the host's connection options (a window, deadlines, keep-alive). */
  readonly connectionDefaults?: Partial<SmppConnectionOptions>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The provider's status table (extends {@link defaultStatusTable}). */
  readonly statusTable?: StatusTable;
  /** The provider's own TLVs: known to this channel only, never process-wide. */
  readonly vendorTlvs?: readonly TlvDefinition[];
  /**
   * How the provider writes message ids: in `submit_sm_resp`, in the receipt text (`id:`), and in
   * `receipted_message_id` (by SMPP as in `submit_sm_resp`, the default). Default `as-is`.
   */
  readonly messageIds?: {
    readonly submit?: MessageIdFormat;
    readonly receipt?: MessageIdFormat;
    readonly receiptTlv?: MessageIdFormat;
  };
  readonly encoding?: SmppEncodingPolicy;
  /** Time zone of dates in receipt texts, in minutes east of UTC. Default 0. */
  readonly receiptUtcOffsetMinutes?: number;
  /**
   * `start()` fails when no session is bound by then: the channel's default, under the host's
   * `connection.startTimeoutMs`. Default 30 s.
   */
  readonly startTimeoutMs?: number;
  /** How long `stop()` waits for in-flight submits. Default 10 s. */
  readonly drainTimeoutMs?: number;
  /**
   * Once the first part of a long message is accepted, the others must be accepted within this
   * time (providers drop incomplete messages); past it the rest is not sent and the attempt
   * fails, ambiguous. Default: no limit.
   */
  readonly partsWithinMs?: number;
}

/** The answer to `query_sm`. */
export interface MessageQueryResult {
  readonly providerMessageId: string;
  readonly state: DeliveryState;
  /** `message_state` as the provider sent it (1 ENROUTE … 8 REJECTED). */
  readonly messageState: number;
  readonly finalDate?: string;
  readonly errorCode: number;
}

/** The parts of one message, built from a plan. */
interface BuiltMessage {
  readonly plan: SubmitPlan;
  /** The message fields the build reads besides the plan. */
  readonly validitySeconds: number | undefined;
  readonly priority: number | undefined;
  readonly submits: readonly SubmitSm[];
  readonly registeredDelivery: number;
}

/** The deadline for the later parts of a long message (`partsWithinMs`). */
interface PartsDeadline {
  readonly signal: AbortSignal;
  expired: boolean;
  cancel(): void;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const noPolicy: SmppEncodingPolicy = Object.freeze({});
const noFields: NonNullable<SubmitPlan['fields']> = Object.freeze({});

/** Parts of a long message: tries of one part after the first part was accepted. */
const maxPartAttempts = 5;
const maxRememberedIds = 10_000;

/** MessageBase `priority` as SMPP `priority_flag` (0-3). */
function priorityFlag(priority: number | undefined): number {
  if (priority === undefined) return 0;
  if (Number.isInteger(priority) && priority >= 0 && priority <= 3) return priority;
  throw new TidingsError(
    ErrorCode.InvalidMessage,
    `message.priority must be an integer from 0 to 3 for SMPP (got ${priority})`,
    {
      details: { field: 'priority' },
    },
  );
}

/**
 * The base of every SMPP channel: it owns the client (sessions, window, reconnects, flow
 * control), encodes and splits texts, maps refusals to retry decisions through the provider's
 * status table, and turns `deliver_sm` into delivery reports and inbound messages. A provider
 * channel supplies its options and `toSubmit`; the rest is optional hooks.
 */
export abstract class SmppChannel<TMessage extends MessageBase = MessageBase> implements Channel<TMessage> {
  readonly name: string;
  readonly kind: string;
  readonly capabilities: ChannelCapabilities;
  readonly state$: Observable<ChannelState>;
  readonly reports$: Observable<DeliveryReport>;
  readonly inbound$: Observable<InboundMessage>;

  protected readonly clock: Clock;
  protected readonly logger: Logger;
  protected readonly tlvs: TlvRegistry;
  protected readonly statusTable: StatusTable;
  protected readonly connection: ResolvedSmppConnection;
  protected readonly client: SmppClient;

  readonly #config: SmppChannelConfig;
  readonly #state = new BehaviorSubject<ChannelState>({ status: 'idle' });
  readonly #reports = new Subject<DeliveryReport>();
  readonly #inbound = new Subject<InboundMessage>();
  readonly #reassembler: ConcatenationReassembler;
  #sweepTimer: Timer | undefined;
  #clientSubscription: Subscription | undefined;
  #reference = Math.floor(Math.random() * 0xffff);
  #stopping: Promise<void> | undefined;
  readonly #rawIds = new Map<string, string>();
  /** What validate() built per message, for the send() that follows. */
  readonly #built = new WeakMap<object, BuiltMessage>();

  protected constructor(config: SmppChannelConfig) {
    this.#config = config;
    this.name = config.name;
    this.kind = config.kind;
    this.capabilities = config.capabilities;
    this.clock = config.clock;
    this.logger = config.logger;
    this.tlvs = config.vendorTlvs?.length ? TlvRegistry.standard.withVendor(config.vendorTlvs) : TlvRegistry.standard;
    this.statusTable = config.statusTable ?? defaultStatusTable;
    this.connection = resolveSmppConnection(config.connection, this.owner, config.connectionDefaults);
    this.state$ = this.#state.pipe(distinctUntilChanged((a, b) => a.status === b.status && a.detail === b.detail));
    this.reports$ = this.#reports.asObservable();
    this.inbound$ = this.#inbound.asObservable();
    this.#reassembler = new ConcatenationReassembler({ now: () => this.clock.now() });
    this.client = new SmppClient({
      label: this.owner,
      endpoints: this.connection.endpoints,
      tls: this.connection.tls,
      credentials: this.connection.credentials,
      addressing: this.connection.addressing,
      mode: this.connection.mode,
      binds: this.connection.binds,
      receiverBinds: this.connection.receiverBinds,
      window: this.connection.window,
      timeouts: this.connection.timeouts,
      reconnect: this.connection.reconnect,
      maxBindFailures: this.connection.maxBindFailures,
      maxPerSecond: this.connection.maxPerSecond,
      statusTable: this.statusTable,
      maxFrameBytes: this.connection.maxFrameBytes,
      clock: this.clock,
      logger: this.logger,
      onServerRequest: (pdu) => this.#onServerRequest(pdu),
    });
  }

  /** How this channel is named in messages: `smsc channel "sms"`. */
  protected get owner(): string {
    return `${this.kind} channel "${this.name}"`;
  }

  /** Turns a message into what goes on the wire. Must not perform I/O; throw to refuse. */
  protected abstract toSubmit(message: TMessage, context: SendContext | undefined): SubmitPlan;

  /** Channel-specific checks, after the common ones. */
  protected validateMessage(_message: TMessage): void {}

  /** A receipt as the host sees it; override to add provider fields or drop receipts. */
  protected toReport(receipt: Receipt, pdu: DeliverSm | DataSm): DeliveryReport | undefined {
    const ids = this.#config.messageIds;
    // receipted_message_id is written as in submit_sm_resp; the text's id: as the SMSC likes.
    const format = (receipt.messageIdSource === 'tlv' ? (ids?.receiptTlv ?? ids?.submit) : ids?.receipt) ?? 'as-is';
    // Built by assignment, not conditional spreads: this runs once per message.
    const extras: Record<string, unknown> = {};
    if (receipt.stat !== undefined) extras.stat = receipt.stat;
    if (receipt.networkErrorCode !== undefined) extras.networkErrorCode = receipt.networkErrorCode;
    if (receipt.submitted !== undefined) extras.submitted = receipt.submitted;
    if (receipt.delivered !== undefined) extras.delivered = receipt.delivered;
    // Not the receipt's `text:`: it echoes the message's start — an OTP code, personal data.
    extras.tlvs = receipt.tlvs;
    extras.esmClass = pdu.esm_class;
    const report: Mutable<DeliveryReport> = {
      providerMessageId: canonicalMessageId(receipt.messageId, format),
      state: receipt.state,
    };
    if (receipt.errorCode !== undefined) report.errorCode = receipt.errorCode;
    if (receipt.doneAt !== undefined) report.doneAt = receipt.doneAt;
    report.extras = extras;
    return report;
  }

  /** An inbound message as the host sees it; override to add provider fields or drop some. */
  protected toInbound(
    text: string,
    pdu: DeliverSm | DataSm,
    tlvs: Readonly<Record<string, TlvValue>>,
  ): InboundMessage | undefined {
    return {
      channel: this.name,
      from: pdu.source_addr,
      to: pdu.destination_addr,
      text,
      receivedAt: this.clock.now(),
      extras: { tlvs, dataCoding: pdu.data_coding, esmClass: pdu.esm_class },
    };
  }

  /**
   * Publishes a delivery report learned otherwise than from a `deliver_sm` receipt (`query_sm`
   * polling, a provider callback). Ignored once the channel has stopped.
   */
  protected publishReport(report: DeliveryReport): void {
    if (!this.#reports.closed) this.#reports.next(report);
  }

  // ── Channel ─────────────────────────────────────────────────────────────────────────────────

  async start(): Promise<void> {
    this.#clientSubscription ??= this.client.state$.subscribe((state) => this.#onClientState(state));
    const timeoutMs = this.connection.startTimeoutMs ?? this.#config.startTimeoutMs ?? 30_000;
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.setTimeout(() => {
        const detail = this.client.state.detail;
        reject(
          new TidingsError(
            ErrorCode.ConnectionLost,
            `${this.owner}: no SMPP session bound within ${timeoutMs} ms${detail ? ` (last error: ${detail})` : ''}`,
            { retry: RetryDecision.retry() },
          ),
        );
      }, timeoutMs);
    });
    try {
      await Promise.race([this.client.connect(), timeout]);
    } finally {
      timer?.cancel();
    }
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.client.close({ drainTimeoutMs: this.#config.drainTimeoutMs ?? 10_000 });
      this.#sweepTimer?.cancel();
      this.#clientSubscription?.unsubscribe();
      this.#state.next({ status: 'stopped' });
      this.#state.complete();
      this.#reports.complete();
      this.#inbound.complete();
    })();
    return this.#stopping;
  }

  validate(message: TMessage): void {
    validateMessageBase(message);
    this.validateMessage(message);
    const plan = this.toSubmit(message, undefined);
    // Built and encoded for this very plan already (the same message sent again): nothing new.
    if (this.#reusable(message, plan, false)) return;
    // Build and encode exactly what `send` would: whatever it could refuse is refused now.
    const built = this.#build(message, plan);
    for (const submit of built.submits) encodePdu({ ...submit, sequence_number: 1 });
    this.#built.set(message, built);
  }

  send(message: TMessage, context: SendContext): Promise<SubmitResult> {
    let built: BuiltMessage;
    try {
      const plan = this.toSubmit(message, context);
      // What validate() built, when toSubmit gave the same plan again: not built a second time.
      built = this.#reusable(message, plan, true) ?? this.#build(message, plan);
    } catch (error) {
      return Promise.reject(error);
    }
    // The runtime's cancellation rather than context.signal: no AbortController per message.
    const signal = context.cancellation ?? context.signal;
    const [first] = built.submits;
    if (built.submits.length === 1 && first !== undefined) return this.#sendOne(first, built, signal);
    return this.#sendParts(built, context, signal);
  }

  /**
   * One part (the common case): the request and its answer without the loop, async functions
   * and retries of part 2+ that a long message needs; the same outcome as {@link #sendParts}.
   */
  #sendOne(submit: SubmitSm, built: BuiltMessage, signal: Cancellation): Promise<SubmitResult> {
    return this.client.request(submit, { signal }).then(
      (response) => {
        if (response.command === 'generic_nack') {
          throw this.#genericNackError(response.command_status).with({ channel: this.name });
        }
        if (response.command_status !== CommandStatus.ESME_ROK) {
          throw statusToError(response.command_status, {
            table: this.statusTable,
            channel: this.name,
            command: 'submit_sm',
          });
        }
        const raw = 'message_id' in response ? response.message_id : '';
        const id = canonicalMessageId(raw, this.#config.messageIds?.submit ?? 'as-is');
        if (id !== raw) this.#rememberRawId(id, raw);
        return this.#result(id, 1, built.registeredDelivery, undefined);
      },
      (cause: unknown) => {
        throw TidingsError.from(cause).with({ channel: this.name });
      },
    );
  }

  async #sendParts(built: BuiltMessage, context: SendContext, signal: Cancellation): Promise<SubmitResult> {
    const { submits, registeredDelivery } = built;
    const submitFormat = this.#config.messageIds?.submit ?? 'as-is';
    const partIds: string[] = [];
    let partsDeadline: PartsDeadline | undefined;
    try {
      for (const [index, submit] of submits.entries()) {
        // A rate shared by several processes counts every submit_sm, as the provider does.
        if (index > 0) await context.beforeNextPart?.();
        let raw: string;
        try {
          raw = await this.#submitPart(submit, index, partIds, submits.length, partsDeadline?.signal ?? signal);
        } catch (error) {
          if (partsDeadline?.expired) throw this.#partsDeadlineError(partIds, submits.length, error);
          throw error;
        }
        const id = canonicalMessageId(raw, submitFormat);
        if (id !== raw) this.#rememberRawId(id, raw);
        partIds.push(id);
        if (index === 0 && submits.length > 1 && this.#config.partsWithinMs !== undefined) {
          partsDeadline = this.#startPartsDeadline(this.#config.partsWithinMs, context.cancellation ?? context.signal);
        }
      }
    } finally {
      partsDeadline?.cancel();
    }
    return this.#result(partIds[0] ?? '', submits.length, registeredDelivery, partIds.length > 1 ? partIds : undefined);
  }

  #result(
    providerMessageId: string,
    parts: number,
    registeredDelivery: number,
    partIds: readonly string[] | undefined,
  ): SubmitResult {
    // Without an id no receipt can be matched: waiting for one would only end in a timeout.
    const identified = providerMessageId !== '';
    if (!identified && this.capabilities.receipts) {
      this.logger.warn('the provider accepted a submit without a message_id: no receipt can be matched', {
        channel: this.name,
      });
    }
    const result: Mutable<SubmitResult> = {
      providerMessageId,
      parts,
      // 0x02 asks for a receipt on failure only: a success then never reports.
      receiptExpected: identified && this.capabilities.receipts && (registeredDelivery & 0x03) === 0x01,
    };
    if (partIds !== undefined) result.partIds = partIds;
    return result;
  }

  /**
   * The runtime's status query (`tidings.query(channel, id)`): `query_sm` as a delivery report.
   * Channels whose provider needs the original sender, or has no `query_sm`, override it.
   */
  async query(providerMessageId: string): Promise<DeliveryReport> {
    const result = await this.queryMessage(providerMessageId);
    return {
      providerMessageId,
      state: result.state,
      errorCode: result.errorCode,
      extras: { messageState: result.messageState, ...(result.finalDate ? { finalDate: result.finalDate } : {}) },
    };
  }

  /** Asks the provider for a message's state (`query_sm`), where the provider supports it. */
  async queryMessage(providerMessageId: string, source?: SmppAddress): Promise<MessageQueryResult> {
    const response = await this.client.request({
      command: 'query_sm',
      // The SMSC knows the id as it wrote it, not in our canonical form.
      message_id: this.#rawIds.get(providerMessageId) ?? providerMessageId,
      source_addr_ton: source?.ton ?? 0,
      source_addr_npi: source?.npi ?? 0,
      source_addr: source?.addr ?? '',
    });
    if (response.command_status !== CommandStatus.ESME_ROK || response.command !== 'query_sm_resp') {
      throw statusToError(response.command_status || CommandStatus.ESME_RQUERYFAIL, {
        table: this.statusTable,
        channel: this.name,
        command: 'query_sm',
      });
    }
    return {
      providerMessageId: response.message_id || providerMessageId,
      state: deliveryStateOfMessageState(response.message_state) ?? 'unknown',
      messageState: response.message_state,
      errorCode: response.error_code,
      ...(response.final_date ? { finalDate: response.final_date } : {}),
    };
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  /**
   * The parts built for `message` by the last validate() (or send), if `plan` and the message
   * fields the build reads are unchanged. A one-part build may be used again and again; a long
   * message's once only (its concatenation reference must differ from one send to the next).
   */
  #reusable(message: TMessage, plan: SubmitPlan, forSend: boolean): BuiltMessage | undefined {
    const built = this.#built.get(message);
    if (
      built === undefined ||
      built.validitySeconds !== message.validitySeconds ||
      built.priority !== message.priority ||
      !samePlan(built.plan, plan)
    ) {
      return undefined;
    }
    if (built.submits.length === 1) return built;
    if (!forSend) return undefined;
    this.#built.delete(message);
    return built;
  }

  /** The `submit_sm` of every part of a message, ready to send. */
  #build(message: TMessage, plan: SubmitPlan): BuiltMessage {
    // The hot path: no spreads when the plan keeps the channel's policy (the common case).
    const policy: SmppEncodingPolicy = plan.encoding
      ? { ...this.#config.encoding, ...plan.encoding }
      : (this.#config.encoding ?? noPolicy);
    this.#reference = (this.#reference + 1) & 0xffff;
    const options: Mutable<SegmentOptions> = {
      concatenation: policy.concatenation ?? 'udh8',
      reference: this.#reference,
    };
    if (policy.pinned !== undefined) options.alphabet = policy.pinned;
    if (policy.allowed !== undefined) options.allowed = policy.allowed;
    if (policy.maxParts !== undefined) options.maxParts = policy.maxParts;
    if (policy.maxPayloadBytes !== undefined) options.maxPayloadBytes = policy.maxPayloadBytes;
    if (policy.maxShortMessageBytes !== undefined) options.maxShortMessageBytes = policy.maxShortMessageBytes;
    const segmented = segmentText(plan.text, options);
    const dataCoding = policy.dataCodings?.[segmented.alphabet] ?? segmented.dataCoding;
    const tlvs = plan.tlvs ? Object.entries(plan.tlvs).map(([name, value]) => this.tlvs.encode(name, value)) : [];
    const fields = plan.fields ?? noFields;
    const registeredDelivery = fields.registered_delivery ?? (this.capabilities.receipts ? 1 : 0);
    const validity =
      fields.validity_period ??
      (message.validitySeconds === undefined ? '' : relativeSmppTime(message.validitySeconds));
    const priority = fields.priority_flag ?? priorityFlag(message.priority);
    const submits = segmented.parts.map((segment) => {
      const partTlvs: Tlv[] = segment.sar || segment.messagePayload ? [...tlvs] : tlvs;
      if (segment.sar) {
        partTlvs.push(
          this.tlvs.encode('sar_msg_ref_num', segment.sar.reference),
          this.tlvs.encode('sar_total_segments', segment.sar.total),
          this.tlvs.encode('sar_segment_seqnum', segment.sar.sequence),
        );
      }
      if (segment.messagePayload) partTlvs.push(this.tlvs.encode('message_payload', segment.messagePayload));
      return submitSm(
        {
          ...(fields === noFields ? undefined : fields),
          source_addr_ton: plan.source.ton,
          source_addr_npi: plan.source.npi,
          source_addr: plan.source.addr,
          dest_addr_ton: plan.destination.ton,
          dest_addr_npi: plan.destination.npi,
          destination_addr: plan.destination.addr,
          esm_class: (fields.esm_class ?? 0) | segment.esmClassFlags,
          priority_flag: priority,
          validity_period: validity,
          registered_delivery: registeredDelivery,
          data_coding: dataCoding,
          short_message: segment.shortMessage,
          ...(partTlvs.length > 0 ? { tlvs: partTlvs } : {}),
        },
        0,
      );
    });
    return { plan, validitySeconds: message.validitySeconds, priority: message.priority, submits, registeredDelivery };
  }

  /**
   * Sends one part; resolves with the id the SMSC gave. A refusal of the first part ends the
   * attempt (the core retries the whole message). Once parts were accepted, a retryable refusal
   * (throttled, queue full, a lost connection) is retried here, the same part with the same
   * reference: resending the whole message would deliver the first parts twice.
   */
  async #submitPart(
    submit: SubmitSm,
    index: number,
    accepted: readonly string[],
    total: number,
    signal: Cancellation,
  ): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      let error: TidingsError;
      try {
        const response = await this.client.request(submit, { signal });
        if (response.command === 'generic_nack') throw this.#genericNackError(response.command_status);
        if (response.command_status === CommandStatus.ESME_ROK)
          return 'message_id' in response ? response.message_id : '';
        error = statusToError(response.command_status, {
          table: this.statusTable,
          channel: this.name,
          command: 'submit_sm',
        });
      } catch (cause) {
        error = TidingsError.from(cause).with({ channel: this.name });
      }
      if (index === 0 || attempt >= maxPartAttempts || !RetryDecision.isRetryable(error.retry) || signal.aborted) {
        throw this.#partial(error, accepted, total);
      }
      const decision = error.retry;
      const delay =
        decision.kind === 'pause'
          ? decision.pauseMs
          : decision.kind === 'retry' && decision.afterMs !== undefined
            ? decision.afterMs
            : Math.min(30_000, 500 * 2 ** (attempt - 1));
      this.logger.warn('part of a long message refused; retrying that part', {
        channel: this.name,
        part: index + 1,
        parts: total,
        error: error.message,
        retryInMs: delay,
      });
      await this.#sleep(delay, signal);
    }
  }

  /** The provider did not take the request at all (unsupported or unreadable): never retried as is. */
  #genericNackError(status: number): TidingsError {
    return new TidingsError(
      ErrorCode.ProtocolError,
      `${this.owner}: the provider answered submit_sm with generic_nack (${describeStatus(status)}): it does not take this request`,
      {
        retry: RetryDecision.never(),
        providerStatus: status,
        channel: this.name,
        details: { command: 'submit_sm', response: 'generic_nack' },
      },
    );
  }

  #startPartsDeadline(ms: number, outer: Cancellation): PartsDeadline {
    const controller = new AbortController();
    const deadline: PartsDeadline = {
      signal: controller.signal,
      expired: false,
      cancel: () => {
        timer.cancel();
        outer.removeEventListener('abort', onOuterAbort);
      },
    };
    const onOuterAbort = (): void => controller.abort(outer.reason);
    const timer = this.clock.setTimeout(() => {
      deadline.expired = true;
      controller.abort();
    }, ms);
    if (outer.aborted) controller.abort(outer.reason);
    else outer.addEventListener('abort', onOuterAbort, { once: true });
    return deadline;
  }

  #partsDeadlineError(accepted: readonly string[], total: number, cause: unknown): TidingsError {
    const ms = this.#config.partsWithinMs;
    return new TidingsError(
      ErrorCode.Timeout,
      `${this.owner}: only ${accepted.length} of ${total} parts were accepted within ${ms} ms of the first; the rest was not sent (the provider drops incomplete long messages)`,
      {
        retry: RetryDecision.retry(),
        ambiguous: true,
        channel: this.name,
        cause,
        details: { partsAccepted: accepted.length, parts: total, partIds: [...accepted], partsWithinMs: ms },
      },
    );
  }

  #sleep(ms: number, signal: Cancellation): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        timer.cancel();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = this.clock.setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Canonical → raw ids of the SMSC, for `query_sm`; bounded, the oldest go first. */
  #rememberRawId(id: string, raw: string): void {
    this.#rawIds.set(id, raw);
    if (this.#rawIds.size > maxRememberedIds) {
      const oldest = this.#rawIds.keys().next().value;
      if (oldest !== undefined) this.#rawIds.delete(oldest);
    }
  }

  /** After some parts were accepted, resending repeats them: say so. */
  #partial(error: TidingsError, accepted: readonly string[], total: number): TidingsError {
    if (accepted.length === 0) return error;
    return error.with({
      ambiguous: true,
      details: { ...error.details, partsAccepted: accepted.length, parts: total, partIds: [...accepted] },
    });
  }

  #onServerRequest(pdu: Pdu): number {
    if (pdu.command !== 'deliver_sm' && pdu.command !== 'data_sm') return CommandStatus.ESME_ROK;
    if (isReceipt(pdu, this.tlvs)) {
      const receipt = extractReceipt(pdu, this.tlvs, { utcOffsetMinutes: this.#config.receiptUtcOffsetMinutes ?? 0 });
      if (!receipt) {
        this.logger.warn('unreadable delivery receipt', { channel: this.name, source: pdu.source_addr });
        return CommandStatus.ESME_ROK;
      }
      const report = this.toReport(receipt, pdu);
      if (report) this.#reports.next(report);
      return CommandStatus.ESME_ROK;
    }
    this.#onMobileOriginated(pdu);
    return CommandStatus.ESME_ROK;
  }

  #onMobileOriginated(pdu: DeliverSm | DataSm): void {
    const tlvs = this.tlvs.toRecord(pdu.tlvs);
    const payload = this.tlvs.read(pdu.tlvs, 'message_payload');
    let bytes: Uint8Array =
      pdu.command === 'deliver_sm' && pdu.short_message.length > 0
        ? pdu.short_message
        : payload instanceof Uint8Array
          ? payload
          : new Uint8Array(0);
    let concat: { reference: number; total: number; sequence: number } | undefined;
    if ((pdu.esm_class & EsmClass.udhi) !== 0) {
      const udh = parseUdh(bytes);
      if (udh) {
        bytes = udh.payload;
        if (udh.concat) concat = udh.concat;
      }
    }
    const sarTotal = this.tlvs.read(pdu.tlvs, 'sar_total_segments');
    if (!concat && typeof sarTotal === 'number') {
      const reference = this.tlvs.read(pdu.tlvs, 'sar_msg_ref_num');
      const sequence = this.tlvs.read(pdu.tlvs, 'sar_segment_seqnum');
      if (typeof reference === 'number' && typeof sequence === 'number')
        concat = { reference, total: sarTotal, sequence };
    }
    const defaultAlphabet = this.#config.encoding?.defaultAlphabet;
    let text = decodeText(
      bytes,
      this.#inboundDataCoding(pdu.data_coding),
      defaultAlphabet === undefined ? {} : { defaultAlphabet },
    );
    if (concat && concat.total > 1) {
      let whole: string | undefined;
      try {
        whole = this.#reassembler.accept({
          key: `${pdu.source_addr}\u0000${pdu.destination_addr}`,
          reference: concat.reference,
          total: concat.total,
          sequence: concat.sequence,
          text,
        });
      } catch (error) {
        this.logger.warn('inbound part with impossible numbering', { channel: this.name, error: String(error) });
        return;
      }
      this.#armReassemblySweep();
      if (whole === undefined) return;
      text = whole;
    }
    const inbound = this.toInbound(text, pdu, tlvs);
    if (inbound) this.#inbound.next(inbound);
  }

  /** The provider's own `data_coding` for an alphabet, read back as SMPP 3.4's. */
  #inboundDataCoding(dataCoding: number): number {
    const codings = this.#config.encoding?.dataCodings;
    if (codings) {
      for (const [alphabet, coding] of Object.entries(codings)) {
        if (coding === dataCoding) return dataCodingOf(alphabet as Alphabet);
      }
    }
    return dataCoding;
  }

  #armReassemblySweep(): void {
    if (this.#sweepTimer || this.#reassembler.pendingCount === 0) return;
    this.#sweepTimer = this.clock.setTimeout(
      () => {
        this.#sweepTimer = undefined;
        const dropped = this.#reassembler.sweep();
        if (dropped > 0) this.logger.warn('dropped incomplete inbound messages', { channel: this.name, dropped });
        this.#armReassemblySweep();
      },
      30_000,
      { weak: true },
    );
  }

  #onClientState(state: SmppClientState): void {
    const detail = state.detail;
    switch (state.status) {
      case 'idle':
        return;
      case 'connecting':
        this.#state.next({
          status: this.client.everBound ? 'reconnecting' : 'connecting',
          ...(detail === undefined ? {} : { detail }),
        });
        return;
      case 'open':
        this.#state.next({
          status: 'ready',
          detail: `${state.bound}/${state.sessions} sessions bound${state.paused ? ', paused by throttling' : ''}`,
        });
        return;
      case 'closing':
        this.#state.next({ status: 'stopping' });
        return;
      case 'closed':
        return;
      case 'failed':
        this.#state.next({
          status: 'failed',
          ...(detail === undefined ? {} : { detail }),
          ...(state.error === undefined ? {} : { error: state.error }),
        });
        return;
    }
  }
}
