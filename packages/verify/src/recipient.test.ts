import { describe, expect, it } from 'vitest';
import { maskRecipient, normaliseRecipient } from './recipient.js';

describe('normaliseRecipient', () => {
  it('one key for a number written with spaces, dashes, dots or brackets', () => {
    for (const written of ['+79036550550', '+7 903 655-05-50', '+7 (903) 655.05.50', ' +79036550550 ']) {
      expect(normaliseRecipient(written)).toBe('+79036550550');
    }
  });

  it('guesses nothing else: a trunk prefix stays as written', () => {
    expect(normaliseRecipient('8-903-655-05-50')).toBe('89036550550');
  });

  it('refuses what is not a recipient with TIDINGS_INVALID_MESSAGE', () => {
    for (const bad of ['', '  ', '-()', 'x'.repeat(65), undefined, 79036550550]) {
      expect(() => normaliseRecipient(bad)).toThrow(expect.objectContaining({ code: 'TIDINGS_INVALID_MESSAGE' }));
    }
  });
});

describe('maskRecipient', () => {
  it('shows the last four characters and the plus only', () => {
    expect(maskRecipient('+79036550550')).toBe('+•••••••0550');
    expect(maskRecipient('15550100001')).toBe('•••••••0001');
    expect(maskRecipient('1234')).toBe('••••');
  });
});
