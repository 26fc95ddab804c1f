import { Buffer } from 'node:buffer';
import { unsupportedCharacterError } from './unsupported-character.js';

/**
 * UCS2 as SMSCs use it today (data_coding 0x08): UTF-16BE, so characters outside the BMP (emoji)
 * travel as surrogate pairs of two code units.
 */

/** Index of the first lone surrogate (text that is not well-formed UTF-16), or -1. */
export function firstLoneSurrogate(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    if (unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
    }
    return index;
  }
  return -1;
}

/** Encodes `text` as UTF-16BE; throws TIDINGS_INVALID_MESSAGE on a lone surrogate (it would be garbage on the handset). */
export function encodeUcs2(text: string): Uint8Array {
  const broken = firstLoneSurrogate(text);
  if (broken >= 0) throw unsupportedCharacterError(text, broken, 'ucs2');
  const bytes = Buffer.from(text, 'utf16le');
  bytes.swap16();
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes UTF-16BE. Never throws: an odd trailing byte becomes U+FFFD. Lone surrogates are kept
 * as they are, because some handsets split a pair across the parts of a long message and joining
 * the decoded parts must restore the character.
 */
export function decodeUcs2(bytes: Uint8Array): string {
  const evenLength = bytes.byteLength & ~1;
  const swapped = Buffer.allocUnsafe(evenLength);
  for (let index = 0; index < evenLength; index += 2) {
    swapped[index] = bytes[index + 1] as number;
    swapped[index + 1] = bytes[index] as number;
  }
  const text = swapped.toString('utf16le');
  return evenLength === bytes.byteLength ? text : `${text}\ufffd`;
}
