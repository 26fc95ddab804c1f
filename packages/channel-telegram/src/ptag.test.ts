import { describe, expect, it } from 'vitest';
import { isPtag, ptagOf, ptagTlv } from './ptag.js';

describe('ptag (vendor TLV 0x1411)', () => {
  it('is tag 0x1411, an octet string', () => {
    expect(ptagTlv).toMatchObject({ tag: 0x1411, name: 'ptag', type: 'string' });
  });

  it('takes 1 to 50 characters of 0-9 a-z A-Z - .', () => {
    expect(['a', 'A-9.z', 'x'.repeat(50), '-.-'].every(isPtag)).toBe(true);
    expect(['', 'x'.repeat(51), 'a_b', 'a b', 'ä', 'a/b', undefined].some(isPtag)).toBe(false);
  });

  it('reads an echoed ptag with or without a NUL terminator', () => {
    expect(ptagOf('order-7')).toBe('order-7');
    expect(ptagOf('order-7\u0000')).toBe('order-7');
    expect(ptagOf('')).toBeUndefined();
    expect(ptagOf(Uint8Array.of(1))).toBeUndefined();
  });
});
