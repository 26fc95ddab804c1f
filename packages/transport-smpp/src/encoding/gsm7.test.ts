import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { decodeGsm7, encodeGsm7, firstNonGsm7, gsm7Length } from './gsm7.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('encodeGsm7', () => {
  it('maps the basic table one septet per octet (unpacked)', () => {
    expect(encodeGsm7('@£$¥')).toEqual(bytes(0x00, 0x01, 0x02, 0x03));
    expect(encodeGsm7('Hello')).toEqual(bytes(0x48, 0x65, 0x6c, 0x6c, 0x6f));
    expect(encodeGsm7('¤¡¿§à')).toEqual(bytes(0x24, 0x40, 0x60, 0x5f, 0x7f));
    expect(encodeGsm7('ΔΩ_É\n\r')).toEqual(bytes(0x10, 0x15, 0x11, 0x1f, 0x0a, 0x0d));
  });

  it('writes extension characters as escape + code', () => {
    expect(encodeGsm7('^{}\\[~]|€\f')).toEqual(
      bytes(
        0x1b,
        0x14,
        0x1b,
        0x28,
        0x1b,
        0x29,
        0x1b,
        0x2f,
        0x1b,
        0x3c,
        0x1b,
        0x3d,
        0x1b,
        0x3e,
        0x1b,
        0x40,
        0x1b,
        0x65,
        0x1b,
        0x0a,
      ),
    );
    expect(encodeGsm7('a€b')).toEqual(bytes(0x61, 0x1b, 0x65, 0x62));
  });

  it('throws TIDINGS_INVALID_MESSAGE naming the first unsupported character and its index', () => {
    expect.assertions(4);
    try {
      encodeGsm7('ok ê then ç');
    } catch (error) {
      expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
      expect((error as TidingsError).message).toContain('"ê" (U+00EA) at index 3');
      expect((error as TidingsError).message).toContain('GSM 03.38');
      expect((error as TidingsError).details).toMatchObject({ index: 3, alphabet: 'gsm7' });
    }
  });

  it('names a whole emoji, not half of it', () => {
    expect(() => encodeGsm7('hi 😀')).toThrow('"😀" (U+1F600) at index 3');
  });

  it('refuses the raw escape character and characters only the 8-bit world has', () => {
    expect(() => encodeGsm7('\u001b')).toThrow(TidingsError);
    expect(() => encodeGsm7('`')).toThrow(TidingsError);
    expect(() => encodeGsm7('\t')).toThrow(TidingsError);
  });
});

describe('gsm7Length', () => {
  it('counts septets, extension characters as 2', () => {
    expect(gsm7Length('')).toBe(0);
    expect(gsm7Length('abc')).toBe(3);
    expect(gsm7Length('a€{')).toBe(5);
  });

  it('is undefined when the text is not representable', () => {
    expect(gsm7Length('abcê')).toBeUndefined();
    expect(gsm7Length('Привет')).toBeUndefined();
  });

  it('firstNonGsm7 gives the index of the first gap', () => {
    expect(firstNonGsm7('abc')).toBe(-1);
    expect(firstNonGsm7('ab€ĉ')).toBe(3);
  });
});

describe('decodeGsm7', () => {
  it('round-trips the whole basic and extension tables', () => {
    const all =
      '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿' +
      'abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€\f';
    expect(gsm7Length(all)).toBe(127 + 20);
    expect(decodeGsm7(encodeGsm7(all))).toBe(all);
  });

  it('shows the basic character for an unknown escape (03.38 fallback)', () => {
    expect(decodeGsm7(bytes(0x1b, 0x41, 0x62))).toBe('Ab');
  });

  it('shows a space for escape-escape and for a trailing escape', () => {
    expect(decodeGsm7(bytes(0x61, 0x1b, 0x1b, 0x62))).toBe('a b');
    expect(decodeGsm7(bytes(0x61, 0x1b))).toBe('a ');
  });

  it('ignores the eighth bit instead of throwing', () => {
    expect(decodeGsm7(bytes(0xc1, 0x80))).toBe('A@');
  });
});
