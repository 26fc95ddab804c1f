/**
 * User Data Header (GSM 03.40 §9.2.3.24) at the start of `short_message` when `esm_class & 0x40`.
 * Only concatenation is built here; every element is parsed and kept for the caller.
 */

/** IEI 0x00: concatenated short message, 8-bit reference. */
export const IEI_CONCAT_8 = 0x00;
/** IEI 0x08: concatenated short message, 16-bit reference. */
export const IEI_CONCAT_16 = 0x08;
/** Bytes of a concatenation UDH, length octet included. */
export const CONCAT_UDH_LENGTH = { 8: 6, 16: 7 } as const;

export type ReferenceBits = 8 | 16;

export interface UdhElement {
  readonly iei: number;
  readonly data: Uint8Array;
}

export interface ConcatenationInfo {
  readonly reference: number;
  readonly total: number;
  readonly sequence: number;
  readonly referenceBits: ReferenceBits;
}

export interface ParsedUdh {
  /** Bytes the header takes, its length octet included (UDHL + 1). */
  readonly headerLength: number;
  readonly elements: readonly UdhElement[];
  /** Present when a valid concatenation element is there (the last one wins, as 03.40 says). */
  readonly concat?: ConcatenationInfo;
  /** The bytes after the header: the text of this part. */
  readonly payload: Uint8Array;
}

/**
 * Writes `05 00 03 ref total seq` (8-bit reference) or `06 08 04 refHi refLo total seq` at the
 * start of `target` and returns the bytes written. The reference is masked to its width.
 */
export function writeConcatenationUdh(
  target: Uint8Array,
  reference: number,
  total: number,
  sequence: number,
  referenceBits: ReferenceBits,
): number {
  if (referenceBits === 8) {
    target[0] = 0x05;
    target[1] = IEI_CONCAT_8;
    target[2] = 0x03;
    target[3] = reference & 0xff;
    target[4] = total;
    target[5] = sequence;
    return 6;
  }
  target[0] = 0x06;
  target[1] = IEI_CONCAT_16;
  target[2] = 0x04;
  target[3] = (reference >>> 8) & 0xff;
  target[4] = reference & 0xff;
  target[5] = total;
  target[6] = sequence;
  return 7;
}

/**
 * A concatenation UDH on its own: `05 00 03 ref total seq` (8-bit reference) or
 * `06 08 04 refHi refLo total seq` (16-bit); the reference is masked to its width.
 */
export function concatenationUdh(
  reference: number,
  total: number,
  sequence: number,
  referenceBits: ReferenceBits = 8,
): Uint8Array {
  const header = new Uint8Array(CONCAT_UDH_LENGTH[referenceBits]);
  writeConcatenationUdh(header, reference, total, sequence, referenceBits);
  return header;
}

/**
 * Parses the UDH at the start of `shortMessage`. Tolerant: returns undefined for a header that
 * overruns the message or an element that overruns the header, rather than throwing on what a
 * peer sent. A concatenation element with total 0, sequence 0 or sequence > total is ignored.
 */
export function parseUdh(shortMessage: Uint8Array): ParsedUdh | undefined {
  if (shortMessage.length === 0) return undefined;
  const headerLength = (shortMessage[0] as number) + 1;
  if (headerLength > shortMessage.length) return undefined;
  const elements: UdhElement[] = [];
  let concat: ConcatenationInfo | undefined;
  let offset = 1;
  while (offset < headerLength) {
    if (offset + 2 > headerLength) return undefined;
    const iei = shortMessage[offset] as number;
    const length = shortMessage[offset + 1] as number;
    const start = offset + 2;
    const end = start + length;
    if (end > headerLength) return undefined;
    const data = shortMessage.subarray(start, end);
    elements.push({ iei, data });
    if (iei === IEI_CONCAT_8 && length === 3) {
      concat = validConcat(data[0] as number, data[1] as number, data[2] as number, 8) ?? concat;
    } else if (iei === IEI_CONCAT_16 && length === 4) {
      const reference = ((data[0] as number) << 8) | (data[1] as number);
      concat = validConcat(reference, data[2] as number, data[3] as number, 16) ?? concat;
    }
    offset = end;
  }
  const payload = shortMessage.subarray(headerLength);
  return concat === undefined ? { headerLength, elements, payload } : { headerLength, elements, concat, payload };
}

function validConcat(
  reference: number,
  total: number,
  sequence: number,
  referenceBits: ReferenceBits,
): ConcatenationInfo | undefined {
  if (total === 0 || sequence === 0 || sequence > total) return undefined;
  return { reference, total, sequence, referenceBits };
}
