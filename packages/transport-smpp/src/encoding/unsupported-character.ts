import { ErrorCode, TidingsError } from '@tidings/core';
import type { Alphabet } from './alphabet.js';

const alphabetNames: Readonly<Record<Alphabet, string>> = {
  gsm7: 'the GSM 03.38 7-bit alphabet (gsm7)',
  ascii: 'IA5/ASCII (ascii)',
  latin1: 'Latin-1 (latin1)',
  ucs2: 'UCS2 (ucs2)',
};

/**
 * The error for a character an alphabet cannot carry. Names the character as it reads (a whole
 * emoji, not half of it), its code point and its UTF-16 index, so the sender can find and fix it.
 */
export function unsupportedCharacterError(text: string, index: number, alphabet: Alphabet): TidingsError {
  const codePoint = text.codePointAt(index) ?? 0;
  const isLoneSurrogate = codePoint >= 0xd800 && codePoint <= 0xdfff;
  const shown = isLoneSurrogate ? 'a lone UTF-16 surrogate' : `"${String.fromCodePoint(codePoint)}"`;
  const hex = codePoint.toString(16).toUpperCase().padStart(4, '0');
  const advice = isLoneSurrogate
    ? 'the text is not well-formed UTF-16; repair or remove the broken character'
    : 'remove the character or use an alphabet that has it (ucs2 carries any well-formed text)';
  return new TidingsError(
    ErrorCode.InvalidMessage,
    `Character ${shown} (U+${hex}) at index ${index} cannot be encoded in ${alphabetNames[alphabet]}: ${advice}.`,
    { details: { index, codePoint, alphabet } },
  );
}
