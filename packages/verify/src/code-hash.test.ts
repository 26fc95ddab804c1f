import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeMatches, hashCode, matchesAnyCode } from './code-hash.js';

const id = 'a7e0c8f2-0b0e-4c55-9a53-1d7d2f0d1f6b';
const pepper = 'server-secret-0123456789';

describe('code hashing', () => {
  it('matches the code it hashed and no other, with or without a pepper', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{4,10}$/),
        fc.stringMatching(/^[0-9]{4,10}$/),
        fc.option(fc.string({ minLength: 16 }), { nil: undefined }),
        (code, other, secret) => {
          const digest = hashCode(code, id, secret);
          expect(codeMatches(code, id, digest, secret)).toBe(true);
          expect(codeMatches(other, id, digest, secret)).toBe(other === code);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps a 16-byte random salt and a 32-byte HMAC, never the code', () => {
    const digest = hashCode('048213', id, undefined);
    expect(Buffer.from(digest.salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(digest.hash, 'base64url')).toHaveLength(32);
    expect(JSON.stringify(digest)).not.toContain('048213');
  });

  it('salts every hash: one code hashed twice gives two different hashes', () => {
    const a = hashCode('048213', id, undefined);
    const b = hashCode('048213', id, undefined);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('binds the hash to its verification: copied onto another id it does not match', () => {
    const digest = hashCode('048213', id, undefined);
    expect(codeMatches('048213', 'another-id', digest, undefined)).toBe(false);
  });

  it('keys the hash with the pepper: without it (a stolen store dump) the code does not match', () => {
    const digest = hashCode('048213', id, pepper);
    expect(codeMatches('048213', id, digest, undefined)).toBe(false);
    expect(codeMatches('048213', id, digest, `${pepper}x`)).toBe(false);
    expect(codeMatches('048213', id, digest, pepper)).toBe(true);
  });

  it('a damaged stored hash of another length never matches (and does not throw)', () => {
    const digest = hashCode('048213', id, undefined);
    expect(codeMatches('048213', id, { ...digest, hash: digest.hash.slice(0, 10) }, undefined)).toBe(false);
  });
});

describe('matchesAnyCode', () => {
  const verification = 'verification-1';
  const at = (code: string, expiresAt: number) => ({ ...hashCode(code, verification, undefined), expiresAt });

  it('matches any code still valid at `now`, and none past its own deadline', () => {
    const codes = [at('111111', 1_000), at('222222', 2_000)];
    expect(matchesAnyCode('111111', verification, codes, undefined, 999)).toBe(true);
    expect(matchesAnyCode('222222', verification, codes, undefined, 999)).toBe(true);
    expect(matchesAnyCode('111111', verification, codes, undefined, 1_000)).toBe(false);
    expect(matchesAnyCode('222222', verification, codes, undefined, 1_999)).toBe(true);
    expect(matchesAnyCode('333333', verification, codes, undefined, 0)).toBe(false);
    expect(matchesAnyCode('111111', verification, [], undefined, 0)).toBe(false);
  });
});
