import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCode, maxCodeLength, minCodeLength, typedCode } from './code-generator.js';

describe('generateCode', () => {
  it('makes `length` decimal digits for every length from 4 to 10', () => {
    fc.assert(
      fc.property(fc.integer({ min: minCodeLength, max: maxCodeLength }), (length) => {
        const code = generateCode(length);
        expect(code).toMatch(new RegExp(`^[0-9]{${length}}$`));
      }),
    );
  });

  it('refuses lengths outside 4-10 and non-integers', () => {
    for (const length of [3, 11, 0, -1, 6.5, Number.NaN]) expect(() => generateCode(length)).toThrow(RangeError);
  });

  it('draws every digit in every position, about equally often (uniform: no modulo bias)', () => {
    // 60 000 digits: each digit is expected 6 000 times; 5 000-7 000 is beyond 13 standard deviations.
    const counts = Array.from({ length: 6 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < 10_000; i++) {
      const code = generateCode(6);
      for (let position = 0; position < 6; position++) {
        const row = counts[position] as number[];
        row[Number(code[position])] = (row[Number(code[position])] as number) + 1;
      }
    }
    const totals = new Array<number>(10).fill(0);
    for (const row of counts) {
      for (let digit = 0; digit < 10; digit++) totals[digit] = (totals[digit] as number) + (row[digit] as number);
      expect(Math.min(...row)).toBeGreaterThan(0); // leading zeros included
    }
    for (const total of totals) {
      expect(total).toBeGreaterThan(5_000);
      expect(total).toBeLessThan(7_000);
    }
  });

  it('codes do not repeat in a way a predictable generator would', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => generateCode(10)));
    // 1000 draws out of 10^10: a collision has probability ~5e-5.
    expect(codes.size).toBeGreaterThan(998);
  });
});

describe('typedCode', () => {
  it('keeps the digits of what the user typed, dropping spaces and dashes', () => {
    expect(typedCode('123456', 6)).toBe('123456');
    expect(typedCode(' 123 456 ', 6)).toBe('123456');
    expect(typedCode('123-456', 6)).toBe('123456');
    expect(typedCode('0000', 4)).toBe('0000');
  });

  it('is undefined for anything that cannot be a code of that length', () => {
    for (const input of ['12345', '1234567', '12a456', '١٢٣٤٥٦', '', '123.456', undefined, null, 123456, {}]) {
      expect(typedCode(input, 6)).toBeUndefined();
    }
    expect(typedCode('1'.repeat(65), 6)).toBeUndefined();
  });
});
