import { Buffer } from 'node:buffer';
import { ErrorCode, TidingsError } from '@tidings/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUdh } from '../encoding/udh.js';
import { extractReceipt, isReceipt } from '../receipt/receipt.js';
import { parseReceiptText } from '../receipt/receipt-text.js';
import { decodePdu, encodePdu } from './codec.js';
import { FrameReader } from './frame-reader.js';
import { CommandId, type Pdu } from './pdu.js';
import { deliverSm, genericNack, submitSm } from './pdu-factory.js';
import { TlvRegistry } from './tlv-registry.js';

/**
 * Property-based fuzzing of everything that reads bytes from the peer: the frame reader, the PDU
 * decoder, the UDH and receipt parsers. `pnpm test` runs a few hundred cases per property;
 * `pnpm --filter @tidings/transport-smpp fuzz` (FUZZ_RUNS) runs as many as you like.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const TIMEOUT = process.env.FUZZ_RUNS === undefined ? 30_000 : 0;
const MAX_FRAME = 4_096;

/** Only TidingsError with a protocol code may come out of the reader and the decoder. */
function expectProtocolError(error: unknown): void {
  expect(error).toBeInstanceOf(TidingsError);
  expect((error as TidingsError).code).toBe(ErrorCode.ProtocolError);
}

const address = fc.string({ unit: fc.constantFrom(...'0123456789+abc'), maxLength: 20 });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const sequence = fc.integer({ min: 1, max: 0x7fffffff });

/** Valid PDUs of the commands that carry traffic, with random fields. */
const validPdu: fc.Arbitrary<Pdu> = fc.oneof(
  fc
    .record({ to: address, text: bytes(160), seq: sequence })
    .map(({ to, text, seq }) => submitSm({ destination_addr: to, short_message: text }, seq)),
  fc
    .record({ from: address, text: bytes(160), esm: fc.integer({ min: 0, max: 255 }), seq: sequence })
    .map(({ from, text, esm, seq }) =>
      deliverSm({ source_addr: from, destination_addr: '555', short_message: text, esm_class: esm }, seq),
    ),
  fc.record({ seq: sequence, status: fc.integer({ min: 0, max: 0xff }), id: address }).map(
    ({ seq, status, id }): Pdu => ({
      command: 'submit_sm_resp',
      command_status: status,
      sequence_number: seq,
      message_id: id,
    }),
  ),
  sequence.map((seq): Pdu => ({ command: 'enquire_link', command_status: 0, sequence_number: seq })),
  sequence.map((seq) => genericNack(seq)),
);

/** A stream of valid frames and where to cut it into chunks. */
const validStream = fc
  .record({ pdus: fc.array(validPdu, { minLength: 1, maxLength: 12 }), cuts: fc.array(fc.nat(), { maxLength: 30 }) })
  .map(({ pdus, cuts }) => {
    const frames = pdus.map((pdu) => encodePdu(pdu));
    const stream = Buffer.concat(frames);
    return { frames, stream, cuts: cuts.map((cut) => cut % (stream.length + 1)) };
  });

type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly value: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: bytes(24) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
);

/** Applies mutations: a byte set, the stream cut short, bytes inserted, a slice repeated. */
function mutate(stream: Buffer, mutations: readonly Mutation[]): Buffer {
  let out = Buffer.from(stream);
  for (const change of mutations) {
    if (out.length === 0) break;
    const at = change.at % out.length;
    switch (change.kind) {
      case 'flip':
        out[at] = change.value;
        break;
      case 'truncate':
        out = out.subarray(0, at);
        break;
      case 'insert':
        out = Buffer.concat([out.subarray(0, at), change.bytes, out.subarray(at)]);
        break;
      case 'repeat':
        out = Buffer.concat([out.subarray(0, at + change.length), out.subarray(at)]);
        break;
    }
  }
  return out;
}

function chunks(stream: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))]
    .filter((point) => point > 0 && point < stream.length)
    .sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const point of [...points, stream.length]) {
    out.push(stream.subarray(start, point));
    start = point;
  }
  return out;
}

const registry = TlvRegistry.standard;

/** What the session does with a frame: decode it and, for deliver_sm, read it as a receipt. */
function consume(frame: Buffer): void {
  let pdu: Pdu;
  try {
    pdu = decodePdu(frame);
  } catch (error) {
    expectProtocolError(error);
    return;
  }
  if (pdu.command === 'deliver_sm' || pdu.command === 'data_sm') {
    if (isReceipt(pdu, registry)) extractReceipt(pdu, registry);
    if (pdu.command === 'deliver_sm') parseUdh(pdu.short_message);
  }
}

describe('wire fuzzing', () => {
  it(
    'valid frames in any chunking: every frame comes out, byte for byte, in order, nothing left over (no stall)',
    () => {
      fc.assert(
        fc.property(validStream, ({ frames, stream, cuts }) => {
          const reader = new FrameReader({ maxFrameBytes: MAX_FRAME });
          const out: Buffer[] = [];
          for (const chunk of chunks(stream, cuts)) reader.feed(chunk, (frame) => out.push(Buffer.from(frame)));
          expect(out).toEqual(frames);
          expect(reader.bufferedBytes).toBe(0);
          for (const frame of out) expect(decodePdu(frame).command).not.toBe('other');
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'mutated streams: the reader emits frames or throws TIDINGS_PROTOCOL_ERROR, never anything else, and buffers less than one max frame',
    () => {
      fc.assert(
        fc.property(validStream, fc.array(mutation, { minLength: 1, maxLength: 6 }), ({ stream, cuts }, changes) => {
          const mutated = mutate(stream, changes);
          const reader = new FrameReader({ maxFrameBytes: MAX_FRAME });
          let emitted = 0;
          try {
            for (const chunk of chunks(mutated, cuts)) {
              reader.feed(chunk, (frame) => {
                expect(frame.length).toBe(frame.readUInt32BE(0));
                emitted += frame.length;
                consume(frame);
              });
              // Memory stays bounded: at most one incomplete frame, itself within the limit.
              expect(reader.bufferedBytes).toBeLessThan(MAX_FRAME);
            }
            // Nothing is lost or invented: what was not emitted is the incomplete tail.
            expect(emitted + reader.bufferedBytes).toBe(mutated.length);
          } catch (error) {
            expectProtocolError(error);
            // A corrupt stream stays refused until reset for a new connection.
            expect(() => reader.feed(Buffer.alloc(16), () => {})).toThrow(TidingsError);
            reader.reset();
            expect(reader.bufferedBytes).toBe(0);
          }
        }),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'arbitrary bodies under every known command id: decodePdu returns a PDU or throws TIDINGS_PROTOCOL_ERROR',
    () => {
      const ids = Object.values(CommandId);
      fc.assert(
        fc.property(
          fc.constantFrom(...ids),
          fc.integer({ min: 0, max: 0xffffffff }),
          sequence,
          bytes(300),
          (id, status, seq, body) => {
            const frame = Buffer.alloc(16 + body.length);
            frame.writeUInt32BE(frame.length, 0);
            frame.writeUInt32BE(id, 4);
            frame.writeUInt32BE(status, 8);
            frame.writeUInt32BE(seq, 12);
            frame.set(body, 16);
            consume(frame);
          },
        ),
        { numRuns: RUNS * 3 },
      );
    },
    TIMEOUT,
  );

  it(
    'arbitrary receipt texts and UDHs: the parsers return a value or undefined, never throw',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ maxLength: 200 }),
            fc
              .array(
                fc.constantFrom(
                  'id:',
                  'sub:',
                  'dlvrd:',
                  'submit date:',
                  'done date:',
                  'stat:',
                  'err:',
                  'text:',
                  ' ',
                  '0',
                  '9',
                  'DELIVRD',
                  'x',
                ),
              )
              .map((parts) => parts.join('')),
          ),
          bytes(200),
          (text, udh) => {
            parseReceiptText(text);
            parseUdh(udh);
          },
        ),
        { numRuns: RUNS * 3 },
      );
    },
    TIMEOUT,
  );
});
