import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { decodeUcs2, encodeUcs2, firstLoneSurrogate } from './ucs2.js';

describe('ucs2', () => {
  it('encodes UTF-16 big-endian', () => {
    expect(encodeUcs2('AЖ')).toEqual(Uint8Array.from([0x00, 0x41, 0x04, 0x16]));
  });

  it('encodes an emoji as its surrogate pair, high half first', () => {
    expect(encodeUcs2('😀')).toEqual(Uint8Array.from([0xd8, 0x3d, 0xde, 0x00]));
    expect(decodeUcs2(Uint8Array.from([0xd8, 0x3d, 0xde, 0x00]))).toBe('😀');
  });

  it('round-trips mixed text', () => {
    const text = 'Привет, 世界 👋🏽 café';
    expect(decodeUcs2(encodeUcs2(text))).toBe(text);
  });

  it('refuses a lone surrogate with TIDINGS_INVALID_MESSAGE and its index', () => {
    for (const text of ['ab\ud83d', 'a\ude00b', '\ud83d\ud83d\ude00']) {
      let caught: unknown;
      try {
        encodeUcs2(text);
      } catch (error) {
        caught = error;
      }
      expect(TidingsError.is(caught, ErrorCode.InvalidMessage)).toBe(true);
      expect((caught as TidingsError).message).toContain('lone UTF-16 surrogate');
    }
    expect(firstLoneSurrogate('ab\ud83d')).toBe(2);
    expect(firstLoneSurrogate('a\ude00b')).toBe(1);
    expect(firstLoneSurrogate('\ud83d\ud83d\ude00')).toBe(0);
    expect(firstLoneSurrogate('😀😀')).toBe(-1);
  });

  it('keeps a pair split across two decoded parts, so joining the parts restores it', () => {
    const bytes = encodeUcs2('a😀');
    expect(decodeUcs2(bytes.subarray(0, 4)) + decodeUcs2(bytes.subarray(4))).toBe('a😀');
  });

  it('decodes an odd trailing byte as U+FFFD instead of throwing', () => {
    expect(decodeUcs2(Uint8Array.from([0x00, 0x41, 0x00]))).toBe('A\ufffd');
  });
});
