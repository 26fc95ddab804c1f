import { type Alphabet, chooseAlphabet, dataCodingOf } from './alphabet.js';
import {
  bytesPerUnit,
  type Concatenation,
  DEFAULT_MAX_PAYLOAD_BYTES,
  measureParts,
  multiPartUnits,
  singlePartUnits,
} from './part-layout.js';
import { encodeText } from './text-codec.js';

export interface CountPartsOptions {
  /** Pin the alphabet; the text must fit it. */
  readonly alphabet?: Alphabet | undefined;
  /** The alphabets the channel may use; all by default. */
  readonly allowed?: readonly Alphabet[] | undefined;
  /** Default 'udh8'. With 'none' a long text is counted as if concatenated (segmentText refuses it). */
  readonly concatenation?: Concatenation | undefined;
  /** For 'payload': the most `message_payload` bytes the provider takes; default 65535. */
  readonly maxPayloadBytes?: number | undefined;
}

export interface PartCount {
  readonly alphabet: Alphabet;
  readonly dataCoding: number;
  /** Length of the text in its alphabet: septets (gsm7), bytes (ascii, latin1) or UTF-16 code units (ucs2). */
  readonly units: number;
  /** SMS the text costs; always 1 with 'payload'. */
  readonly parts: number;
  /** Units one part holds: the single-SMS size when the text fits one, else the concatenated size. */
  readonly perPart: number;
  /** Units left in the last part before one more part is needed. */
  readonly remainingInPart: number;
}

/**
 * What a host shows as "this text costs N SMS, M characters left". Agrees exactly with
 * segmentText's part count, because both lay the same encoded bytes out the same way.
 * Throws TIDINGS_INVALID_MESSAGE when no usable alphabet carries the text.
 */
export function countParts(text: string, options: CountPartsOptions = {}): PartCount {
  const alphabet = chooseAlphabet(text, { allowed: options.allowed, pinned: options.alphabet });
  const dataCoding = dataCodingOf(alphabet);
  const encoded = encodeText(text, alphabet);
  const unitSize = bytesPerUnit(alphabet);
  const units = encoded.length / unitSize;
  const concatenation = options.concatenation ?? 'udh8';

  if (concatenation === 'payload') {
    const perPart = Math.floor((options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES) / unitSize);
    return { alphabet, dataCoding, units, parts: 1, perPart, remainingInPart: Math.max(0, perPart - units) };
  }
  const singleUnits = singlePartUnits(alphabet);
  if (units <= singleUnits) {
    return { alphabet, dataCoding, units, parts: 1, perPart: singleUnits, remainingInPart: singleUnits - units };
  }
  const perPart = multiPartUnits(alphabet, concatenation);
  const { parts, lastPartUnits } = measureParts(encoded, alphabet, perPart);
  return { alphabet, dataCoding, units, parts, perPart, remainingInPart: perPart - lastPartUnits };
}
