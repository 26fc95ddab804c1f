import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { destinationAddress, isInternationalNumber, senderAddress, senderKind } from './addresses.js';

const addressing = { numeric: { ton: 1, npi: 1 }, alphanumeric: { ton: 5, npi: 0 } };

describe('smsorg addresses', () => {
  it('a sender of digits (optional +) is numeric: TON 0x01 / NPI 0x01, sent without the +', () => {
    expect(senderAddress('+79001112233', addressing)).toEqual({ addr: '79001112233', ton: 1, npi: 1 });
    expect(senderAddress('7522', addressing)).toEqual({ addr: '7522', ton: 1, npi: 1 });
  });

  it('a sender name is alphanumeric: TON 0x05 / NPI 0x00, sent as is', () => {
    expect(senderAddress('MyShop', addressing)).toEqual({ addr: 'MyShop', ton: 5, npi: 0 });
    expect(senderAddress('My Shop 24', addressing)).toEqual({ addr: 'My Shop 24', ton: 5, npi: 0 });
    expect(senderAddress('+7Shop', addressing)).toEqual({ addr: '+7Shop', ton: 5, npi: 0 });
  });

  it('every digit string of 1-15 digits is numeric; every other printable name of 1-11 is alphanumeric', () => {
    fc.assert(fc.property(fc.stringMatching(/^\+?\d{1,15}$/), (sender) => senderKind(sender) === 'numeric'));
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e][\x20-\x7e]{0,10}$/), (sender) =>
        /^\+?\d+$/.test(sender) ? senderKind(sender) === 'numeric' : senderKind(sender) === 'alphanumeric',
      ),
    );
  });

  it('refuses senders that are neither', () => {
    for (const sender of ['', '   ', 'TwelveChars!', 'Магазин', '1234567890123456', 'tab\there']) {
      expect(senderKind(sender)).toBeUndefined();
    }
  });

  it('the destination is an international number, TON 0x01 / NPI 0x01, without the +', () => {
    expect(destinationAddress('+79123456789')).toEqual({ addr: '79123456789', ton: 1, npi: 1 });
    expect(isInternationalNumber('79123456789')).toBe(true);
    expect(isInternationalNumber('+2904567')).toBe(true);
    for (const to of ['89123456789x', '+7 912 345 67 89', '+07123456789', '123456', '+1234567890123456']) {
      expect(isInternationalNumber(to)).toBe(false);
    }
  });
});
