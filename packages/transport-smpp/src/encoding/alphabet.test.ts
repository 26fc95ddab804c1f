import { ErrorCode } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { alphabetOfDataCoding, chooseAlphabet, dataCodingOf, firstUnsupported } from './alphabet.js';

describe('dataCodingOf / alphabetOfDataCoding', () => {
  it('maps each alphabet to its SMPP data_coding and back', () => {
    expect(dataCodingOf('gsm7')).toBe(0x00);
    expect(dataCodingOf('ascii')).toBe(0x01);
    expect(dataCodingOf('latin1')).toBe(0x03);
    expect(dataCodingOf('ucs2')).toBe(0x08);
    for (const alphabet of ['gsm7', 'ascii', 'latin1', 'ucs2'] as const) {
      expect(alphabetOfDataCoding(dataCodingOf(alphabet))).toBe(alphabet);
    }
  });

  it('reads data_coding 0 as the agreed SMSC default', () => {
    expect(alphabetOfDataCoding(0)).toBe('gsm7');
    expect(alphabetOfDataCoding(0, 'latin1')).toBe('latin1');
    expect(alphabetOfDataCoding(0, 'ascii')).toBe('ascii');
  });

  it('has no alphabet for binary data and alphabets the codec does not speak', () => {
    for (const dc of [0x02, 0x04, 0x05, 0x06, 0x07, 0x09, 0x0a, 0x0d, 0x0e]) {
      expect(alphabetOfDataCoding(dc)).toBeUndefined();
    }
  });

  it('follows the GSM 03.38 general and auto-deletion groups (bits 3-2, compressed = none)', () => {
    expect(alphabetOfDataCoding(0x10)).toBe('gsm7'); // class 0 (flash), 7-bit
    expect(alphabetOfDataCoding(0x18)).toBe('ucs2');
    expect(alphabetOfDataCoding(0x14)).toBeUndefined(); // 8-bit
    expect(alphabetOfDataCoding(0x30)).toBeUndefined(); // compressed
    expect(alphabetOfDataCoding(0x48)).toBe('ucs2');
  });

  it('follows the message waiting and data coding / message class groups', () => {
    expect(alphabetOfDataCoding(0xc0)).toBe('gsm7');
    expect(alphabetOfDataCoding(0xd8)).toBe('gsm7');
    expect(alphabetOfDataCoding(0xe0)).toBe('ucs2');
    expect(alphabetOfDataCoding(0xf0)).toBe('gsm7'); // flash SMS
    expect(alphabetOfDataCoding(0xf3)).toBe('gsm7');
    expect(alphabetOfDataCoding(0xf4)).toBeUndefined(); // bit 2: 8-bit data
    expect(alphabetOfDataCoding(0xf6)).toBeUndefined();
    expect(alphabetOfDataCoding(0x80)).toBeUndefined(); // reserved groups
  });
});

describe('chooseAlphabet', () => {
  it('picks the cheapest of gsm7, latin1, ucs2 that carries the text', () => {
    expect(chooseAlphabet('Hello {world} €5')).toBe('gsm7');
    expect(chooseAlphabet('')).toBe('gsm7');
    expect(chooseAlphabet('crème brûlée')).toBe('latin1');
    expect(chooseAlphabet('Привет')).toBe('ucs2');
    expect(chooseAlphabet('ok 😀')).toBe('ucs2');
  });

  it('chooses ascii only when allowed and gsm7 is not', () => {
    expect(chooseAlphabet('plain', { allowed: ['gsm7', 'ascii'] })).toBe('gsm7');
    expect(chooseAlphabet('plain`', { allowed: ['ascii', 'latin1', 'ucs2'] })).toBe('ascii');
    expect(chooseAlphabet('café', { allowed: ['ascii', 'latin1', 'ucs2'] })).toBe('latin1');
  });

  it('skips alphabets that are not allowed', () => {
    expect(chooseAlphabet('Hello', { allowed: ['latin1', 'ucs2'] })).toBe('latin1');
    expect(chooseAlphabet('Hello', { allowed: ['ucs2'] })).toBe('ucs2');
    expect(chooseAlphabet('crêpe', { allowed: ['gsm7', 'ucs2'] })).toBe('ucs2');
  });

  it('throws TIDINGS_INVALID_MESSAGE when no allowed alphabet carries the text', () => {
    expect(() => chooseAlphabet('Привет', { allowed: ['gsm7', 'latin1'] })).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidMessage,
        message: expect.stringContaining('"П" (U+041F) at index 0'),
      }),
    );
    expect(() => chooseAlphabet('bad \ud800')).toThrow('lone UTF-16 surrogate');
  });

  it('keeps a pinned alphabet when the text fits it, and refuses it otherwise', () => {
    expect(chooseAlphabet('Hello', { pinned: 'ucs2' })).toBe('ucs2');
    expect(chooseAlphabet('Hello', { pinned: 'ascii' })).toBe('ascii');
    expect(() => chooseAlphabet('Hello ê', { pinned: 'gsm7' })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidMessage, message: expect.stringContaining('at index 6') }),
    );
    expect(() => chooseAlphabet('{', { pinned: 'ascii' })).not.toThrow();
  });

  it('refuses a pinned alphabet the channel does not allow', () => {
    expect(() => chooseAlphabet('Hello', { pinned: 'ucs2', allowed: ['gsm7'] })).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidMessage,
        message: expect.stringContaining("pins alphabet 'ucs2'"),
      }),
    );
  });

  it('refuses an empty allowed list as an options error', () => {
    expect(() => chooseAlphabet('x', { allowed: [] })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidOptions }),
    );
  });
});

describe('firstUnsupported', () => {
  it('gives the first index each alphabet lacks', () => {
    const text = 'a{é€Ж😀';
    expect(firstUnsupported(text, 'gsm7')).toBe(4);
    expect(firstUnsupported(text, 'ascii')).toBe(2);
    expect(firstUnsupported(text, 'latin1')).toBe(3);
    expect(firstUnsupported(text, 'ucs2')).toBe(-1);
  });
});
