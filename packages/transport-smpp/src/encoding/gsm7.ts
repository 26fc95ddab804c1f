import { unsupportedCharacterError } from './unsupported-character.js';

/**
 * GSM 03.38 default alphabet, UNPACKED: one septet per octet, as SMPP carries it with
 * data_coding 0. Extension characters are the escape septet 0x1B followed by their code.
 */

/** The escape septet that introduces an extension-table character. */
export const GSM7_ESCAPE = 0x1b;

// Index = septet. 0x1B is the escape; it decodes as a space when nothing valid follows it.
const basicTable =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

const extensionTable: ReadonlyArray<readonly [septet: number, char: string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

const EURO = 0x20ac;
// Every GSM character except € sits below U+0400, so a small table covers the hot path.
const LOOKUP_SIZE = 0x400;
const EXTENDED = 0x100;
const NONE = -1;

/** char code → septet (basic), EXTENDED | septet (extension) or NONE. */
const encodeLookup = new Int16Array(LOOKUP_SIZE).fill(NONE);
/** septet → decoded string, for the basic and the extension table. */
const decodeBasic: string[] = [];
const decodeExtension: string[] = [];

for (let septet = 0; septet < 0x80; septet++) {
  const char = basicTable[septet] ?? ' ';
  decodeBasic.push(septet === GSM7_ESCAPE ? ' ' : char);
  if (septet !== GSM7_ESCAPE) encodeLookup[char.charCodeAt(0)] = septet;
}
// 03.38 §6.2.1.1: an escape followed by a code the extension table lacks shows the basic char.
decodeExtension.push(...decodeBasic);
for (const [septet, char] of extensionTable) {
  decodeExtension[septet] = char;
  if (char !== '€') encodeLookup[char.charCodeAt(0)] = EXTENDED | septet;
}
const EURO_SEPTET = 0x65;

/**
 * Septets needed for `text`, or `~index` (negative) of the first character GSM 7-bit lacks.
 * One scan shared by measuring and encoding.
 */
function measure(text: string): number {
  let septets = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < LOOKUP_SIZE) {
      const entry = encodeLookup[code] as number;
      if (entry === NONE) return ~index;
      septets += entry & EXTENDED ? 2 : 1;
    } else if (code === EURO) {
      septets += 2;
    } else {
      return ~index;
    }
  }
  return septets;
}

/** Septets `text` takes in GSM 7-bit (extension characters count 2), or undefined when it does not fit. */
export function gsm7Length(text: string): number | undefined {
  const septets = measure(text);
  return septets < 0 ? undefined : septets;
}

/** Index of the first character GSM 7-bit lacks, or -1 when the whole text fits. */
export function firstNonGsm7(text: string): number {
  const septets = measure(text);
  return septets < 0 ? ~septets : -1;
}

/** Encodes `text` as unpacked GSM 7-bit septets; throws TIDINGS_INVALID_MESSAGE naming the first unsupported character. */
export function encodeGsm7(text: string): Uint8Array {
  const septets = measure(text);
  if (septets < 0) throw unsupportedCharacterError(text, ~septets, 'gsm7');
  const bytes = new Uint8Array(septets);
  let offset = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const entry = code < LOOKUP_SIZE ? (encodeLookup[code] as number) : EXTENDED | EURO_SEPTET;
    if (entry & EXTENDED) {
      bytes[offset++] = GSM7_ESCAPE;
      bytes[offset++] = entry & 0x7f;
    } else {
      bytes[offset++] = entry;
    }
  }
  return bytes;
}

/**
 * Decodes unpacked septets. Never throws: the eighth bit is ignored, an unknown escape shows the
 * basic character (03.38 fallback), and an escape with nothing valid after it shows a space.
 */
export function decodeGsm7(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index++) {
    const septet = (bytes[index] as number) & 0x7f;
    if (septet !== GSM7_ESCAPE) {
      text += decodeBasic[septet];
      continue;
    }
    const next = index + 1 < bytes.length ? (bytes[index + 1] as number) & 0x7f : GSM7_ESCAPE;
    // 0x1B 0x1B is reserved for a further extension table: 03.38 says to show a space.
    if (next === GSM7_ESCAPE) {
      text += ' ';
      index++;
      continue;
    }
    text += decodeExtension[next];
    index++;
  }
  return text;
}
