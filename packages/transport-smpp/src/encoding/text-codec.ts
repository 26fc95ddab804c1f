import { type Alphabet, alphabetOfDataCoding, type DefaultAlphabet } from './alphabet.js';
import { decodeAscii, encodeAscii } from './ascii.js';
import { decodeGsm7, encodeGsm7 } from './gsm7.js';
import { decodeLatin1, encodeLatin1 } from './latin1.js';
import { decodeUcs2, encodeUcs2 } from './ucs2.js';

/** Encodes `text` in `alphabet`; throws TIDINGS_INVALID_MESSAGE naming the first character it lacks. */
export function encodeText(text: string, alphabet: Alphabet): Uint8Array {
  switch (alphabet) {
    case 'gsm7':
      return encodeGsm7(text);
    case 'ascii':
      return encodeAscii(text);
    case 'latin1':
      return encodeLatin1(text);
    case 'ucs2':
      return encodeUcs2(text);
  }
}

export interface DecodeTextOptions {
  /** What data_coding 0 (SMSC default) means with this provider; gsm7 unless agreed otherwise. */
  readonly defaultAlphabet?: DefaultAlphabet;
}

/**
 * Decodes `short_message` / `message_payload` bytes (without UDH) by their data_coding. Never
 * throws: an unknown or binary data_coding is read as Latin-1, the best effort that keeps every byte.
 */
export function decodeText(bytes: Uint8Array, dataCoding: number, options: DecodeTextOptions = {}): string {
  switch (alphabetOfDataCoding(dataCoding, options.defaultAlphabet)) {
    case 'gsm7':
      return decodeGsm7(bytes);
    case 'ascii':
      return decodeAscii(bytes);
    case 'ucs2':
      return decodeUcs2(bytes);
    default:
      return decodeLatin1(bytes);
  }
}
