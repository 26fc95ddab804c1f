import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxRecipientLength, recipientAddress, recipientNumber, recipientProblem } from './recipient.js';

describe('recipient (destination_addr)', () => {
  it('accepts the forms the page lists', () => {
    for (const to of ['79036550550', '+79036550550', '8-903-655-05-50', '89036550550']) {
      expect(recipientProblem(to)).toBeUndefined();
    }
  });

  it('refuses more than 25 characters, whatever they are', () => {
    fc.assert(
      fc.property(fc.string({ minLength: maxRecipientLength + 1, maxLength: 60 }), (to) => {
        expect(recipientProblem(to)).toContain('at most 25');
      }),
    );
  });

  it('accepts any 5 to 15 digits with an optional leading +', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.stringMatching(/^[0-9]{5,15}$/), (plus, digits) => {
        expect(recipientProblem(`${plus ? '+' : ''}${digits}`)).toBeUndefined();
      }),
    );
  });

  it('refuses other shapes: spaces, brackets, letters, stray hyphens or plus signs, too few or many digits', () => {
    for (const to of [
      '+7 903 655',
      '8(903)6550550',
      '7903abc0550',
      '-79036550550',
      '7903--6550550',
      '7903+6550550',
      '1234',
      '1234567890123456',
      '',
    ]) {
      expect(recipientProblem(to)).toBeDefined();
    }
  });

  it('names one number in all the forms the page lists', () => {
    for (const to of ['79036550550', '+79036550550', '8-903-655-05-50', '89036550550']) {
      expect(recipientNumber(to)).toBe('79036550550');
    }
  });

  it('reads a leading 8 as 7 only on 11 digits; other numbers are their digits', () => {
    expect(recipientNumber('+44-20-7946-0958')).toBe('442079460958');
    expect(recipientNumber('8800')).toBe('8800');
    expect(recipientNumber('880012345678')).toBe('880012345678');
    expect(recipientNumber('77001234567')).toBe('77001234567');
  });

  it('is sent as written, TON unknown and NPI ISDN', () => {
    expect(recipientAddress('8-903-655-05-50')).toEqual({ addr: '8-903-655-05-50', ton: 0, npi: 1 });
  });
});
