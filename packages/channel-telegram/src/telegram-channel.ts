import {
  type Clock,
  type DeliveryReport,
  ErrorCode,
  type Logger,
  RetryDecision,
  type SendContext,
  type SubmitResult,
  TidingsError,
  TOKENS,
} from '@tidings/core';
import {
  type DataSm,
  type DeliverSm,
  type MessageQueryResult,
  type Receipt,
  SmppChannel,
  type SubmitPlan,
} from '@tidings/transport-smpp';
import { inject, injectable } from 'inversify';
import { renderText } from './code-text.js';
import { validityPeriod } from './lifetime.js';
import { ptagOf, ptagTlv } from './ptag.js';
import { QueueFullStreak } from './queue-full-streak.js';
import { RecentReceipts } from './recent-receipts.js';
import { recipientAddress } from './recipient.js';
import { type TelegramMessage, validateTelegramMessage } from './telegram-message.js';
import { connectionOptions, type ResolvedTelegramOptions } from './telegram-options.js';
import { buildTelegramStatusTable, maxQueueFullInARow, telegramStatuses } from './telegram-statuses.js';
import { maxPayloadOctets, maxShortMessageOctets } from './text-limits.js';

const queueFullStatus = 0x14;
const rememberedReceipts = 10_000;
// An alphanumeric sender: the service name.
const senderTon = 5;
const senderNpi = 0;

/**
 * Telegram Gateway authorization codes over SMPP: validates codes and recipients before sending,
 * sends UCS2 (or GSM) text in one PDU with the agreed service name and lifetime, the `ptag` TLV,
 * and maps the provider's statuses to retry decisions.
 */
@injectable()
export class TelegramChannel extends SmppChannel<TelegramMessage> {
  readonly #options: ResolvedTelegramOptions;
  readonly #queueFull = new QueueFullStreak(maxQueueFullInARow);
  readonly #receipts = new RecentReceipts(rememberedReceipts);

  constructor(
    @inject(TOKENS.ChannelName) name: string,
    @inject(TOKENS.ChannelOptions) options: ResolvedTelegramOptions,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super({
      name,
      kind: 'telegram',
      // The service sends codes and reports their delivery; it has no incoming messages.
      capabilities: { kinds: ['code'], receipts: options.receipts, inbound: false },
      connection: connectionOptions(options),
      clock,
      logger,
      statusTable: buildTelegramStatusTable(options.throttlePauseMs),
      vendorTlvs: [ptagTlv],
      encoding: {
        // UCS2 is what the page recommends; gsm7 and ascii are data_coding 0, as the account is set.
        pinned: options.encoding,
        dataCodings: { ascii: 0 },
        defaultAlphabet: options.encoding === 'ascii' ? 'ascii' : 'gsm7',
        concatenation: options.concatenation === 'udh' ? 'udh8' : 'payload',
        maxShortMessageBytes: maxShortMessageOctets,
        maxPayloadBytes: maxPayloadOctets,
      },
    });
    this.#options = options;
  }

  override async start(): Promise<void> {
    if (this.#options.maxPerSecond === undefined) {
      // Without the agreed rate the channel cannot resume "below the limit" after 0x58, as the page asks.
      this.logger.warn(
        'option "maxPerSecond" is not set: after 0x58 (rate limit exceeded) the channel resumes at full speed; set it to the rate agreed with the provider',
        { channel: this.name },
      );
    }
    await super.start();
  }

  protected override validateMessage(message: TelegramMessage): void {
    validateTelegramMessage(message, { priorityEnabled: this.#options.priority !== undefined });
  }

  protected toSubmit(message: TelegramMessage, _context: SendContext | undefined): SubmitPlan {
    const text = renderText(message.code, message.text);
    const ptag = this.#options.sendPtag ? message.ptag : undefined;
    return {
      text,
      source: { addr: message.from ?? this.#options.sender, ton: senderTon, npi: senderNpi },
      destination: recipientAddress(message.to),
      fields: {
        validity_period: validityPeriod(message.validitySeconds ?? this.#options.validitySeconds),
        priority_flag: message.priority ?? this.#options.priority ?? 0,
      },
      ...(ptag === undefined ? {} : { tlvs: { ptag } }),
    };
  }

  override async send(message: TelegramMessage, context: SendContext): Promise<SubmitResult> {
    const round = this.#queueFull.round;
    try {
      const result = await super.send(message, context);
      this.#queueFull.accepted();
      return result;
    } catch (error) {
      throw this.#explain(TidingsError.from(error), round);
    }
  }

  /**
   * Telegram Gateway offers "sending codes, receiving delivery statuses" and no status query (it
   * answers `query_sm` with `generic_nack`): refused here, without touching the wire
   * (`tidings.query('telegram', id)` too).
   */
  override async query(_providerMessageId: string): Promise<DeliveryReport> {
    throw this.#queryUnsupported();
  }

  /** As {@link query}: `query_sm` is not supported by this channel. */
  override async queryMessage(_providerMessageId: string): Promise<MessageQueryResult> {
    throw this.#queryUnsupported();
  }

  #queryUnsupported(): TidingsError {
    return new TidingsError(
      ErrorCode.Unsupported,
      `${this.owner}: query_sm is not supported by this channel: delivery statuses arrive as receipts`,
      { retry: RetryDecision.never(), channel: this.name, details: { command: 'query_sm' } },
    );
  }

  /** Adds the provider's meaning and advice to a refusal; stops retrying a queue that stays full. */
  #explain(error: TidingsError, round: number): TidingsError {
    const status = error.providerStatus;
    const info =
      typeof status === 'number' && error.details?.command === 'submit_sm' ? telegramStatuses.get(status) : undefined;
    if (info === undefined) return error;
    const details = { ...error.details, meaning: info.meaning, action: info.action };
    if (info.status !== queueFullStatus || !this.#queueFull.queueFull(round)) return error.with({ details });
    const inARow = this.#queueFull.inARow;
    this.logger.error("the provider's queue stays full: stopped retrying; contact its Technical Support", {
      channel: this.name,
      queueFullInARow: inARow,
    });
    return new TidingsError(
      ErrorCode.RetriesExhausted,
      `${this.owner}: the provider answered 0x14 (queue full) ${inARow} times in a row; stopped retrying: contact the provider's Technical Support`,
      {
        retry: RetryDecision.never(),
        providerStatus: queueFullStatus,
        channel: this.name,
        details: { ...details, escalate: true, queueFullInARow: inARow },
        cause: error,
      },
    );
  }

  /** A receipt once per message and state (the provider re-sends unanswered ones), with its `ptag`. */
  protected override toReport(receipt: Receipt, pdu: DeliverSm | DataSm): DeliveryReport | undefined {
    const report = super.toReport(receipt, pdu);
    if (report === undefined) return undefined;
    if (!this.#receipts.firstTime(report.providerMessageId, report.state)) {
      this.logger.debug('repeated delivery receipt ignored', { channel: this.name, state: report.state });
      return undefined;
    }
    const ptag = ptagOf(receipt.tlvs.ptag);
    return ptag === undefined ? report : { ...report, extras: { ...report.extras, ptag } };
  }
}
