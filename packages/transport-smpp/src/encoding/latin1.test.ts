import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { decodeLatin1, encodeLatin1, firstNonLatin1 } from './latin1.js';

describe('latin1', () => {
  it('encodes one byte per character up to U+00FF', () => {
    expect(encodeLatin1('Aé\u0080ÿ')).toEqual(Uint8Array.from([0x41, 0xe9, 0x80, 0xff]));
  });

  it('throws TIDINGS_INVALID_MESSAGE naming the first character above U+00FF', () => {
    expect(() => encodeLatin1('café €')).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidMessage,
        message: expect.stringContaining('"€" (U+20AC) at index 5'),
      }),
    );
    expect(() => encodeLatin1('Ж')).toThrow(TidingsError);
  });

  it('decodes 0x80-0x9F as C1 controls, not windows-1252', () => {
    expect(decodeLatin1(Uint8Array.from([0x80, 0x9f, 0xe9]))).toBe('\u0080\u009fé');
  });

  it('decodes a view into a larger buffer without reading outside it', () => {
    const backing = Uint8Array.from([0x41, 0x42, 0x43, 0x44]);
    expect(decodeLatin1(backing.subarray(1, 3))).toBe('BC');
  });

  it('firstNonLatin1 finds the first gap', () => {
    expect(firstNonLatin1('ÿÿ')).toBe(-1);
    expect(firstNonLatin1('aĀ')).toBe(1);
  });
});
