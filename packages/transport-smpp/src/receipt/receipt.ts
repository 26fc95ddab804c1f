import { Buffer } from 'node:buffer';
import type { DeliveryState } from '@tidings/core';
import { decodeUcs2 } from '../encoding/ucs2.js';
import { type DataSm, type DeliverSm, EsmClass } from '../pdu/pdu.js';
import type { TlvRegistry, TlvValue } from '../pdu/tlv-registry.js';
import { parseReceiptDate, parseReceiptText, type ReceiptTextFields } from './receipt-text.js';

/** A delivery receipt as the SMSC reported it, TLVs and text merged. */
export interface Receipt {
  /** The id the SMSC gave in `submit_sm_resp`, as the receipt writes it (see `canonicalMessageId`). */
  readonly messageId: string;
  /**
   * Where the id came from: the `receipted_message_id` TLV (written as in `submit_sm_resp`, by
   * the specification) or the text's `id:` (written however the SMSC likes, hex or decimal).
   */
  readonly messageIdSource: 'tlv' | 'text';
  readonly state: DeliveryState;
  /** The text's `stat:`, upper-cased, when the text has one. */
  readonly stat?: string;
  /** The text's `err:` as written, else the `network_error_code` TLV's error code. */
  readonly errorCode?: string | number;
  readonly networkErrorCode?: { readonly type: number; readonly code: number };
  readonly submittedAt?: number;
  readonly doneAt?: number;
  /** `sub:` and `dlvrd:`: parts submitted and delivered. */
  readonly submitted?: number;
  readonly delivered?: number;
  /** The text's `text:`, usually the first 20 characters of the message. */
  readonly text?: string;
  /** Every TLV of the PDU by registry name (unknown ones as `tlv_0x1403`). */
  readonly tlvs: Readonly<Record<string, unknown>>;
}

export interface ExtractReceiptOptions {
  /** The SMSC's offset from UTC for the text's dates, which carry no zone; default 0. */
  readonly utcOffsetMinutes?: number;
}

/** esm_class message type 1000 (bits 2–5): intermediate delivery notification. */
const INTERMEDIATE_NOTIFICATION = 0x20;
const UCS2 = 0x08;

/** `message_state` TLV values (SMPP 3.4 §5.2.28; 9 SKIPPED is SMPP 5.0: deliberately not delivered). */
const messageStates: readonly (DeliveryState | undefined)[] = [
  undefined,
  'enroute',
  'delivered',
  'expired',
  'deleted',
  'undelivered',
  'accepted',
  'unknown',
  'rejected',
  'undelivered',
];

/** `stat:` values: the Appendix B abbreviations plus spellings SMSCs use instead. */
const statStates: ReadonlyMap<string, DeliveryState> = new Map<string, DeliveryState>([
  ['DELIVRD', 'delivered'],
  ['DELIVERED', 'delivered'],
  ['EXPIRED', 'expired'],
  ['DELETED', 'deleted'],
  ['UNDELIV', 'undelivered'],
  ['UNDELIVERABLE', 'undelivered'],
  ['UNDELIVERED', 'undelivered'],
  ['ACCEPTD', 'accepted'],
  ['ACCEPTED', 'accepted'],
  ['UNKNOWN', 'unknown'],
  ['REJECTD', 'rejected'],
  ['REJECTED', 'rejected'],
  ['ENROUTE', 'enroute'],
  // Kept by the SMSC for a later attempt: not final.
  ['BUFFRED', 'enroute'],
  ['BUFFERED', 'enroute'],
  ['SKIPPED', 'undelivered'],
]);

/** The delivery state a `message_state` value means (TLV or `query_sm_resp`); undefined when out of range. */
export function deliveryStateOfMessageState(messageState: number): DeliveryState | undefined {
  return messageStates[messageState];
}

/** The delivery state a `stat:` value means; `unknown` for values no SMSC is known to send. */
export function statToDeliveryState(stat: string): DeliveryState {
  return statStates.get(stat.toUpperCase()) ?? 'unknown';
}

/**
 * Whether a `deliver_sm` / `data_sm` is a delivery receipt rather than a mobile-originated
 * message: esm_class says so (0x04 receipt, 0x20 intermediate notification), or it carries
 * `receipted_message_id` / `message_state`, or — with esm_class type 0, as EngageLab sends
 * them — its text has both `id:` and `stat:`.
 */
export function isReceipt(pdu: DeliverSm | DataSm, registry: TlvRegistry): boolean {
  const type = pdu.esm_class & EsmClass.messageTypeMask;
  if (type === EsmClass.deliveryReceipt || type === INTERMEDIATE_NOTIFICATION) return true;
  const tlvs = pdu.tlvs;
  if (
    tlvs !== undefined &&
    (registry.read(tlvs, 'receipted_message_id') !== undefined || registry.read(tlvs, 'message_state') !== undefined)
  ) {
    return true;
  }
  if (type !== 0) return false;
  // Text only (EngageLab): be strict, or a subscriber's "my id: 4471 stat: call me" is taken
  // for a receipt and lost as a message. The text starts with `id:` and `stat:` is a known value.
  const text = receiptText(pdu, registry);
  if (!/^\s*id:/i.test(text)) return false;
  const fields = parseReceiptText(text);
  return fields?.id !== undefined && fields.stat !== undefined && statStates.has(fields.stat.toUpperCase());
}

/**
 * The receipt in a PDU, TLVs preferred over the text (`receipted_message_id` over `id:`,
 * `message_state` over `stat:`). Undefined when neither gives a message id.
 */
export function extractReceipt(
  pdu: DeliverSm | DataSm,
  registry: TlvRegistry,
  options: ExtractReceiptOptions = {},
): Receipt | undefined {
  const tlvs = pdu.tlvs;
  const text = receiptText(pdu, registry);
  const fields: ReceiptTextFields | undefined = text === '' ? undefined : parseReceiptText(text);
  const tlvId = idFromTlv(registry.read(tlvs, 'receipted_message_id'));
  const messageId = tlvId ?? fields?.id?.trim();
  if (messageId === undefined || messageId === '') return undefined;

  const tlvState = registry.read(tlvs, 'message_state');
  const intermediate = (pdu.esm_class & EsmClass.messageTypeMask) === INTERMEDIATE_NOTIFICATION;
  const state =
    (typeof tlvState === 'number' ? deliveryStateOfMessageState(tlvState) : undefined) ??
    (fields?.stat === undefined ? (intermediate ? 'enroute' : 'unknown') : statToDeliveryState(fields.stat));
  const receipt: { -readonly [K in keyof Receipt]: Receipt[K] } = {
    messageId,
    messageIdSource: tlvId === undefined ? 'text' : 'tlv',
    state,
    tlvs: registry.toRecord(tlvs),
  };

  const networkErrorCode = networkErrorFromTlv(registry.read(tlvs, 'network_error_code'));
  if (networkErrorCode !== undefined) receipt.networkErrorCode = networkErrorCode;
  const errorCode = fields?.err ?? networkErrorCode?.code;
  if (errorCode !== undefined) receipt.errorCode = errorCode;
  if (fields === undefined) return receipt;

  if (fields.stat !== undefined) receipt.stat = fields.stat;
  const offset = options.utcOffsetMinutes ?? 0;
  const submittedAt = fields.submitDate === undefined ? undefined : parseReceiptDate(fields.submitDate, offset);
  if (submittedAt !== undefined) receipt.submittedAt = submittedAt;
  const doneAt = fields.doneDate === undefined ? undefined : parseReceiptDate(fields.doneDate, offset);
  if (doneAt !== undefined) receipt.doneAt = doneAt;
  const submitted = count(fields.sub);
  if (submitted !== undefined) receipt.submitted = submitted;
  const delivered = count(fields.dlvrd);
  if (delivered !== undefined) receipt.delivered = delivered;
  if (fields.text !== undefined) receipt.text = fields.text;
  return receipt;
}

/**
 * The receipt text: `short_message`, or `message_payload` when that is empty. Read as Latin-1
 * whatever the data_coding says (receipt texts are ASCII, and SMSCs label them carelessly),
 * except UCS2-labelled text that really is UTF-16BE (every high byte 0), which some SMSCs send.
 */
function receiptText(pdu: DeliverSm | DataSm, registry: TlvRegistry): string {
  let bytes: Uint8Array | undefined = pdu.command === 'deliver_sm' ? pdu.short_message : undefined;
  if (bytes === undefined || bytes.length === 0) {
    const payload = registry.read(pdu.tlvs, 'message_payload');
    if (typeof payload === 'string') return payload;
    if (!(payload instanceof Uint8Array)) return '';
    bytes = payload;
  }
  if (pdu.data_coding === UCS2 && bytes.length % 2 === 0 && looksLikeUtf16(bytes)) {
    // Really UTF-16BE, maybe with a non-ASCII `text:` field.
    return decodeUcs2(bytes);
  }
  if (pdu.data_coding === UCS2 && isUcs2Ascii(bytes)) {
    let text = '';
    for (let i = 1; i < bytes.length; i += 2) text += String.fromCharCode(bytes[i] as number);
    return text;
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** UTF-16BE of a receipt text starts with `id:` or `stat`-like ASCII: a zero high byte first. */
function looksLikeUtf16(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0 && bytes[2] === 0 && (bytes[1] as number) < 0x80;
}

function isUcs2Ascii(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.length % 2 !== 0) return false;
  for (let i = 0; i < bytes.length; i += 2) {
    if (bytes[i] !== 0 || (bytes[i + 1] as number) > 0x7f) return false;
  }
  return true;
}

/** `receipted_message_id` is a C-string; some SMSCs leave out its NUL, which leaves raw bytes. */
function idFromTlv(value: TlvValue | undefined): string | undefined {
  if (value === undefined || typeof value === 'number') return undefined;
  const text =
    typeof value === 'string'
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1').replaceAll('\0', '');
  const id = text.trim();
  return id === '' ? undefined : id;
}

/** `network_error_code`: network type (1 octet) + error code (2 octets). */
function networkErrorFromTlv(value: TlvValue | undefined): { type: number; code: number } | undefined {
  if (!(value instanceof Uint8Array) || value.length !== 3) return undefined;
  return { type: value[0] as number, code: ((value[1] as number) << 8) | (value[2] as number) };
}

function count(value: string | undefined): number | undefined {
  if (value === undefined || value.length > 9) return undefined;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return undefined;
  }
  return Number(value);
}
