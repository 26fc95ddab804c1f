import { describe, expect, it } from 'vitest';
import { canonicalMessageId } from './message-id.js';

describe('canonicalMessageId', () => {
  it('gives a hex id and its decimal twin the same canonical id', () => {
    expect(canonicalMessageId('1A2B', 'hex')).toBe('6699');
    expect(canonicalMessageId('6699', 'decimal')).toBe('6699');
  });

  it('reads hex in either case, with or without 0x', () => {
    expect(canonicalMessageId('ff', 'hex')).toBe('255');
    expect(canonicalMessageId('FF', 'hex')).toBe('255');
    expect(canonicalMessageId('0xFf', 'hex')).toBe('255');
  });

  it('drops leading zeros', () => {
    expect(canonicalMessageId('000000ff', 'hex')).toBe('255');
    expect(canonicalMessageId('000123', 'decimal')).toBe('123');
    expect(canonicalMessageId('0000', 'decimal')).toBe('0');
    expect(canonicalMessageId('000', 'hex')).toBe('0');
  });

  it('keeps 64-bit and longer ids exact', () => {
    expect(canonicalMessageId('FFFFFFFFFFFFFFFF', 'hex')).toBe('18446744073709551615');
    expect(canonicalMessageId('18446744073709551615', 'decimal')).toBe('18446744073709551615');
    expect(canonicalMessageId('12345678901234567890', 'decimal')).toBe('12345678901234567890');
    expect(canonicalMessageId('AB54A98CEB1F0AD2', 'hex')).toBe('12345678901234567890');
    // 14 hex digits: just past the plain-number fast path.
    expect(canonicalMessageId('3FFFFFFFFFFFFF', 'hex')).toBe('18014398509481983');
  });

  it('returns an id that is not valid in its format trimmed and unchanged', () => {
    expect(canonicalMessageId(' 12G4 ', 'hex')).toBe('12G4');
    expect(canonicalMessageId('1A2B', 'decimal')).toBe('1A2B');
    expect(canonicalMessageId('', 'hex')).toBe('');
    expect(canonicalMessageId('-12', 'decimal')).toBe('-12');
  });

  it('only trims as-is ids', () => {
    expect(canonicalMessageId('  0042abc\n', 'as-is')).toBe('0042abc');
  });
});
