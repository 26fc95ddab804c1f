import { Buffer } from 'node:buffer';
import { unsupportedCharacterError } from './unsupported-character.js';

/** IA5 / ASCII (data_coding 0x01): 7-bit characters, one per byte. */

/** Index of the first character ASCII lacks, or -1 when the whole text fits. */
export function firstNonAscii(text: string): number {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) > 0x7f) return index;
  }
  return -1;
}

/** Encodes `text` as ASCII; throws TIDINGS_INVALID_MESSAGE naming the first character above U+007F. */
export function encodeAscii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0x7f) throw unsupportedCharacterError(text, index, 'ascii');
    bytes[index] = code;
  }
  return bytes;
}

/** Decodes ASCII bytes; the eighth bit is meaningless in IA5 and is dropped, so it never throws. */
export function decodeAscii(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('ascii');
}
