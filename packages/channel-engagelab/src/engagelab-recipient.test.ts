import { ErrorCode, TidingsError } from '@tidings/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engagelabRecipient } from './engagelab-recipient.js';

describe('engagelabRecipient: international format with "+"', () => {
  it("keeps a number already in the page's format", () => {
    expect(engagelabRecipient('+6598765432', false)).toBe('+6598765432');
    expect(engagelabRecipient('+6598765432', true)).toBe('+6598765432');
  });

  it('refuses a number without "+" unless asked to normalise, and says how to fix it', () => {
    const error = (() => {
      try {
        engagelabRecipient('6598765432', false);
      } catch (e) {
        return e;
      }
    })();
    expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
    expect((error as TidingsError).message).toBe(
      'message.to must be in international format with "+", e.g. +6598765432: EngageLab needs a leading "+" and the country code (or set the option normalizeRecipients)',
    );
  });

  it('never echoes the recipient in the error', () => {
    for (const [to, normalize] of [
      ['4915112345678', false],
      ['+0049 151', true],
      ['call 4915112345678', true],
    ] as const) {
      try {
        engagelabRecipient(to, normalize);
        throw new Error('accepted');
      } catch (error) {
        expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
        expect((error as TidingsError).message).not.toContain('4915112345678');
        expect((error as TidingsError).message).not.toContain('0049');
        expect((error as TidingsError).details).toEqual({ field: 'to' });
      }
    }
  });

  it('normalised numbers always come out as + and 7 to 15 digits, or are refused', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 +-().x'), maxLength: 24 }), (to) => {
        let out: string;
        try {
          out = engagelabRecipient(to, true);
        } catch (error) {
          expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
          return;
        }
        expect(out).toMatch(/^\+[1-9]\d{5,14}$/);
        expect(out.slice(1)).toBe(to.replace(/\D/g, '').replace(/^00/, ''));
      }),
    );
  });
});
