import { ErrorCode, TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recipientAddress, senderAddress } from './acme-address.js';
import type { AcmeMessage } from './acme-message.js';
import { acmeChannel } from './acme-plugin.js';

const channel = resolveChannel(
  acmeChannel({ host: '127.0.0.1', port: 2775, systemId: 'shop', password: 'pw', sender: 'Acme' }),
);

function problem(message: unknown): string | undefined {
  try {
    channel.validate(message as AcmeMessage);
    return undefined;
  } catch (error) {
    if (!TidingsError.is(error, ErrorCode.InvalidMessage)) throw error;
    return String(error.details?.field);
  }
}

describe('acme senders and recipients', () => {
  it('maps each sender form to its TON/NPI', () => {
    expect(senderAddress('+4930123456')).toEqual({ addr: '4930123456', ton: 1, npi: 1, form: 'long-number' });
    expect(senderAddress('733')).toEqual({ addr: '733', ton: 3, npi: 0, form: 'short-code' });
    expect(senderAddress('Shop 24')).toEqual({ addr: 'Shop 24', ton: 5, npi: 0, form: 'alphanumeric' });
    for (const bad of ['12', '1234567', '+733', '24 7', 'AcmeShopping', 'Acme-Shop', '']) {
      expect(senderAddress(bad), bad).toBeUndefined();
    }
  });

  it('takes every number of 8-15 digits as a recipient, "+" optional, and sends it without "+"', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8,15}$/), fc.boolean(), (digits, plus) => {
        expect(recipientAddress(plus ? `+${digits}` : digits)).toEqual({ addr: digits, ton: 1, npi: 1 });
      }),
    );
  });

  it('refuses any recipient with something else than digits after an optional "+"', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (to) => {
        fc.pre(!/^\+?[0-9]{8,15}$/.test(to));
        expect(recipientAddress(to)).toBeUndefined();
        expect(problem({ to, text: 'Hi' })).toBe('to');
      }),
    );
  });

  it('accepts every alphanumeric name of 1-11 characters with a letter as TON 5', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9 ]{0,10}$/), fc.stringMatching(/^[A-Za-z]$/), (rest, letter) => {
        const name = `${letter}${rest}`;
        expect(senderAddress(name)).toMatchObject({ addr: name, ton: 5, npi: 0 });
      }),
    );
  });
});

describe('acme message validation (no I/O)', () => {
  it('accepts texts, codes, flash, campaigns and validities within the page', () => {
    expect(problem({ to: '+4915112345678', text: 'Hi' })).toBeUndefined();
    expect(problem({ to: '4915112345678', code: '1234567890' })).toBeUndefined();
    expect(problem({ to: '4915112345678', code: '1234', text: 'Code {code}' })).toBeUndefined();
    expect(problem({ to: '4915112345678', text: 'Hi', flash: true, campaign: 'a_B-9', validitySeconds: 60 })).toBe(
      undefined,
    );
  });

  it.each([
    [{ to: '4915112345678', code: '12345678901' }, 'code'],
    [{ to: '4915112345678', code: '12a4' }, 'code'],
    [{ to: '4915112345678', code: '1234', text: 'No code here' }, 'text'],
    [{ to: '4915112345678', text: 'Hi', flash: 'yes' }, 'flash'],
    [{ to: '4915112345678', text: 'Hi', campaign: 'x'.repeat(33) }, 'campaign'],
    [{ to: '4915112345678', text: 'Hi', validitySeconds: 90.5 }, 'validitySeconds'],
    [{ to: '4915112345678', text: 'Hi', priority: 7 }, 'priority'],
    [{ to: '4915112345678', text: 'ok', from: '+733' }, 'from'],
  ])('refuses %j on field %s', (message, field) => {
    expect(problem(message)).toBe(field);
  });

  it('never echoes the code or the text in the error', () => {
    let message = '';
    try {
      channel.validate({ to: '4915112345678', code: '987654', text: 'Secret 12345 stays here' });
    } catch (error) {
      message = `${String(error)} ${JSON.stringify(error)}`;
    }
    expect(message).toContain('message.text');
    expect(message).not.toContain('987654');
    expect(message).not.toContain('Secret');
  });
});
