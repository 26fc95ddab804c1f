import {
  type Clock,
  type DeliveryReport,
  ErrorCode,
  type Logger,
  type SendContext,
  type SubmitResult,
  TidingsError,
  TOKENS,
} from '@tidings/core';
import { relativeSmppTime, type SmppAddress, SmppChannel, type SubmitPlan } from '@tidings/transport-smpp';
import { inject, injectable } from 'inversify';
import {
  destinationAddress,
  isInternationalNumber,
  recipientRule,
  senderAddress,
  senderKind,
  senderRule,
} from './addresses.js';
import { QueryPoller } from './query-poller.js';
import type { SmsorgMessage } from './smsorg-message.js';
import { type ResolvedSmsorgOptions, toConnectionOptions } from './smsorg-options.js';
import { SMSORG_ENCODING } from './smsorg-rules.js';
import { statusTableWith } from './smsorg-status-table.js';

const rememberedSenders = 10_000;

const invalid = (field: string, rule: string): TidingsError =>
  new TidingsError(ErrorCode.InvalidMessage, `message.${field} ${rule}`, { details: { field } });

/**
 * smsorg.ru over SMPP. Built by {@link smsorgChannel}; hosts never construct it themselves.
 */
@injectable()
export class SmsorgChannel extends SmppChannel<SmsorgMessage> {
  readonly #options: ResolvedSmsorgOptions;
  /** Active mode only: `query_sm` polling, whose final states become delivery reports. */
  readonly #poller: QueryPoller | undefined;
  /** Provider id → original sender of recent messages, for `query`; the oldest go first. */
  readonly #senders = new Map<string, SmppAddress>();

  constructor(
    @inject(TOKENS.ChannelName) name: string,
    @inject(TOKENS.ChannelOptions) options: ResolvedSmsorgOptions,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super({
      name,
      kind: 'smsorg',
      capabilities: {
        kinds: ['sms'],
        receipts: options.receipts.mode !== 'none',
        // deliver_sm (receipts, MO) reaches a bind_transceiver session only.
        inbound: options.bindMode === 'transceiver',
      },
      connection: toConnectionOptions(options),
      statusTable: statusTableWith(options.throttlePauseMs),
      // data_coding 0x01 (ASCII) or 0x08 (UCS2); long texts with a UDH (esm_class 0x40).
      encoding: SMSORG_ENCODING,
      receiptUtcOffsetMinutes: options.receiptUtcOffsetMinutes,
      clock,
      logger,
    });
    this.#options = options;
    const receipts = options.receipts;
    if (receipts.mode === 'active') {
      this.#poller = new QueryPoller({
        intervalMs: receipts.intervalMs,
        maxAttempts: receipts.maxAttempts,
        maxDurationMs: receipts.maxDurationMs,
        clock,
        logger,
        channel: name,
        query: (id, source) => this.queryMessage(id, source),
        publish: (report) => this.publishReport(report),
      });
    }
  }

  protected override validateMessage(message: SmsorgMessage): void {
    if (typeof message.text !== 'string' || message.text === '') {
      throw invalid(
        'text',
        'must be a non-empty string: smsorg sends SMS text (put the code in it, e.g. "Your code: {code}")',
      );
    }
    if (!isInternationalNumber(message.to)) throw invalid('to', recipientRule);
    if (message.from === undefined && this.#options.sender === undefined) {
      throw invalid('from', 'is required: the channel has no default "sender"');
    }
    if (message.from !== undefined && senderKind(message.from) === undefined) throw invalid('from', senderRule);
  }

  protected override toSubmit(message: SmsorgMessage, _context: SendContext | undefined): SubmitPlan {
    return {
      text: message.text,
      source: this.#source(message),
      destination: destinationAddress(message.to),
      fields: {
        esm_class: 0x00,
        // Passive mode: the server sends a deliver_sm receipt once the message is final.
        registered_delivery: this.#options.receipts.mode === 'passive' ? 0x01 : 0x00,
        // The channel's default validity; a message's own `validitySeconds` wins.
        ...(message.validitySeconds === undefined && this.#options.validitySeconds !== undefined
          ? { validity_period: relativeSmppTime(this.#options.validitySeconds) }
          : {}),
      },
    };
  }

  override async send(message: SmsorgMessage, context: SendContext): Promise<SubmitResult> {
    const result = await super.send(message, context);
    const source = this.#source(message);
    const ids = (result.partIds ?? [result.providerMessageId]).filter((id) => id !== '');
    // query_sm names a message by its id and its original sender: remember the sender.
    for (const id of ids) this.#rememberSender(id, source);
    if (this.#poller === undefined) return result;
    // Without an id nothing can be polled (nor matched): the message ends at accepted.
    if (ids.length === 0) return result;
    // Active mode: no deliver_sm receipt was asked for; query_sm finds each part's final state.
    this.#poller.watch(ids, source);
    return { ...result, receiptExpected: true };
  }

  /**
   * `tidings.query('smsorg', id)`: `query_sm` with the message's original sender (remembered for
   * recent messages, else the channel's default sender), as smsorg requires.
   */
  override async query(providerMessageId: string): Promise<DeliveryReport> {
    const known = this.#senders.get(providerMessageId);
    const fallback = this.#options.sender;
    const source =
      known ?? (fallback === undefined ? undefined : senderAddress(fallback, this.#options.senderAddressing));
    const result = await this.queryMessage(providerMessageId, source);
    return {
      providerMessageId,
      state: result.state,
      errorCode: result.errorCode,
      extras: {
        source: 'query_sm',
        messageState: result.messageState,
        ...(result.finalDate === undefined ? {} : { finalDate: result.finalDate }),
      },
    };
  }

  #rememberSender(id: string, source: SmppAddress): void {
    this.#senders.set(id, source);
    if (this.#senders.size > rememberedSenders) {
      const oldest = this.#senders.keys().next().value;
      if (oldest !== undefined) this.#senders.delete(oldest);
    }
  }

  override stop(): Promise<void> {
    this.#poller?.stop();
    return super.stop();
  }

  #source(message: SmsorgMessage): SmppAddress {
    // validateMessage made sure one of them is set.
    return senderAddress(message.from ?? this.#options.sender ?? '', this.#options.senderAddressing);
  }
}
