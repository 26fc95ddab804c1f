import { ErrorCode } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { decodeAscii, encodeAscii, firstNonAscii } from './ascii.js';

describe('ascii', () => {
  it('encodes 7-bit characters one per byte', () => {
    expect(encodeAscii('A`{~\t')).toEqual(Uint8Array.from([0x41, 0x60, 0x7b, 0x7e, 0x09]));
  });

  it('throws TIDINGS_INVALID_MESSAGE naming the first non-ASCII character', () => {
    expect(() => encodeAscii('abcé')).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidMessage,
        message: expect.stringContaining('"é" (U+00E9) at index 3'),
      }),
    );
  });

  it('decodes, dropping the eighth bit', () => {
    expect(decodeAscii(Uint8Array.from([0x48, 0x69, 0xc1]))).toBe('HiA');
  });

  it('firstNonAscii finds the first gap', () => {
    expect(firstNonAscii('plain')).toBe(-1);
    expect(firstNonAscii('pl\u0080')).toBe(2);
  });
});
