import { ErrorCode, TidingsError } from '@tidings/core';
import { firstNonAscii } from './ascii.js';
import { firstNonGsm7, gsm7Length } from './gsm7.js';
import { firstNonLatin1 } from './latin1.js';
import { firstLoneSurrogate } from './ucs2.js';
import { unsupportedCharacterError } from './unsupported-character.js';

/** The text alphabets a message can travel in. */
export type Alphabet = 'gsm7' | 'ascii' | 'latin1' | 'ucs2';

/** The alphabets that data_coding 0 (SMSC default) may stand for, as agreed with the provider. */
export type DefaultAlphabet = 'gsm7' | 'ascii' | 'latin1';

const ALL_ALPHABETS: readonly Alphabet[] = ['gsm7', 'ascii', 'latin1', 'ucs2'];

/** The SMPP `data_coding` for an alphabet. */
export function dataCodingOf(alphabet: Alphabet): number {
  switch (alphabet) {
    case 'gsm7':
      return 0x00;
    case 'ascii':
      return 0x01;
    case 'latin1':
      return 0x03;
    case 'ucs2':
      return 0x08;
  }
}

/**
 * The alphabet a `data_coding` names, or undefined for binary data and alphabets this codec does
 * not speak (JIS, Cyrillic, compressed text…). 0x00-0x0F follow SMPP 3.4 §5.2.19; the rest follow
 * the GSM 03.38 coding groups, whose "7-bit default" means GSM 7-bit, not the SMSC default.
 */
export function alphabetOfDataCoding(
  dataCoding: number,
  defaultAlphabet: DefaultAlphabet = 'gsm7',
): Alphabet | undefined {
  if (dataCoding < 0x10) {
    switch (dataCoding) {
      case 0x00:
        return defaultAlphabet;
      case 0x01:
        return 'ascii';
      case 0x03:
        return 'latin1';
      case 0x08:
        return 'ucs2';
      default:
        return undefined;
    }
  }
  // 00xx xxxx general group and 01xx xxxx automatic-deletion group: bit 5 = compressed, bits 3-2 = alphabet.
  if (dataCoding < 0x80) {
    if (dataCoding & 0x20) return undefined;
    return alphabetBits(dataCoding);
  }
  // 1100 and 1101: message waiting indication in GSM 7-bit; 1110: the same in UCS2.
  if (dataCoding >= 0xc0 && dataCoding < 0xe0) return 'gsm7';
  if (dataCoding >= 0xe0 && dataCoding < 0xf0) return 'ucs2';
  // 1111: data coding / message class; bit 2 set means 8-bit data.
  if (dataCoding >= 0xf0 && dataCoding <= 0xff) return dataCoding & 0x04 ? undefined : 'gsm7';
  return undefined;
}

function alphabetBits(dataCoding: number): Alphabet | undefined {
  switch (dataCoding & 0x0c) {
    case 0x00:
      return 'gsm7';
    case 0x08:
      return 'ucs2';
    default:
      return undefined;
  }
}

export interface ChooseAlphabetOptions {
  /** The alphabets the channel may use; all by default. */
  readonly allowed?: readonly Alphabet[] | undefined;
  /** Use this alphabet and no other; the text must fit it. */
  readonly pinned?: Alphabet | undefined;
}

/**
 * The cheapest alphabet that carries `text`: gsm7, then latin1, then ucs2. ascii is chosen only
 * when pinned, or when allowed and gsm7 is not (both give 160 characters, but gsm7 has more).
 * Throws TIDINGS_INVALID_MESSAGE when no usable alphabet carries the text.
 */
export function chooseAlphabet(text: string, options: ChooseAlphabetOptions = {}): Alphabet {
  const allowed = options.allowed ?? ALL_ALPHABETS;
  const pinned = options.pinned;
  if (pinned !== undefined) {
    if (!allowed.includes(pinned)) {
      throw new TidingsError(
        ErrorCode.InvalidMessage,
        `The message pins alphabet '${pinned}' but this channel allows only ${allowed.join(', ') || 'none'}: ` +
          'remove the pin or allow the alphabet on the channel.',
        { details: { pinned, allowed } },
      );
    }
    const broken = firstUnsupported(text, pinned);
    if (broken >= 0) throw unsupportedCharacterError(text, broken, pinned);
    return pinned;
  }
  if (allowed.length === 0) {
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      'No alphabet is allowed: allow at least one of gsm7, ascii, latin1, ucs2.',
    );
  }
  const gsm7Allowed = allowed.includes('gsm7');
  if (gsm7Allowed && gsm7Length(text) !== undefined) return 'gsm7';
  if (!gsm7Allowed && allowed.includes('ascii') && firstNonAscii(text) < 0) return 'ascii';
  if (allowed.includes('latin1') && firstNonLatin1(text) < 0) return 'latin1';
  if (allowed.includes('ucs2') && firstLoneSurrogate(text) < 0) return 'ucs2';
  // Blame the widest allowed alphabet: its first missing character is the one to fix.
  const widest = widestOf(allowed);
  throw unsupportedCharacterError(text, firstUnsupported(text, widest), widest);
}

/** Index of the first character `alphabet` cannot carry, or -1 when the text fits. */
export function firstUnsupported(text: string, alphabet: Alphabet): number {
  switch (alphabet) {
    case 'gsm7':
      return firstNonGsm7(text);
    case 'ascii':
      return firstNonAscii(text);
    case 'latin1':
      return firstNonLatin1(text);
    case 'ucs2':
      return firstLoneSurrogate(text);
  }
}

function widestOf(allowed: readonly Alphabet[]): Alphabet {
  if (allowed.includes('ucs2')) return 'ucs2';
  if (allowed.includes('latin1')) return 'latin1';
  if (allowed.includes('gsm7')) return 'gsm7';
  return 'ascii';
}
