import { describe, expect, it } from 'vitest';
import { concatenationUdh, parseUdh, writeConcatenationUdh } from './udh.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('concatenationUdh', () => {
  it('builds 05 00 03 ref total seq for an 8-bit reference', () => {
    expect(concatenationUdh(0x42, 3, 1)).toEqual(bytes(0x05, 0x00, 0x03, 0x42, 0x03, 0x01));
    expect(concatenationUdh(0x1ff, 2, 2, 8)).toEqual(bytes(0x05, 0x00, 0x03, 0xff, 0x02, 0x02));
  });

  it('builds 06 08 04 refHi refLo total seq for a 16-bit reference', () => {
    expect(concatenationUdh(0xbeef, 4, 3, 16)).toEqual(bytes(0x06, 0x08, 0x04, 0xbe, 0xef, 0x04, 0x03));
    expect(concatenationUdh(0x1_0001, 2, 1, 16)).toEqual(bytes(0x06, 0x08, 0x04, 0x00, 0x01, 0x02, 0x01));
  });

  it('writes into a larger buffer and says how much it wrote', () => {
    const target = new Uint8Array(9).fill(0xaa);
    expect(writeConcatenationUdh(target, 7, 2, 1, 8)).toBe(6);
    expect(target).toEqual(bytes(0x05, 0x00, 0x03, 0x07, 0x02, 0x01, 0xaa, 0xaa, 0xaa));
  });
});

describe('parseUdh', () => {
  it('parses an 8-bit concatenation header and returns the payload after it', () => {
    const parsed = parseUdh(bytes(0x05, 0x00, 0x03, 0x42, 0x03, 0x02, 0x48, 0x69));
    expect(parsed).toEqual({
      headerLength: 6,
      elements: [{ iei: 0x00, data: bytes(0x42, 0x03, 0x02) }],
      concat: { reference: 0x42, total: 3, sequence: 2, referenceBits: 8 },
      payload: bytes(0x48, 0x69),
    });
  });

  it('parses a 16-bit concatenation header', () => {
    const parsed = parseUdh(bytes(0x06, 0x08, 0x04, 0xbe, 0xef, 0x02, 0x01, 0x41));
    expect(parsed?.concat).toEqual({ reference: 0xbeef, total: 2, sequence: 1, referenceBits: 16 });
    expect(parsed?.payload).toEqual(bytes(0x41));
  });

  it('keeps other elements and finds concatenation among them', () => {
    // Port addressing (IEI 0x05, 4 bytes) before the concatenation element.
    const parsed = parseUdh(bytes(0x0b, 0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0, 0x00, 0x03, 0x09, 0x02, 0x01, 0xff));
    expect(parsed?.headerLength).toBe(12);
    expect(parsed?.elements.map((element) => element.iei)).toEqual([0x05, 0x00]);
    expect(parsed?.concat).toEqual({ reference: 9, total: 2, sequence: 1, referenceBits: 8 });
    expect(parsed?.payload).toEqual(bytes(0xff));
  });

  it('has no concat for a header without one, or with an impossible numbering', () => {
    expect(parseUdh(bytes(0x04, 0x05, 0x02, 0x0b, 0x84, 0x41))?.concat).toBeUndefined();
    expect(parseUdh(bytes(0x05, 0x00, 0x03, 0x01, 0x00, 0x01))?.concat).toBeUndefined(); // total 0
    expect(parseUdh(bytes(0x05, 0x00, 0x03, 0x01, 0x02, 0x00))?.concat).toBeUndefined(); // sequence 0
    expect(parseUdh(bytes(0x05, 0x00, 0x03, 0x01, 0x02, 0x03))?.concat).toBeUndefined(); // sequence > total
    expect(parseUdh(bytes(0x05, 0x00, 0x03, 0x01, 0x02, 0x03))).not.toHaveProperty('concat');
  });

  it('returns undefined for malformed headers instead of throwing', () => {
    expect(parseUdh(bytes())).toBeUndefined();
    expect(parseUdh(bytes(0x05, 0x00, 0x03, 0x01))).toBeUndefined(); // header longer than the message
    expect(parseUdh(bytes(0x03, 0x00, 0x03, 0x01, 0x41))).toBeUndefined(); // element overruns the header
    expect(parseUdh(bytes(0x01, 0x00, 0x41))).toBeUndefined(); // element without its length octet
  });

  it('accepts an empty header', () => {
    expect(parseUdh(bytes(0x00, 0x41))).toEqual({ headerLength: 1, elements: [], payload: bytes(0x41) });
  });

  it('round-trips what concatenationUdh builds', () => {
    for (const bits of [8, 16] as const) {
      const header = concatenationUdh(200, 5, 4, bits);
      expect(parseUdh(header)?.concat).toEqual({ reference: 200, total: 5, sequence: 4, referenceBits: bits });
    }
  });
});
