import {
  type Clock,
  type DeliveryReport,
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
  type Receipt,
  SmppChannel,
  type SmppEncodingPolicy,
  type SubmitPlan,
} from '@tidings/transport-smpp';
import { inject, injectable } from 'inversify';
import { destinationAddress, sourceAddress } from './addressing.js';
import { DuplicateGuard } from './duplicate-guard.js';
import { smscErrorInfo } from './error-codes.js';
import { FloodGuard } from './flood-guard.js';
import type { SmscMessage } from './message.js';
import { validateSmscMessage } from './message-validation.js';
import { defaultValidity, type SmscResolvedOptions, toConnectionOptions } from './options.js';
import { readReceiptDetails, withReceiptDetails } from './receipt-details.js';
import { SmscErrorCode } from './smsc-error-code.js';
import { smscStatusTableWith } from './status-table.js';
import { smscVendorTlvs } from './vendor-tlvs.js';

/**
 * "data_coding = coding * 4": GSM is coding 0 (data_coding 0), ISO-8859-1 coding 1 (data_coding 4),
 * UCS2 coding 2 (data_coding 8). Without `ISO`, SMSC reads coding 1 as GSM, so Latin-1-only text
 * then goes as UCS2.
 */
function encodingOf(options: SmscResolvedOptions): SmppEncodingPolicy {
  return options.iso
    ? { allowed: ['gsm7', 'latin1', 'ucs2'], dataCodings: { gsm7: 0, latin1: 4, ucs2: 8 }, concatenation: 'udh8' }
    : { allowed: ['gsm7', 'ucs2'], dataCodings: { gsm7: 0, ucs2: 8 }, concatenation: 'udh8' };
}

/**
 * SMSC (smscentre.com / smsc.kz) over SMPP: one transceiver account sending SMS and the
 * provider's other kinds, with its receipts' vendor TLVs and client-side guards that mirror the
 * server's protections.
 */
@injectable()
export class SmscChannel extends SmppChannel<SmscMessage> {
  readonly #options: SmscResolvedOptions;
  readonly #validity: string;
  readonly #duplicates: DuplicateGuard | undefined;
  readonly #flood: FloodGuard | undefined;

  constructor(
    @inject(TOKENS.ChannelName) name: string,
    @inject(TOKENS.ChannelOptions) options: SmscResolvedOptions,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super({
      name,
      kind: 'smsc',
      capabilities: {
        kinds: ['sms', 'code', 'email', 'voice', 'messenger', 'lookup'],
        receipts: options.receipts,
        inbound: true,
      },
      connection: toConnectionOptions(options),
      clock,
      logger,
      statusTable: smscStatusTableWith(options.throttlePauseMs),
      vendorTlvs: smscVendorTlvs,
      encoding: encodingOf(options),
      // "All SMS parts must be transmitted to the server within a minute", else the operator rejects.
      ...(options.guards.partsWithinMs > 0 ? { partsWithinMs: options.guards.partsWithinMs } : {}),
    });
    this.#options = options;
    this.#validity = defaultValidity(options);
    const now = (): number => this.clock.now();
    const { duplicateWindowMs, flood } = options.guards;
    this.#duplicates = duplicateWindowMs > 0 ? new DuplicateGuard(duplicateWindowMs, now) : undefined;
    this.#flood = flood === false ? undefined : new FloodGuard(flood, now);
  }

  /** The throughput in force (SMS parts per second): lower after the provider's speed error, climbing back. */
  get currentRate(): number | undefined {
    return this.client.currentRate;
  }

  /**
   * A message's status on demand (`query_sm`, `tidings.query('smsc', id)`), with its `err` as a
   * typed reason in `smscReceipt(report).error`.
   */
  override async query(providerMessageId: string): Promise<DeliveryReport> {
    const report = await super.query(providerMessageId);
    const error = report.errorCode === undefined ? undefined : smscErrorInfo(report.errorCode);
    return error === undefined ? report : withReceiptDetails(report, { error });
  }

  protected override validateMessage(message: SmscMessage): void {
    validateSmscMessage(message);
  }

  protected toSubmit(message: SmscMessage, _context: SendContext | undefined): SubmitPlan {
    return {
      text: message.text,
      source: sourceAddress(message.from ?? this.#options.sender),
      destination: destinationAddress(message.to),
      fields: {
        // Without registered_delivery SMSC sends statuses to the account's HTTP handler instead.
        registered_delivery: this.#options.receipts ? 1 : 0,
        ...(message.validitySeconds === undefined ? { validity_period: this.#validity } : {}),
      },
    };
  }

  /**
   * Sends after the guards that mirror the server's protections: an identical request (same
   * recipient and text) within a minute is refused here, and more than 50 messages to one
   * subscriber less than 30 s apart are held or refused, instead of SMSC refusing or blocking them.
   */
  override async send(message: SmscMessage, context: SendContext): Promise<SubmitResult> {
    const recipient = destinationAddress(message.to).addr;
    const wait = this.#flood?.waitFor(recipient) ?? 0;
    if (wait > 0) throw this.#floodError(recipient, wait);
    const key = `${recipient}\u0000${message.text}`;
    const since = this.#duplicates?.claim(key, context.messageId);
    if (since !== undefined) throw this.#duplicateError(since);
    this.#flood?.record(recipient);
    try {
      const result = await super.send(message, context);
      this.#duplicates?.confirm(key, context.messageId);
      // By default SMSC gives every part of a long message the same id and sends one status for
      // the whole: one id to wait for. With SINGLE the ids differ, and each part has its status.
      const { partIds, ...whole } = result;
      return partIds !== undefined && new Set(partIds).size > 1 ? result : whole;
    } catch (error) {
      const failure = TidingsError.from(error);
      // The SMSC may hold an ambiguous attempt and would refuse a copy: keep the key for it.
      if (!failure.ambiguous) this.#duplicates?.release(key, context.messageId);
      throw failure;
    }
  }

  protected override toReport(receipt: Receipt, pdu: DeliverSm | DataSm): DeliveryReport | undefined {
    const report = super.toReport(receipt, pdu);
    return report === undefined ? undefined : withReceiptDetails(report, readReceiptDetails(receipt, pdu, this.tlvs));
  }

  #floodError(recipient: string, waitMs: number): TidingsError {
    const { flood } = this.#options.guards;
    const limits =
      flood === false ? '' : ` (more than ${flood.maxMessages} messages less than ${flood.minGapMs} ms apart)`;
    const hold = flood !== false && flood.action === 'hold';
    return new TidingsError(
      SmscErrorCode.Flood,
      `${this.owner}: too many messages to ${recipient}${limits}; SMSC would block it with err 251${hold ? `: holding it for ${waitMs} ms` : ''}`,
      {
        retry: hold ? RetryDecision.retry(waitMs) : RetryDecision.never(),
        channel: this.name,
        details: { guard: 'flood', waitMs },
      },
    );
  }

  #duplicateError(sinceMs: number): TidingsError {
    const windowMs = this.#options.guards.duplicateWindowMs;
    return new TidingsError(
      SmscErrorCode.DuplicateText,
      `${this.owner}: the same text went to this recipient ${sinceMs} ms ago; SMSC refuses an identical request within ${windowMs} ms, so it was not sent`,
      { retry: RetryDecision.never(), channel: this.name, details: { guard: 'duplicate', sinceMs, windowMs } },
    );
  }
}
