import type { SmppAddress, SubmitPlan } from './smpp-channel.js';

/**
 * Whether two plans build the same PDUs: compares exactly what the build reads (text, the two
 * addresses' fields, and `fields`, `tlvs`, `encoding` deeply).
 */
export function samePlan(a: SubmitPlan, b: SubmitPlan): boolean {
  return (
    a === b ||
    (a.text === b.text &&
      sameAddress(a.source, b.source) &&
      sameAddress(a.destination, b.destination) &&
      sameValue(a.fields, b.fields) &&
      sameValue(a.tlvs, b.tlvs) &&
      sameValue(a.encoding, b.encoding))
  );
}

function sameAddress(a: SmppAddress, b: SmppAddress): boolean {
  return a === b || (a.addr === b.addr && Object.is(a.ton, b.ton) && Object.is(a.npi, b.npi));
}

/**
 * Whether two plain values (what `toSubmit` returns: strings, numbers, booleans, arrays, plain
 * objects, byte arrays) are equal all the way down. Strict: anything else (other classes,
 * functions) is equal only to itself, so a `false` may be wrong but a `true` never is. Symbol
 * keys and non-enumerable properties are not compared (a plan is read by its named fields).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const prototype = Object.getPrototypeOf(a);
  if (prototype !== Object.getPrototypeOf(b)) return false;
  if (prototype === Uint8Array.prototype) return sameBytes(a as Uint8Array, b as Uint8Array);
  if (prototype === Array.prototype) {
    const left = a as readonly unknown[];
    const right = b as readonly unknown[];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!sameValue(left[i], right[i])) return false;
    return true;
  }
  if (prototype !== Object.prototype && prototype !== null) return false;
  const left = a as Readonly<Record<string, unknown>>;
  const right = b as Readonly<Record<string, unknown>>;
  let count = 0;
  for (const key in left) {
    if (!Object.hasOwn(left, key)) continue;
    if (!Object.hasOwn(right, key) || !sameValue(left[key], right[key])) return false;
    count++;
  }
  for (const key in right) if (Object.hasOwn(right, key)) count--;
  return count === 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
