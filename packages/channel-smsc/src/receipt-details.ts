import { Buffer } from 'node:buffer';
import type { DeliveryReport } from '@tidings/core';
import type { DataSm, DeliverSm, Receipt, TlvRegistry } from '@tidings/transport-smpp';
import { type SmscErrorInfo, smscErrorInfo } from './error-codes.js';
import { parseHlrResult, type SmscHlrResult } from './hlr-result.js';
import {
  decodeAdditionalStatus,
  decodeSmscFlags,
  parseCost,
  type SmscAdditionalStatus,
  type SmscMessageType,
  type SmscTemplateType,
} from './vendor-tlvs.js';

/** What an SMSC receipt says beyond the standard fields: its vendor TLVs, the `err` reason, an HLR result. */
export interface SmscReceiptDetails {
  /** 0x2000: the message's cost. */
  readonly cost?: number;
  /** 0x2001 bits 0-3. */
  readonly messageType?: SmscMessageType;
  /** 0x2001 bit 5: paid from the second balance. */
  readonly secondBalance?: boolean;
  /** 0x2001 bit 8. */
  readonly template?: boolean;
  /** 0x2001 bits 10..9, for a template message. */
  readonly templateType?: SmscTemplateType;
  /** 0x2002: SMS parts of the message. */
  readonly parts?: number;
  /** 0x2003: the subscriber's country and operator code. */
  readonly mccmnc?: string;
  /** 0x2004: read, or a link in it clicked. */
  readonly additionalStatus?: SmscAdditionalStatus;
  /** The status `err` as a typed reason (the e-mail table for e-mail messages). */
  readonly error?: SmscErrorInfo;
  /** The result of an HLR request. */
  readonly hlr?: SmscHlrResult;
}

/** Where the details sit in `DeliveryReport.extras`. */
const KEY = 'smsc';

/** Reads a receipt's SMSC details (the channel puts them on every report it emits). */
export function readReceiptDetails(receipt: Receipt, pdu: DeliverSm | DataSm, tlvs: TlvRegistry): SmscReceiptDetails {
  const details: { -readonly [K in keyof SmscReceiptDetails]: SmscReceiptDetails[K] } = {};
  const cost = tlvs.read(pdu.tlvs, 'smsc_cost');
  if (typeof cost === 'string') {
    const value = parseCost(cost);
    if (value !== undefined) details.cost = value;
  }
  const flags = tlvs.read(pdu.tlvs, 'smsc_flags');
  if (typeof flags === 'number') Object.assign(details, decodeSmscFlags(flags));
  const parts = tlvs.read(pdu.tlvs, 'smsc_parts');
  if (typeof parts === 'number') details.parts = parts;
  const mccmnc = tlvs.read(pdu.tlvs, 'smsc_mccmnc');
  if (typeof mccmnc === 'string' && mccmnc !== '') details.mccmnc = mccmnc;
  const status = tlvs.read(pdu.tlvs, 'smsc_status');
  if (typeof status === 'number') {
    const additional = decodeAdditionalStatus(status);
    if (additional !== undefined) details.additionalStatus = additional;
  }
  if (receipt.errorCode !== undefined) {
    const error = smscErrorInfo(receipt.errorCode, details.messageType === 'email' ? 'mail' : 'sms');
    if (error !== undefined) details.error = error;
  }
  const hlr = parseHlrResult(receiptText(pdu, tlvs));
  if (hlr !== undefined) details.hlr = hlr;
  return details;
}

/** The receipt text: ASCII in `short_message`, or in `message_payload` when that is empty. */
function receiptText(pdu: DeliverSm | DataSm, tlvs: TlvRegistry): string {
  const bytes =
    pdu.command === 'deliver_sm' && pdu.short_message.length > 0
      ? pdu.short_message
      : tlvs.read(pdu.tlvs, 'message_payload');
  if (typeof bytes === 'string') return bytes;
  if (!(bytes instanceof Uint8Array)) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** A report with the SMSC details added to its extras. */
export function withReceiptDetails(report: DeliveryReport, details: SmscReceiptDetails): DeliveryReport {
  return { ...report, extras: { ...report.extras, [KEY]: details } };
}

/**
 * The SMSC details of a delivery report, e.g. from a `delivered` or `undelivered` event:
 * `smscReceipt(event.report)?.cost`. Undefined for a report that did not come from this channel.
 */
export function smscReceipt(report: DeliveryReport): SmscReceiptDetails | undefined {
  const value = report.extras?.[KEY];
  return typeof value === 'object' && value !== null ? (value as SmscReceiptDetails) : undefined;
}
