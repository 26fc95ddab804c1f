import { randomFillSync } from 'node:crypto';

const HEX = Buffer.from('0123456789abcdef', 'latin1');
/** Random bytes for 256 ids, drawn from the CSPRNG at once (as `crypto.randomUUID` does). */
const POOL_BYTES = 16 * 256;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;
const text = Buffer.allocUnsafe(36);

/**
 * A random (version 4) UUID, like `crypto.randomUUID()` and from the same source, written into
 * one flat string: Node builds its UUID from 20 concatenated pieces, which costs a message a few
 * hundred bytes of garbage and a flattening when the id becomes a map key.
 */
export function randomUuid(): string {
  if (offset === POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  let out = 0;
  for (let i = 0; i < 16; i++) {
    let byte = pool[offset + i] as number;
    if (i === 6)
      byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // variant 10xx
    text[out++] = HEX[byte >> 4] as number;
    text[out++] = HEX[byte & 0x0f] as number;
    if (i === 3 || i === 5 || i === 7 || i === 9) text[out++] = 0x2d; // '-'
  }
  offset += 16;
  return text.toString('latin1', 0, 36);
}
