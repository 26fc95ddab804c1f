import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { characterCount, containsCode, isCode, renderText } from './code-text.js';

describe('the code and its text', () => {
  it('a code is 4 to 8 digits', () => {
    expect(['1234', '12345678', '0000'].every(isCode)).toBe(true);
    expect(['123', '123456789', '12a4', ' 1234', '1234\n', '１２３４', 1234].some(isCode)).toBe(false);
  });

  it('fills every {code} of the template, or sends the code alone', () => {
    expect(renderText('4821', 'Code {code}. Again: {code}')).toBe('Code 4821. Again: 4821');
    expect(renderText('4821', undefined)).toBe('4821');
  });

  it('finds the code only as a number of its own', () => {
    expect(containsCode('Your code: 1234.', '1234')).toBe(true);
    expect(containsCode('1234', '1234')).toBe(true);
    expect(containsCode('Order 512345', '1234')).toBe(false);
    expect(containsCode('12345 then 1234', '1234')).toBe(true);
  });

  it('any template with {code} away from other digits carries the code once filled', () => {
    const noDigits = fc.string().map((text) => text.replace(/[0-9{}]/g, ''));
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{4,8}$/), noDigits, noDigits, (code, before, after) => {
        expect(containsCode(renderText(code, `${before} {code} ${after}`), code)).toBe(true);
      }),
    );
  });

  it('counts characters as code points', () => {
    expect(characterCount('код 🙂')).toBe(5);
  });
});
