import { alphabetOfDataCoding, firstUnsupported } from '../encoding/alphabet.js';
import { encodeText } from '../encoding/text-codec.js';
import type { DataSm, DeliverSm, ShortMessageFields, SubmitSm, Tlv } from '../pdu/pdu.js';
import { EsmClass } from '../pdu/pdu.js';
import type { TlvRegistry } from '../pdu/tlv-registry.js';
import { formatReceiptText, type ReceiptTextFormatOptions } from '../receipt/receipt-text.js';
import { convertMessageId, type ReceiptIdFormat } from './message-ids.js';
import { messageStateOf, type ReceiptStat, type StoredMessage } from './message-ledger.js';

/** A message request the simulator accepts. */
export type SubmitRequest = SubmitSm | DataSm;

/** How the receipt text is written: the Appendix B layout and the variants seen in the wild. */
export interface ReceiptTextVariant extends ReceiptTextFormatOptions {
  /** Fields some SMSCs add (`mccmnc`, `cost`), written before `text:`. */
  readonly extraFields?: Readonly<Record<string, string>>;
}

/** How the simulator sends delivery receipts; every field is optional. */
export interface ReceiptOptions {
  /** From the submit to the receipt. Default 0: right after the `submit_sm_resp`. */
  readonly delayMs?: number;
  /** The final `stat`, or a function of the submit. Default `DELIVRD`. */
  readonly stat?: ReceiptStat | ((submit: SubmitRequest) => ReceiptStat);
  /** The `err` field (a number is written as three digits) and `network_error_code`. Default 0. */
  readonly err?: number | string;
  /** Send the receipt before the `submit_sm_resp` (providers do under load). */
  readonly early?: boolean;
  /** Send the receipt twice (providers re-send unacknowledged receipts). */
  readonly duplicate?: boolean;
  /** The id as the receipt text writes it (`id:`). Default `same`. */
  readonly idFormat?: ReceiptIdFormat;
  /**
   * The id in `receipted_message_id`. Default `same`: as in `submit_sm_resp`, as SMPP says;
   * set it to mimic an SMSC that converts that one too.
   */
  readonly tlvIdFormat?: ReceiptIdFormat;
  /** Default 0x04 (SMSC delivery receipt); EngageLab sends 0. */
  readonly esmClass?: number;
  /** Add `receipted_message_id`, `message_state` (and `network_error_code` when err ≠ 0). Default true. */
  readonly withTlvs?: boolean;
  readonly textVariant?: ReceiptTextVariant;
  /** The `text:` field. Default: the first 20 characters of the message. */
  readonly text?: string;
  /** Of the receipt text: 0 (default), 1, 3, or 8 for UCS2. */
  readonly dataCoding?: number;
  /** More TLVs on the receipt (vendor TLVs such as a cost or an echoed `ptag`). */
  readonly tlvs?: readonly Tlv[];
  /** Mandatory fields to override (EngageLab: empty `source_addr`, `service_type` `MSG`). */
  readonly fields?: Partial<Omit<ShortMessageFields, 'short_message' | 'esm_class' | 'data_coding'>>;
}

/** The fields of the original message a receipt echoes. */
export interface ReceiptSubject {
  readonly message: StoredMessage;
  readonly sourceAddrTon: number;
  readonly sourceAddrNpi: number;
  readonly destAddrTon: number;
  readonly destAddrNpi: number;
  /** The message text, for the `text:` field. */
  readonly text: string;
}

const MAX_SHORT_MESSAGE = 254;
// GSM 03.40 network type "GSM" for network_error_code.
const NETWORK_TYPE_GSM = 3;

/** The stat a receipt reports for `submit`. */
export function resolveStat(options: ReceiptOptions, submit: SubmitRequest): ReceiptStat {
  const stat = options.stat ?? 'DELIVRD';
  return typeof stat === 'function' ? stat(submit) : stat;
}

/** Whether `registered_delivery` asks for a receipt with this outcome (bits 0-1: 1 always, 2 on failure). */
export function receiptRequested(registeredDelivery: number, stat: ReceiptStat): boolean {
  const wanted = registeredDelivery & 0x03;
  return wanted === 1 || (wanted === 2 && stat !== 'DELIVRD');
}

/** Builds the receipt `deliver_sm` of a message. */
export function buildReceipt(
  subject: ReceiptSubject,
  options: ReceiptOptions,
  registry: TlvRegistry,
  sequenceNumber: number,
): DeliverSm {
  const { message } = subject;
  const id = convertMessageId(message.messageId, options.idFormat ?? 'same');
  const variant = options.textVariant ?? {};
  let text = formatReceiptText(
    {
      id,
      submitDate: message.submittedAt,
      doneDate: message.doneAt,
      stat: message.stat,
      err: message.err,
      text: options.text ?? firstCharacters(subject.text, 20),
    },
    variant,
  );
  if (variant.extraFields !== undefined) text = withExtraFields(text, variant.extraFields, variant.textLabel ?? 'text');

  const dataCoding = options.dataCoding ?? 0;
  const encoded = encodeLeniently(text, dataCoding);
  const tlvs: Tlv[] = [];
  if (options.withTlvs ?? true) {
    // SMPP writes receipted_message_id as submit_sm_resp gave it; only the text varies by SMSC.
    tlvs.push(
      registry.encode('receipted_message_id', convertMessageId(message.messageId, options.tlvIdFormat ?? 'same')),
    );
    tlvs.push(registry.encode('message_state', messageStateOf(message.stat)));
    const err = typeof message.err === 'number' ? message.err : Number.parseInt(message.err, 10);
    if (Number.isFinite(err) && err !== 0) {
      tlvs.push(registry.encode('network_error_code', Uint8Array.of(NETWORK_TYPE_GSM, (err >> 8) & 0xff, err & 0xff)));
    }
  }
  // A long variant text (extra fields, UCS2) does not fit short_message: SMPP says message_payload.
  const inPayload = encoded.length > MAX_SHORT_MESSAGE;
  if (inPayload) tlvs.push(registry.encode('message_payload', encoded));
  if (options.tlvs !== undefined) tlvs.push(...options.tlvs);

  return {
    command: 'deliver_sm',
    command_status: 0,
    sequence_number: sequenceNumber,
    service_type: '',
    // The receipt travels back: from the message's recipient to its sender.
    source_addr_ton: subject.destAddrTon,
    source_addr_npi: subject.destAddrNpi,
    source_addr: message.destinationAddr,
    dest_addr_ton: subject.sourceAddrTon,
    dest_addr_npi: subject.sourceAddrNpi,
    destination_addr: message.sourceAddr,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: 0,
    replace_if_present_flag: 0,
    sm_default_msg_id: 0,
    ...options.fields,
    esm_class: options.esmClass ?? EsmClass.deliveryReceipt,
    data_coding: dataCoding,
    short_message: inPayload ? new Uint8Array(0) : encoded,
    tlvs,
  };
}

/** At most `count` characters, never ending inside a surrogate pair. */
function firstCharacters(text: string, count: number): string {
  if (text.length <= count) return text;
  const last = text.charCodeAt(count - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? count - 1 : count);
}

function withExtraFields(text: string, extra: Readonly<Record<string, string>>, textLabel: string): string {
  const fields = Object.entries(extra)
    .map(([label, value]) => `${label}:${value}`)
    .join(' ');
  const at = text.lastIndexOf(` ${textLabel}:`);
  return at < 0 ? `${text} ${fields}` : `${text.slice(0, at)} ${fields}${text.slice(at)}`;
}

/** Encodes the receipt text in the alphabet of `dataCoding`, writing `?` for what it lacks. */
function encodeLeniently(text: string, dataCoding: number): Uint8Array {
  const alphabet = alphabetOfDataCoding(dataCoding) ?? 'latin1';
  let safe = text;
  for (let at = firstUnsupported(safe, alphabet); at >= 0; at = firstUnsupported(safe, alphabet)) {
    safe = `${safe.slice(0, at)}?${safe.slice(at + 1)}`;
  }
  return encodeText(safe, alphabet);
}
