import { ErrorCode, TidingsError } from '@tidings/core';
import { EsmClass } from '../pdu/pdu.js';
import { type Alphabet, chooseAlphabet, dataCodingOf } from './alphabet.js';
import {
  bytesPerUnit,
  type Concatenation,
  DEFAULT_MAX_PAYLOAD_BYTES,
  measureParts,
  multiPartUnits,
  partEnd,
  singlePartUnits,
} from './part-layout.js';
import { encodeText } from './text-codec.js';
import { CONCAT_UDH_LENGTH, writeConcatenationUdh } from './udh.js';

/** The total and sequence octets of UDH and SAR are one byte each. */
const MAX_PARTS = 255;

export interface SegmentOptions {
  /** Pin the alphabet; the text must fit it. Otherwise the cheapest allowed one is chosen. */
  readonly alphabet?: Alphabet;
  /** The alphabets the channel may use; all by default. */
  readonly allowed?: readonly Alphabet[];
  /** How a text longer than one SMS is sent. */
  readonly concatenation: Concatenation;
  /** The concatenation reference shared by all parts; its low 8 (udh8) or 16 bits are used. */
  readonly reference: number;
  /** Refuse texts needing more parts than this; 1..255, default 255. */
  readonly maxParts?: number;
  /** For 'payload': the most `message_payload` bytes the provider takes; default 65535. */
  readonly maxPayloadBytes?: number;
  /**
   * For 'payload': texts of at most this many octets go in `short_message` (one PDU, no UDH);
   * longer ones in `message_payload` with an empty `short_message`. 0..254; default 0 (always
   * `message_payload`).
   */
  readonly maxShortMessageBytes?: number;
}

/** One `submit_sm` worth of text. */
export interface Segment {
  /** The `short_message` octets: UDH (when present) then the encoded text. Empty with `messagePayload`. */
  readonly shortMessage: Uint8Array;
  /** Bits to OR into `esm_class`: 0x40 when `shortMessage` starts with a UDH, else 0. */
  readonly esmClassFlags: number;
  /** The SAR TLVs (sar_msg_ref_num, sar_total_segments, sar_segment_seqnum) for 'sar'. */
  readonly sar?: { readonly reference: number; readonly total: number; readonly sequence: number };
  /** The `message_payload` TLV value for 'payload': the whole encoded text. */
  readonly messagePayload?: Uint8Array;
}

export interface SegmentedText {
  readonly alphabet: Alphabet;
  readonly dataCoding: number;
  readonly parts: readonly Segment[];
}

/**
 * Encodes `text` and splits it into the `submit_sm` parts it needs. A text that fits one SMS is
 * one part with no UDH or SAR. Parts never split a GSM escape pair nor a surrogate pair.
 * Throws TIDINGS_INVALID_MESSAGE when the text does not fit the alphabet, needs several parts
 * with 'none', or needs more than `maxParts`; TIDINGS_INVALID_OPTIONS on a bad reference or limit.
 */
export function segmentText(text: string, options: SegmentOptions): SegmentedText {
  const { concatenation, reference } = options;
  const maxParts = options.maxParts ?? MAX_PARTS;
  checkOptions(reference, maxParts, options.maxPayloadBytes, options.maxShortMessageBytes);

  const alphabet = chooseAlphabet(text, { allowed: options.allowed, pinned: options.alphabet });
  const dataCoding = dataCodingOf(alphabet);
  const encoded = encodeText(text, alphabet);

  if (concatenation === 'payload') {
    const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    if (encoded.length > maxPayloadBytes) {
      throw new TidingsError(
        ErrorCode.InvalidMessage,
        `The text takes ${encoded.length} bytes in ${alphabet} but message_payload allows at most ${maxPayloadBytes}: shorten the text.`,
        { details: { bytes: encoded.length, maxPayloadBytes, alphabet } },
      );
    }
    if (encoded.length > 0 && encoded.length <= (options.maxShortMessageBytes ?? 0)) {
      return { alphabet, dataCoding, parts: [{ shortMessage: encoded, esmClassFlags: 0 }] };
    }
    return {
      alphabet,
      dataCoding,
      parts: [{ shortMessage: new Uint8Array(0), esmClassFlags: 0, messagePayload: encoded }],
    };
  }

  const unitSize = bytesPerUnit(alphabet);
  const units = encoded.length / unitSize;
  const singleUnits = singlePartUnits(alphabet);
  if (units <= singleUnits) {
    return { alphabet, dataCoding, parts: [{ shortMessage: encoded, esmClassFlags: 0 }] };
  }
  if (concatenation === 'none') {
    throw new TidingsError(
      ErrorCode.InvalidMessage,
      `The text takes ${units} ${unitName(alphabet)} in ${alphabet} but one SMS holds ${singleUnits} and concatenation is 'none': shorten the text or enable concatenation.`,
      { details: { units, limit: singleUnits, alphabet } },
    );
  }

  const perPart = multiPartUnits(alphabet, concatenation);
  const total = measureParts(encoded, alphabet, perPart).parts;
  if (total > maxParts) {
    throw new TidingsError(
      ErrorCode.InvalidMessage,
      `The text needs ${total} parts in ${alphabet} but at most ${maxParts} are allowed: shorten the text.`,
      { details: { parts: total, maxParts, alphabet } },
    );
  }

  const parts: Segment[] = new Array(total);
  let start = 0;
  for (let index = 0; index < total; index++) {
    const end = partEnd(encoded, alphabet, start, perPart);
    const body = encoded.subarray(start * unitSize, end * unitSize);
    parts[index] =
      concatenation === 'sar'
        ? { shortMessage: body, esmClassFlags: 0, sar: { reference: reference & 0xffff, total, sequence: index + 1 } }
        : udhPart(body, reference, total, index + 1, concatenation === 'udh16' ? 16 : 8);
    start = end;
  }
  return { alphabet, dataCoding, parts };
}

function udhPart(body: Uint8Array, reference: number, total: number, sequence: number, bits: 8 | 16): Segment {
  const shortMessage = new Uint8Array(CONCAT_UDH_LENGTH[bits] + body.length);
  const headerLength = writeConcatenationUdh(shortMessage, reference, total, sequence, bits);
  shortMessage.set(body, headerLength);
  return { shortMessage, esmClassFlags: EsmClass.udhi };
}

function unitName(alphabet: Alphabet): string {
  return alphabet === 'gsm7' ? 'septets' : alphabet === 'ucs2' ? 'UTF-16 code units' : 'bytes';
}

function checkOptions(
  reference: number,
  maxParts: number,
  maxPayloadBytes: number | undefined,
  maxShortMessageBytes: number | undefined,
): void {
  if (!Number.isInteger(reference) || reference < 0) {
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      `The concatenation reference must be a non-negative integer, got ${reference}.`,
    );
  }
  if (!Number.isInteger(maxParts) || maxParts < 1 || maxParts > MAX_PARTS) {
    throw new TidingsError(ErrorCode.InvalidOptions, `maxParts must be an integer from 1 to 255, got ${maxParts}.`);
  }
  if (maxPayloadBytes !== undefined && (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes < 0)) {
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      `maxPayloadBytes must be a non-negative integer, got ${maxPayloadBytes}.`,
    );
  }
  // short_message is at most 254 octets by SMPP 3.4 (its length is one octet, 255 reserved).
  if (
    maxShortMessageBytes !== undefined &&
    (!Number.isInteger(maxShortMessageBytes) || maxShortMessageBytes < 0 || maxShortMessageBytes > 254)
  ) {
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      `maxShortMessageBytes must be an integer from 0 to 254, got ${maxShortMessageBytes}.`,
    );
  }
}
