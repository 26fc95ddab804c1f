import { Buffer } from 'node:buffer';
import { ErrorCode, TidingsError } from '@tidings/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu, submitSm } from './codec.js';
import { FrameReader } from './frame-reader.js';

function enquireLink(sequence: number): Buffer {
  return encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: sequence });
}

function submit(sequence: number, size = 20): Buffer {
  return encodePdu(submitSm({ destination_addr: '336', short_message: Buffer.alloc(size, sequence & 0xff) }, sequence));
}

/** Feeds `chunks` and returns every emitted frame, copied (views may be of reused test buffers). */
function feedAll(reader: FrameReader, chunks: readonly Buffer[]): Buffer[] {
  const frames: Buffer[] = [];
  for (const chunk of chunks) reader.feed(chunk, (frame) => frames.push(Buffer.from(frame)));
  return frames;
}

/** `stream` cut at the given offsets. */
function cut(stream: Buffer, offsets: readonly number[]): Buffer[] {
  const points = [...new Set(offsets)].filter((o) => o > 0 && o < stream.length).sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, stream.length]) {
    chunks.push(stream.subarray(start, point));
    start = point;
  }
  return chunks;
}

function thrown(action: () => unknown): TidingsError {
  try {
    action();
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('expected a TidingsError, nothing was thrown');
}

describe('FrameReader', () => {
  const frames = [enquireLink(1), submit(2), submit(3, 254), enquireLink(4), submit(5, 0)];
  const stream = Buffer.concat(frames);

  it('emits every frame of one chunk as views of that chunk', () => {
    const reader = new FrameReader();
    const emitted: Buffer[] = [];
    reader.feed(stream, (frame) => emitted.push(frame));
    expect(emitted).toEqual(frames);
    expect(emitted[1]?.buffer).toBe(stream.buffer);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('reassembles frames fed one byte at a time', () => {
    const reader = new FrameReader();
    const chunks = [...stream].map((byte) => Buffer.from([byte]));
    expect(feedAll(reader, chunks)).toEqual(frames);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('reassembles frames whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 30 }), (offsets) => {
        expect(feedAll(new FrameReader(), cut(stream, offsets))).toEqual(frames);
      }),
    );
  });

  it('keeps a partial frame buffered until it completes', () => {
    const reader = new FrameReader();
    const frame = submit(9, 100);
    expect(feedAll(reader, [frame.subarray(0, 3)])).toEqual([]);
    expect(reader.bufferedBytes).toBe(3);
    expect(feedAll(reader, [frame.subarray(3, 50)])).toEqual([]);
    expect(reader.bufferedBytes).toBe(50);
    expect(feedAll(reader, [Buffer.concat([frame.subarray(50), enquireLink(10).subarray(0, 5)])])).toEqual([frame]);
    expect(reader.bufferedBytes).toBe(5);
  });

  it('gives a frame split across chunks its own memory', () => {
    const reader = new FrameReader();
    const frame = submit(9);
    const first = Buffer.from(frame.subarray(0, 10));
    const second = Buffer.from(frame.subarray(10));
    const emitted: Buffer[] = [];
    reader.feed(first, (f) => emitted.push(f));
    reader.feed(second, (f) => emitted.push(f));
    first.fill(0);
    second.fill(0);
    expect(emitted).toEqual([frame]);
  });

  it('accepts a frame of exactly maxFrameBytes and a 64 KiB message_payload by default', () => {
    const payload = encodePdu({
      ...submitSm({ destination_addr: '1', short_message: Buffer.alloc(0) }, 1),
      tlvs: [{ tag: 0x0424, value: Buffer.alloc(65_535) }],
    });
    expect(feedAll(new FrameReader(), cut(payload, [1000, 40_000]))).toEqual([payload]);
    expect(feedAll(new FrameReader({ maxFrameBytes: 16 }), [enquireLink(1)])).toEqual([enquireLink(1)]);
  });

  it.each([
    ['below 16', 15],
    ['zero', 0],
    ['above maxFrameBytes', 70_001],
    ['absurdly large', 0xffffffff],
  ])('throws TIDINGS_PROTOCOL_ERROR for a command_length %s, then stays poisoned', (_, length) => {
    const reader = new FrameReader();
    const bad = Buffer.alloc(16);
    bad.writeUInt32BE(length, 0);
    const emitted: Buffer[] = [];
    const error = thrown(() => reader.feed(Buffer.concat([enquireLink(1), bad]), (f) => emitted.push(f)));
    expect(emitted).toEqual([enquireLink(1)]);
    expect(error.code).toBe(ErrorCode.ProtocolError);
    expect(error.details).toEqual({ commandLength: length });
    expect(error.message).toContain(String(length));

    const again = thrown(() => reader.feed(enquireLink(2), (f) => emitted.push(f)));
    expect(again.code).toBe(ErrorCode.ProtocolError);
    expect(again.cause).toBe(error);
    expect(emitted).toHaveLength(1);

    reader.reset();
    expect(feedAll(reader, [enquireLink(3)])).toEqual([enquireLink(3)]);
  });

  it('detects a bad command_length split across chunks before the frame completes', () => {
    const reader = new FrameReader({ maxFrameBytes: 1000 });
    reader.feed(Buffer.from([0x00, 0x00]), () => {});
    const error = thrown(() => reader.feed(Buffer.from([0x10, 0x00]), () => {}));
    expect(error.details).toEqual({ commandLength: 0x1000 });
  });

  it('keeps the frames after one whose handler threw, and delivers them on the next feed', () => {
    const reader = new FrameReader();
    const emitted: number[] = [];
    const onFrame = (frame: Buffer) => {
      const sequence = frame.readUInt32BE(12);
      if (sequence === 2) throw new Error('handler failed');
      emitted.push(sequence);
    };
    expect(() => reader.feed(stream, onFrame)).toThrow('handler failed');
    expect(emitted).toEqual([1]);
    expect(reader.bufferedBytes).toBe(stream.length - enquireLink(1).length - submit(2).length);
    reader.feed(Buffer.alloc(0), onFrame);
    expect(emitted).toEqual([1, 3, 4, 5]);
  });

  it('keeps the rest of the chunk when the handler of a reassembled frame throws', () => {
    const reader = new FrameReader();
    const emitted: number[] = [];
    let failOnce = true;
    const onFrame = (frame: Buffer) => {
      if (failOnce) {
        failOnce = false;
        throw new Error('once');
      }
      emitted.push(frame.readUInt32BE(12));
    };
    reader.feed(stream.subarray(0, 7), onFrame);
    expect(() => reader.feed(stream.subarray(7, 60), onFrame)).toThrow('once');
    reader.feed(stream.subarray(60), onFrame);
    expect(emitted).toEqual([2, 3, 4, 5]);
  });

  it('stops emitting when the handler resets the reader', () => {
    const reader = new FrameReader();
    const emitted: number[] = [];
    reader.feed(stream, (frame) => {
      emitted.push(frame.readUInt32BE(12));
      reader.reset();
    });
    expect(emitted).toEqual([1]);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('refuses a feed from inside onFrame', () => {
    const reader = new FrameReader();
    const error = thrown(() => reader.feed(enquireLink(1), () => reader.feed(enquireLink(2), () => {})));
    expect(error.code).toBe(ErrorCode.Internal);
  });

  it('refuses an invalid maxFrameBytes', () => {
    expect(thrown(() => new FrameReader({ maxFrameBytes: 15 })).code).toBe(ErrorCode.InvalidOptions);
    expect(thrown(() => new FrameReader({ maxFrameBytes: 1.5 })).code).toBe(ErrorCode.InvalidOptions);
  });

  it('turns random bytes in random chunks into frames or a TidingsError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }),
        fc.boolean(),
        (bytes, offsets, smallLengths) => {
          const garbage = Buffer.from(bytes);
          // Half the runs get plausible command_lengths so that frames do come out.
          if (smallLengths && garbage.length >= 4) garbage.writeUInt32BE(16 + (garbage[4] ?? 0), 0);
          const reader = new FrameReader({ maxFrameBytes: 300 });
          let total = 0;
          try {
            for (const chunk of cut(garbage, offsets)) {
              reader.feed(chunk, (frame) => {
                expect(frame.length).toBe(frame.readUInt32BE(0));
                total += frame.length;
                try {
                  decodePdu(frame);
                } catch (error) {
                  expect(error).toBeInstanceOf(TidingsError);
                }
              });
            }
            expect(total + reader.bufferedBytes).toBe(garbage.length);
          } catch (error) {
            expect(error).toBeInstanceOf(TidingsError);
            expect((error as TidingsError).code).toBe(ErrorCode.ProtocolError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
