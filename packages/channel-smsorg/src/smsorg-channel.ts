import {
  type Clock,
  ErrorCode,
  type Logger,
  type SendContext,
  type SubmitResult,
  TidingsError,
  TOKENS,
} from '@tidings/core';
import { type SmppAddress, SmppChannel, type SubmitPlan } from '@tidings/transport-smpp';
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
import { smsorgStatusTable } from './smsorg-status-table.js';

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
      statusTable: smsorgStatusTable,
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
      throw invalid('text', 'must be a non-empty string: smsorg sends SMS text (put a code in the text)');
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
      },
    };
  }

  override async send(message: SmsorgMessage, context: SendContext): Promise<SubmitResult> {
    const result = await super.send(message, context);
    if (this.#poller === undefined) return result;
    // Active mode: no deliver_sm receipt was asked for; query_sm finds each part's final state.
    this.#poller.watch(result.partIds ?? [result.providerMessageId], this.#source(message));
    return { ...result, receiptExpected: true };
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
