import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { type Segment, type SegmentOptions, segmentText } from './segmenter.js';
import { decodeText } from './text-codec.js';
import { parseUdh } from './udh.js';

const udh8: SegmentOptions = { concatenation: 'udh8', reference: 0x2a };

/** The text bytes of a part, without its UDH. */
function bodyOf(part: Segment): Uint8Array {
  return part.esmClassFlags & 0x40 ? (parseUdh(part.shortMessage)?.payload ?? new Uint8Array(0)) : part.shortMessage;
}

function caught(run: () => unknown): TidingsError {
  try {
    run();
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('expected a TidingsError');
}

describe('segmentText: GSM 7-bit (160 / 153)', () => {
  it('sends 160 septets as one SMS with no UDH', () => {
    const { alphabet, dataCoding, parts } = segmentText('a'.repeat(160), udh8);
    expect(alphabet).toBe('gsm7');
    expect(dataCoding).toBe(0);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toEqual({ shortMessage: new Uint8Array(160).fill(0x61), esmClassFlags: 0 });
  });

  it('splits 161 septets into 153 + 8, each behind 05 00 03 ref total seq', () => {
    const { parts } = segmentText('a'.repeat(161), udh8);
    expect(parts).toHaveLength(2);
    expect(parts.map((part) => part.esmClassFlags)).toEqual([0x40, 0x40]);
    expect(Array.from(parts[0]?.shortMessage.subarray(0, 6) ?? [])).toEqual([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01]);
    expect(Array.from(parts[1]?.shortMessage.subarray(0, 6) ?? [])).toEqual([0x05, 0x00, 0x03, 0x2a, 0x02, 0x02]);
    expect(parts.map((part) => part.shortMessage.length)).toEqual([6 + 153, 6 + 8]);
  });

  it('needs 2 parts for 306 septets and 3 for 307', () => {
    expect(segmentText('a'.repeat(306), udh8).parts).toHaveLength(2);
    const three = segmentText('a'.repeat(307), udh8).parts;
    expect(three).toHaveLength(3);
    expect(three.map((part) => bodyOf(part).length)).toEqual([153, 153, 1]);
  });

  it('counts extension characters as 2 septets', () => {
    expect(segmentText('€'.repeat(80), udh8).parts).toHaveLength(1);
    expect(segmentText('€'.repeat(81), udh8).parts).toHaveLength(2);
    expect(segmentText(`${'a'.repeat(159)}{`, udh8).parts).toHaveLength(2);
  });

  it('moves an escape pair that would straddle the boundary to the next part', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const { parts } = segmentText(text, udh8);
    expect(parts).toHaveLength(2);
    const first = bodyOf(parts[0] as Segment);
    const second = bodyOf(parts[1] as Segment);
    expect(first).toEqual(new Uint8Array(152).fill(0x61));
    expect(Array.from(second.subarray(0, 2))).toEqual([0x1b, 0x65]);
    expect(decodeText(first, 0) + decodeText(second, 0)).toBe(text);
  });

  it('uses 152 septets per part with a 16-bit reference and 06 08 04 refHi refLo total seq', () => {
    const { parts } = segmentText('a'.repeat(305), { concatenation: 'udh16', reference: 0x1234 });
    expect(parts).toHaveLength(3);
    expect(Array.from(parts[2]?.shortMessage.subarray(0, 7) ?? [])).toEqual([0x06, 0x08, 0x04, 0x12, 0x34, 0x03, 0x03]);
    expect(parts.map((part) => bodyOf(part).length)).toEqual([152, 152, 1]);
  });
});

describe('segmentText: Latin-1 (140 / 134)', () => {
  it('sends 140 bytes as one SMS and splits 141 into 134 + 7', () => {
    const one = segmentText('ê'.repeat(140), udh8);
    expect(one.alphabet).toBe('latin1');
    expect(one.dataCoding).toBe(3);
    expect(one.parts).toHaveLength(1);
    const two = segmentText('ê'.repeat(141), udh8).parts;
    expect(two.map((part) => bodyOf(part).length)).toEqual([134, 7]);
  });

  it('needs 2 parts for 268 bytes, 3 for 269, and 133 per part with udh16', () => {
    expect(segmentText('ê'.repeat(268), udh8).parts).toHaveLength(2);
    expect(segmentText('ê'.repeat(269), udh8).parts).toHaveLength(3);
    const wide = segmentText('ê'.repeat(267), { concatenation: 'udh16', reference: 1 }).parts;
    expect(wide.map((part) => bodyOf(part).length)).toEqual([133, 133, 1]);
  });
});

describe('segmentText: UCS2 (70 / 67)', () => {
  it('sends 70 units as one SMS and splits 71 into 67 + 4', () => {
    const one = segmentText('Ж'.repeat(70), udh8);
    expect(one.alphabet).toBe('ucs2');
    expect(one.dataCoding).toBe(8);
    expect(one.parts).toHaveLength(1);
    expect(one.parts[0]?.shortMessage.length).toBe(140);
    const two = segmentText('Ж'.repeat(71), udh8).parts;
    expect(two.map((part) => bodyOf(part).length / 2)).toEqual([67, 4]);
    expect(two.map((part) => part.shortMessage.length)).toEqual([6 + 134, 6 + 8]);
  });

  it('counts an emoji as 2 units', () => {
    expect(segmentText('😀'.repeat(35), udh8).parts).toHaveLength(1);
    expect(segmentText('😀'.repeat(36), udh8).parts).toHaveLength(2);
  });

  it('moves an emoji straddling unit 67 to the next part', () => {
    const text = `${'Ж'.repeat(66)}😀${'Ж'.repeat(10)}`;
    const { parts } = segmentText(text, udh8);
    expect(parts).toHaveLength(2);
    const first = decodeText(bodyOf(parts[0] as Segment), 8);
    const second = decodeText(bodyOf(parts[1] as Segment), 8);
    expect(first).toBe('Ж'.repeat(66));
    expect(second).toBe(`😀${'Ж'.repeat(10)}`);
  });

  it('uses 66 units per part with udh16', () => {
    const { parts } = segmentText('Ж'.repeat(133), { concatenation: 'udh16', reference: 1 });
    expect(parts.map((part) => bodyOf(part).length / 2)).toEqual([66, 66, 1]);
  });
});

describe('segmentText: ASCII (160 / 153)', () => {
  it('uses ascii when pinned, with data_coding 1', () => {
    const one = segmentText('a'.repeat(160), { ...udh8, alphabet: 'ascii' });
    expect(one.alphabet).toBe('ascii');
    expect(one.dataCoding).toBe(1);
    expect(one.parts).toHaveLength(1);
    const two = segmentText('`'.repeat(161), { ...udh8, allowed: ['ascii', 'ucs2'] }).parts;
    expect(two.map((part) => bodyOf(part).length)).toEqual([153, 8]);
  });
});

describe('segmentText: SAR', () => {
  it('carries no UDH, keeps the udh8 part sizes, and fills the SAR fields', () => {
    const { parts } = segmentText('a'.repeat(161), { concatenation: 'sar', reference: 0x1_0203 });
    expect(parts).toHaveLength(2);
    expect(parts[0]).toEqual({
      shortMessage: new Uint8Array(153).fill(0x61),
      esmClassFlags: 0,
      sar: { reference: 0x0203, total: 2, sequence: 1 },
    });
    expect(parts[1]?.sar).toEqual({ reference: 0x0203, total: 2, sequence: 2 });
    expect(parts[1]?.shortMessage).toEqual(new Uint8Array(8).fill(0x61));
  });

  it('sends a short text as one plain SMS without SAR fields', () => {
    expect(segmentText('hi', { concatenation: 'sar', reference: 1 }).parts).toEqual([
      { shortMessage: Uint8Array.from([0x68, 0x69]), esmClassFlags: 0 },
    ]);
  });
});

describe('segmentText: message_payload', () => {
  it('puts the whole encoded text in one messagePayload with an empty short_message', () => {
    const text = 'Ж'.repeat(500);
    const { parts, dataCoding } = segmentText(text, { concatenation: 'payload', reference: 0 });
    expect(dataCoding).toBe(8);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.shortMessage).toHaveLength(0);
    expect(parts[0]?.esmClassFlags).toBe(0);
    expect(parts[0]?.messagePayload).toHaveLength(1000);
    expect(decodeText(parts[0]?.messagePayload ?? new Uint8Array(0), 8)).toBe(text);
  });

  it('refuses a text above maxPayloadBytes', () => {
    const error = caught(() =>
      segmentText('a'.repeat(101), { concatenation: 'payload', reference: 0, maxPayloadBytes: 100 }),
    );
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toContain('101 bytes');
    expect(error.message).toContain('at most 100');
    expect(
      segmentText('a'.repeat(100), { concatenation: 'payload', reference: 0, maxPayloadBytes: 100 }).parts,
    ).toHaveLength(1);
  });
});

describe('segmentText: limits and edge cases', () => {
  it('sends an empty text as one empty segment', () => {
    expect(segmentText('', udh8)).toEqual({
      alphabet: 'gsm7',
      dataCoding: 0,
      parts: [{ shortMessage: new Uint8Array(0), esmClassFlags: 0 }],
    });
  });

  it("refuses a long text with concatenation 'none' but sends one that fits", () => {
    const error = caught(() => segmentText('a'.repeat(161), { concatenation: 'none', reference: 0 }));
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toContain('161 septets');
    expect(error.message).toContain('holds 160');
    expect(segmentText('a'.repeat(160), { concatenation: 'none', reference: 0 }).parts).toHaveLength(1);
  });

  it('refuses more parts than maxParts, stating the count and the limit', () => {
    const error = caught(() => segmentText('a'.repeat(153 * 3 + 1), { ...udh8, maxParts: 3 }));
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toContain('needs 4 parts');
    expect(error.message).toContain('at most 3');
    expect(segmentText('a'.repeat(153 * 3), { ...udh8, maxParts: 3 }).parts).toHaveLength(3);
  });

  it('refuses more than 255 parts by default', () => {
    expect(segmentText('a'.repeat(153 * 255), udh8).parts).toHaveLength(255);
    expect(caught(() => segmentText('a'.repeat(153 * 255 + 1), udh8)).message).toContain('needs 256 parts');
  });

  it('refuses a text the pinned alphabet lacks', () => {
    const error = caught(() => segmentText('Привет', { ...udh8, alphabet: 'latin1' }));
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toContain('at index 0');
  });

  it('refuses bad options with TIDINGS_INVALID_OPTIONS', () => {
    expect(caught(() => segmentText('a', { concatenation: 'udh8', reference: -1 })).code).toBe(
      ErrorCode.InvalidOptions,
    );
    expect(caught(() => segmentText('a', { concatenation: 'udh8', reference: 1.5 })).code).toBe(
      ErrorCode.InvalidOptions,
    );
    expect(caught(() => segmentText('a', { ...udh8, maxParts: 0 })).code).toBe(ErrorCode.InvalidOptions);
    expect(caught(() => segmentText('a', { ...udh8, maxParts: 256 })).code).toBe(ErrorCode.InvalidOptions);
  });

  it('masks the reference to 8 bits for udh8', () => {
    const { parts } = segmentText('a'.repeat(161), { concatenation: 'udh8', reference: 0x1ff });
    expect(parts[0]?.shortMessage[3]).toBe(0xff);
  });
});
