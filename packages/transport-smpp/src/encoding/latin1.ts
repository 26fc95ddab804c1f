import { Buffer } from 'node:buffer';
import { unsupportedCharacterError } from './unsupported-character.js';

/** ISO-8859-1 (data_coding 0x03): one byte per character, U+0000..U+00FF. */

/** Index of the first character Latin-1 lacks, or -1 when the whole text fits. */
export function firstNonLatin1(text: string): number {
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) > 0xff) return index;
  }
  return -1;
}

/** Encodes `text` as Latin-1; throws TIDINGS_INVALID_MESSAGE naming the first character above U+00FF. */
export function encodeLatin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0xff) throw unsupportedCharacterError(text, index, 'latin1');
    bytes[index] = code;
  }
  return bytes;
}

/** Decodes Latin-1 bytes; every byte is a character, so it never throws. */
export function decodeLatin1(bytes: Uint8Array): string {
  // Buffer, not TextDecoder: WHATWG's 'latin1' label means windows-1252, which remaps 0x80-0x9F.
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
