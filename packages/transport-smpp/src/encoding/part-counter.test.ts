import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countParts } from './part-counter.js';
import type { Concatenation } from './part-layout.js';
import { segmentText } from './segmenter.js';
import { decodeText } from './text-codec.js';
import { firstLoneSurrogate } from './ucs2.js';
import { parseUdh } from './udh.js';

describe('countParts', () => {
  it.each([
    ['160 gsm7', 'a'.repeat(160), 'gsm7', 160, 1, 160, 0],
    ['161 gsm7', 'a'.repeat(161), 'gsm7', 161, 2, 153, 145],
    ['306 gsm7', 'a'.repeat(306), 'gsm7', 306, 2, 153, 0],
    ['307 gsm7', 'a'.repeat(307), 'gsm7', 307, 3, 153, 152],
    ['80 euro signs', '€'.repeat(80), 'gsm7', 160, 1, 160, 0],
    ['140 latin1', 'ê'.repeat(140), 'latin1', 140, 1, 140, 0],
    ['141 latin1', 'ê'.repeat(141), 'latin1', 141, 2, 134, 127],
    ['70 ucs2', 'Ж'.repeat(70), 'ucs2', 70, 1, 70, 0],
    ['71 ucs2', 'Ж'.repeat(71), 'ucs2', 71, 2, 67, 63],
    // 33 emoji fill 66 units; the 34th would straddle unit 67, so part 2 holds 3 emoji (6 units).
    ['36 emoji', '😀'.repeat(36), 'ucs2', 72, 2, 67, 61],
    ['empty', '', 'gsm7', 0, 1, 160, 160],
  ])('%s costs what the issue table says', (_label, text, alphabet, units, parts, perPart, remainingInPart) => {
    expect(countParts(text)).toEqual({
      alphabet,
      dataCoding: { gsm7: 0, latin1: 3, ucs2: 8 }[alphabet],
      units,
      parts,
      perPart,
      remainingInPart,
    });
  });

  it('counts the part ended early by a moved escape pair', () => {
    // 152 'a' then '€': the pair moves to part 2, so part 1 holds 152 septets, part 2 holds 2 + 10.
    const count = countParts(`${'a'.repeat(152)}€${'b'.repeat(10)}`);
    expect(count.parts).toBe(2);
    expect(count.remainingInPart).toBe(153 - 12);
  });

  it('uses the udh16 sizes and the pinned or allowed alphabet', () => {
    expect(countParts('a'.repeat(305), { concatenation: 'udh16' })).toMatchObject({ parts: 3, perPart: 152 });
    expect(countParts('hello', { alphabet: 'ucs2' })).toMatchObject({ alphabet: 'ucs2', units: 5, perPart: 70 });
    expect(countParts('hello', { allowed: ['latin1'] })).toMatchObject({ alphabet: 'latin1', perPart: 140 });
  });

  it("counts 'payload' as one message", () => {
    expect(countParts('a'.repeat(1000), { concatenation: 'payload' })).toMatchObject({
      parts: 1,
      units: 1000,
      perPart: 65_535,
      remainingInPart: 64_535,
    });
  });
});

const gsmBasic = ['a', 'Z', '0', ' ', '@', '£', 'é', 'Ø', 'Δ', '\n'];
const gsmExtension = ['€', '{', '}', '^', '\\', '|', '[', '~'];
const latin1Only = ['ê', 'ç', 'û', '`', 'Ð', '\u00a0'];
const cyrillic = ['Ж', 'П', 'я', 'ё'];
const emoji = ['😀', '👋🏽', '🇰🇿', '𝄞'];

const textFrom = (pools: string[][]) =>
  fc.array(fc.constantFrom(...pools.flat()), { maxLength: 700, size: 'max' }).map((chars) => chars.join(''));

const texts = fc.oneof(
  textFrom([gsmBasic]),
  textFrom([gsmBasic, gsmExtension]),
  textFrom([gsmBasic, gsmExtension, latin1Only]),
  textFrom([gsmBasic, gsmExtension, latin1Only, cyrillic, emoji]),
  textFrom([gsmExtension, emoji]),
);

describe('countParts agrees with segmentText (property)', () => {
  it('same part count, parts within their limits, no split pairs, decoded parts join to the text', () => {
    fc.assert(
      fc.property(
        texts,
        fc.constantFrom<Concatenation>('udh8', 'udh16', 'sar'),
        fc.integer({ min: 0, max: 0xffff }),
        (text, concatenation, reference) => {
          const segmented = segmentText(text, { concatenation, reference });
          const counted = countParts(text, { concatenation });
          expect(segmented.parts.length).toBe(counted.parts);
          expect(segmented.alphabet).toBe(counted.alphabet);

          const unitSize = segmented.alphabet === 'ucs2' ? 2 : 1;
          let joined = '';
          for (const part of segmented.parts) {
            const udh = part.esmClassFlags & 0x40 ? parseUdh(part.shortMessage) : undefined;
            const body = udh?.payload ?? part.shortMessage;
            expect(body.length / unitSize).toBeLessThanOrEqual(counted.perPart);
            // Over the air: 140 octets of user data, the UDH included (gsm7 counts septets).
            const headerBytes = udh?.headerLength ?? 0;
            if (segmented.alphabet === 'gsm7') {
              expect(Math.ceil((headerBytes * 8) / 7) + body.length).toBeLessThanOrEqual(160);
              expect(body[body.length - 1]).not.toBe(0x1b);
            } else {
              expect(headerBytes + body.length).toBeLessThanOrEqual(140);
            }
            const partText = decodeText(body, segmented.dataCoding);
            expect(firstLoneSurrogate(partText)).toBe(-1);
            joined += partText;
          }
          expect(joined).toBe(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
