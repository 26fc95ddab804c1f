import {
  type Clock,
  type DeliveryReport,
  ErrorCode,
  type InboundMessage,
  type Logger,
  type SendContext,
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
  type TlvValue,
} from '@tidings/transport-smpp';
import { inject, injectable } from 'inversify';
import { recipientAddress, senderAddress } from './acme-address.js';
import { type AcmeMessage, acmeText, validateAcmeMessage } from './acme-message.js';
import { connectionOptions, type ResolvedAcmeOptions } from './acme-options.js';
import { acmeReceiptErrors, buildAcmeStatusTable } from './acme-statuses.js';
import { acmeTlvs } from './acme-tlvs.js';

/** GSM 03.38 or UCS2 only (Acme refuses Latin-1, `data_coding` 3), split with 8-bit UDH, at most 6 parts. */
export const acmeEncoding: SmppEncodingPolicy = Object.freeze({
  allowed: ['gsm7', 'ucs2'] as const,
  concatenation: 'udh8',
  maxParts: 6,
});

/** Flash SMS: the same alphabets with message class 0 (`data_coding` 0x10 GSM, 0x18 UCS2). */
const flashEncoding: SmppEncodingPolicy = Object.freeze({ dataCodings: { gsm7: 0x10, ucs2: 0x18 } });

/** `service_type` of Acme's OTP route. */
const otpServiceType = 'OTP';
/** Receipt dates are Central European Time without summer time (UTC+1). */
const receiptUtcOffsetMinutes = 60;
/** MO keywords Acme treats as an opt-out; it then refuses that number with `0x0403`. */
const optOutKeywords: ReadonlySet<string> = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE']);

/**
 * Acme SMS over SMPP, written only with the public API: the page's rules become `validateMessage`
 * (before anything is sent), `toSubmit` (what goes on the wire), `toReport` and `toInbound`
 * (what comes back). The base does the rest: sessions, window, rate, UDH, retries by status.
 */
@injectable()
export class AcmeChannel extends SmppChannel<AcmeMessage> {
  readonly #options: ResolvedAcmeOptions;

  constructor(
    @inject(TOKENS.ChannelName) name: string,
    @inject(TOKENS.ChannelOptions) options: ResolvedAcmeOptions,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super({
      name,
      kind: 'acme',
      capabilities: { kinds: ['sms', 'code'], receipts: options.receipts, inbound: true },
      connection: connectionOptions(options),
      clock,
      logger,
      statusTable: buildAcmeStatusTable(options),
      vendorTlvs: acmeTlvs,
      // submit_sm_resp gives the id in decimal; the receipt text writes it in hex.
      messageIds: { submit: 'decimal', receipt: 'hex' },
      encoding: acmeEncoding,
      receiptUtcOffsetMinutes,
    });
    this.#options = options;
  }

  protected override validateMessage(message: AcmeMessage): void {
    validateAcmeMessage(message);
  }

  protected toSubmit(message: AcmeMessage, _context: SendContext | undefined): SubmitPlan {
    const source = senderAddress(message.from ?? this.#options.sender);
    const destination = recipientAddress(message.to);
    // validate() ran first; this only guards a channel used without it.
    if (source === undefined || destination === undefined) {
      throw new TidingsError(ErrorCode.InvalidMessage, `${this.owner}: the sender or the recipient is invalid`, {
        details: { field: source === undefined ? 'from' : 'to' },
      });
    }
    return {
      text: acmeText(message),
      source: { addr: source.addr, ton: source.ton, npi: source.npi },
      destination,
      ...(message.code === undefined ? {} : { fields: { service_type: otpServiceType } }),
      ...(message.campaign === undefined ? {} : { tlvs: { acme_campaign: message.campaign } }),
      ...(message.flash === true ? { encoding: flashEncoding } : {}),
    };
  }

  /** Adds what Acme's receipts carry: the price, the campaign, and what an `err:` code means. */
  protected override toReport(receipt: Receipt, pdu: DeliverSm | DataSm): DeliveryReport | undefined {
    const report = super.toReport(receipt, pdu);
    if (report === undefined) return undefined;
    const extras: Record<string, unknown> = { ...report.extras };
    const price = receipt.tlvs.acme_price;
    if (typeof price === 'number') extras.priceMillicents = price;
    const campaign = receipt.tlvs.acme_campaign;
    if (typeof campaign === 'string' && campaign !== '') extras.campaign = campaign;
    const reason = acmeReceiptErrors.get(Number(receipt.errorCode));
    if (reason !== undefined && report.state !== 'delivered') extras.reason = reason;
    return { ...report, extras };
  }

  /** Replies to the two-way number; `STOP` and its kin are flagged, since Acme now refuses that number. */
  protected override toInbound(
    text: string,
    pdu: DeliverSm | DataSm,
    tlvs: Readonly<Record<string, TlvValue>>,
  ): InboundMessage | undefined {
    const inbound = super.toInbound(text, pdu, tlvs);
    if (inbound === undefined) return undefined;
    const optOut = optOutKeywords.has(text.trim().toUpperCase());
    return { ...inbound, extras: { ...inbound.extras, optOut } };
  }
}
