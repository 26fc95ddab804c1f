import { randomInt } from 'node:crypto';

/** Shortest and longest codes `@tidings/verify` makes. */
export const minCodeLength = 4;
export const maxCodeLength = 10;

/**
 * A code of `length` decimal digits from the operating system's CSPRNG. `crypto.randomInt` draws
 * each digit uniformly (it rejects out-of-range samples instead of taking a modulo, so no digit is
 * more likely than another); leading zeros are kept, so every one of the 10^length codes can occur.
 */
export function generateCode(length: number): string {
  if (!(Number.isInteger(length) && length >= minCodeLength && length <= maxCodeLength)) {
    throw new RangeError(`code length must be an integer from ${minCodeLength} to ${maxCodeLength} (got ${length})`);
  }
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(10));
  return code;
}

/** What a user may type around the digits: spaces and dashes (`123 456`, `123-456`). */
const typedSeparators = /[\s-]/g;

/**
 * The code a user typed, as compared: separators dropped. `undefined` when it cannot be a code of
 * `length` digits (letters, wrong length, not a string): such input is answered without being
 * compared or counted as an attempt.
 */
export function typedCode(input: unknown, length: number): string | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;
  const digits = input.replace(typedSeparators, '');
  return digits.length === length && /^[0-9]+$/.test(digits) ? digits : undefined;
}
