import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How a code is kept: HMAC-SHA256 over a per-verification random salt, the verification id and
 * the code, keyed with the server's optional pepper. Never the code itself.
 *
 * Why not scrypt or bcrypt: a 6-digit code has 10^6 values, so any hash of it falls to an offline
 * search in moments whatever its cost, while a slow hash would make every `check` an expensive
 * request an attacker can send. The hash is there for "no plaintext at rest" (a store dump or a
 * Redis replica shows no codes); with a pepper kept outside the store, a dump alone cannot even be
 * searched. The real defences are the short TTL, the attempt limit and the start/resend limits.
 * The id is inside the MAC so a hash copied onto another verification does not match there.
 */
export interface CodeDigest {
  /** 16 random bytes, base64url. */
  readonly salt: string;
  /** HMAC-SHA256, base64url. */
  readonly hash: string;
}

export function hashCode(code: string, verificationId: string, pepper: string | undefined): CodeDigest {
  const salt = randomBytes(16).toString('base64url');
  return { salt, hash: digest(code, verificationId, salt, pepper).toString('base64url') };
}

/** Whether `code` is the one hashed: equal-length digests compared in constant time. */
export function codeMatches(
  code: string,
  verificationId: string,
  stored: CodeDigest,
  pepper: string | undefined,
): boolean {
  const expected = Buffer.from(stored.hash, 'base64url');
  const actual = digest(code, verificationId, stored.salt, pepper);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function digest(code: string, verificationId: string, salt: string, pepper: string | undefined): Buffer {
  // Length-prefixed fields: no two (salt, id, code) triples produce the same input.
  return createHmac('sha256', pepper ?? '')
    .update(`${salt.length}:${salt}|${verificationId.length}:${verificationId}|${code}`)
    .digest();
}

/**
 * Whether `code` is any of the codes still valid at `now` (a verification keeps one per send).
 * Every one is compared, none skipped on a match, so the time taken does not tell which matched.
 */
export function matchesAnyCode(
  code: string,
  verificationId: string,
  codes: readonly (CodeDigest & { readonly expiresAt: number })[],
  pepper: string | undefined,
  now: number,
): boolean {
  let matched = false;
  for (const stored of codes) {
    const valid = now < stored.expiresAt;
    if (codeMatches(code, verificationId, stored, pepper) && valid) matched = true;
  }
  return matched;
}
