import { describe, expect, it } from 'vitest';
import { maskRecipient, recipientAddress, recipientKey } from './recipient.js';

describe('recipientKey', () => {
  it('one key for a phone number with or without "+", with spaces, dashes, dots or brackets', () => {
    for (const written of ['+79036550550', '79036550550', '+7 903 655-05-50', '+7 (903) 655.05.50', ' +79036550550 ']) {
      expect(recipientKey(written)).toBe('79036550550');
    }
  });

  it('guesses no country: a trunk prefix stays as written', () => {
    expect(recipientKey('8-903-655-05-50')).toBe('89036550550');
  });

  it('an e-mail address: lowercased, its dots kept', () => {
    expect(recipientKey(' John.Doe@Example.com ')).toBe('john.doe@example.com');
    expect(recipientKey('john.doe@example.com')).not.toBe(recipientKey('johndoe@example.com'));
  });

  it('refuses what is not a recipient with TIDINGS_INVALID_MESSAGE', () => {
    for (const bad of ['', '  ', '-()', 'x'.repeat(65), undefined, 79036550550]) {
      expect(() => recipientKey(bad)).toThrow(expect.objectContaining({ code: 'TIDINGS_INVALID_MESSAGE' }));
    }
  });
});

describe('recipientAddress', () => {
  it('is "to" as given, only trimmed', () => {
    expect(recipientAddress(' John.Doe@Example.com ')).toBe('John.Doe@Example.com');
    expect(recipientAddress('+7 903 655-05-50')).toBe('+7 903 655-05-50');
  });
});

describe('maskRecipient', () => {
  it('shows the last four characters and the plus only', () => {
    expect(maskRecipient('+79036550550')).toBe('+•••••••0550');
    expect(maskRecipient('15550100001')).toBe('•••••••0001');
    expect(maskRecipient('1234')).toBe('••••');
  });
});
