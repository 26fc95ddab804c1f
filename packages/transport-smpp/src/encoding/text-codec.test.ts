import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeText, encodeText } from './text-codec.js';

describe('encodeText', () => {
  it('encodes in the alphabet asked for', () => {
    expect(encodeText('€', 'gsm7')).toEqual(Uint8Array.from([0x1b, 0x65]));
    expect(encodeText('A', 'ascii')).toEqual(Uint8Array.from([0x41]));
    expect(encodeText('é', 'latin1')).toEqual(Uint8Array.from([0xe9]));
    expect(encodeText('é', 'ucs2')).toEqual(Uint8Array.from([0x00, 0xe9]));
  });
});

describe('decodeText', () => {
  it('decodes by data_coding', () => {
    expect(decodeText(Uint8Array.from([0x1b, 0x65, 0x00]), 0x00)).toBe('€@');
    expect(decodeText(Uint8Array.from([0x41]), 0x01)).toBe('A');
    expect(decodeText(Uint8Array.from([0xe9]), 0x03)).toBe('é');
    expect(decodeText(Uint8Array.from([0x04, 0x16]), 0x08)).toBe('Ж');
    expect(decodeText(Uint8Array.from([0x48, 0x69]), 0xf0)).toBe('Hi');
  });

  it('reads data_coding 0 as the agreed default alphabet', () => {
    expect(decodeText(Uint8Array.from([0xe9, 0x00]), 0x00, { defaultAlphabet: 'latin1' })).toBe('é\u0000');
    expect(decodeText(Uint8Array.from([0x69, 0x00]), 0x00)).toBe('i@');
  });

  it('falls back to Latin-1 for binary and unknown data_coding', () => {
    expect(decodeText(Uint8Array.from([0xe9, 0x41]), 0x04)).toBe('éA');
    expect(decodeText(Uint8Array.from([0xe9, 0x41]), 0xf4)).toBe('éA');
    expect(decodeText(Uint8Array.from([0xe9, 0x41]), 0x1234)).toBe('éA');
  });

  it('never throws, whatever the bytes and data_coding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: -1, max: 0x1ff }), (bytes, dataCoding) => {
        expect(typeof decodeText(bytes, dataCoding)).toBe('string');
      }),
    );
  });
});
