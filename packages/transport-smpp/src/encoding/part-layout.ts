import type { Alphabet } from './alphabet.js';
import { GSM7_ESCAPE } from './gsm7.js';

/**
 * How encoded text lays out into SMS parts: the size limits per alphabet and where each part
 * ends. Shared by the segmenter and the part counter so the two can never disagree.
 *
 * Sizes are in units: septets (gsm7, unpacked one per byte), bytes (ascii, latin1) or UTF-16
 * code units (ucs2, two bytes each).
 */

/** How a long text reaches the handset. */
export type Concatenation = 'udh8' | 'udh16' | 'sar' | 'payload' | 'none';

/** `message_payload` bytes allowed by default: the TLV's 16-bit length (SMPP 3.4 §5.3.2.32). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 65_535;

/** Bytes per unit in the encoded form. */
export function bytesPerUnit(alphabet: Alphabet): 1 | 2 {
  return alphabet === 'ucs2' ? 2 : 1;
}

/** Units one whole SMS carries: 140 octets of user data (160 septets, 70 UCS2 units). */
export function singlePartUnits(alphabet: Alphabet): number {
  switch (alphabet) {
    case 'gsm7':
    case 'ascii':
      return 160;
    case 'latin1':
      return 140;
    case 'ucs2':
      return 70;
  }
}

/**
 * Units one part of a concatenated message carries: 140 octets less the UDH (6 octets, 7 with a
 * 16-bit reference; 7 septets rounded up for gsm7). SAR parts get the same sizes as udh8 although
 * they carry no UDH: the SMSC turns SAR into UDH for the handset, which needs the room.
 */
export function multiPartUnits(alphabet: Alphabet, concatenation: Concatenation): number {
  const wide = concatenation === 'udh16';
  switch (alphabet) {
    case 'gsm7':
    case 'ascii':
      return wide ? 152 : 153;
    case 'latin1':
      return wide ? 133 : 134;
    case 'ucs2':
      return wide ? 66 : 67;
  }
}

/**
 * The unit index where the part starting at `start` ends (exclusive), at most `perPart` units
 * on. A part ends one unit early rather than split a GSM escape pair or a UTF-16 surrogate pair;
 * the encoders guarantee every 0x1B starts a pair and every high surrogate has its low half.
 */
export function partEnd(encoded: Uint8Array, alphabet: Alphabet, start: number, perPart: number): number {
  const unitCount = alphabet === 'ucs2' ? encoded.length >>> 1 : encoded.length;
  const end = start + perPart;
  if (end >= unitCount) return unitCount;
  if (alphabet === 'gsm7') return encoded[end - 1] === GSM7_ESCAPE ? end - 1 : end;
  if (alphabet === 'ucs2') return ((encoded[(end - 1) * 2] as number) & 0xfc) === 0xd8 ? end - 1 : end;
  return end;
}

export interface PartMeasure {
  readonly parts: number;
  /** Units in the last part (all of them for a single part). */
  readonly lastPartUnits: number;
}

/** Parts of at most `perPart` units that `encoded` splits into, by {@link partEnd}. */
export function measureParts(encoded: Uint8Array, alphabet: Alphabet, perPart: number): PartMeasure {
  const unitCount = alphabet === 'ucs2' ? encoded.length >>> 1 : encoded.length;
  let parts = 0;
  let start = 0;
  let lastPartUnits = 0;
  do {
    const end = partEnd(encoded, alphabet, start, perPart);
    lastPartUnits = end - start;
    start = end;
    parts++;
  } while (start < unitCount);
  return { parts, lastPartUnits };
}
