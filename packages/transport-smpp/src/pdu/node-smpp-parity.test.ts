import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { ErrorCode, TidingsError } from '@tidings/core';
import fc from 'fast-check';
import type { PDU as NodeSmppPdu } from 'smpp';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu } from './codec.js';
import { FrameReader } from './frame-reader.js';
import type { DeliverSm, Pdu, SubmitSm, Tlv } from './pdu.js';
import { TlvRegistry } from './tlv-registry.js';

/*
 * Our codec against node-smpp 0.5.1, the reference this package replaces: same bytes out, same
 * fields in. node-smpp is driven through its public PDU class, with short_message as a Buffer and
 * data_coding set so that its text filters pass bytes through unchanged.
 */

const require = createRequire(import.meta.url);
const smpp = require('smpp') as {
  PDU: typeof NodeSmppPdu;
  Session: new (options: { socket: PassThrough }) => NodeJS.EventEmitter & { _busy: boolean };
};

/** node-smpp's decoding without its text filters (they turn bytes into guessed text and dates). */
function nodeSmppDecode(bytes: Buffer): Record<string, unknown> {
  const pdu = Object.create(smpp.PDU.prototype) as NodeSmppPdu & { _filter(): void };
  pdu._filter = () => {};
  (smpp.PDU.prototype as unknown as { fromBuffer(this: unknown, b: Buffer): void }).fromBuffer.call(pdu, bytes);
  return pdu;
}

const MANDATORY = [
  'service_type',
  'source_addr_ton',
  'source_addr_npi',
  'source_addr',
  'dest_addr_ton',
  'dest_addr_npi',
  'destination_addr',
  'esm_class',
  'protocol_id',
  'priority_flag',
  'schedule_delivery_time',
  'validity_period',
  'registered_delivery',
  'replace_if_present_flag',
  'data_coding',
  'sm_default_msg_id',
  'short_message',
] as const;

const byte = fc.integer({ min: 0, max: 255 });
const uint16 = fc.integer({ min: 0, max: 0xffff });
const asciiChar = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
/** Printable ASCII of at most `maxLength` characters (the spec's C-Octet size minus the NUL). */
const ascii = (maxLength: number) => fc.string({ unit: asciiChar, maxLength });
const digits = (length: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
/** '' or a 16-character SMPP time, absolute (`+`/`-`) or relative (`R`). */
const smppTime = fc.oneof(
  fc.constant(''),
  fc.tuple(digits(13), digits(2), fc.constantFrom('+', '-', 'R')).map(([head, quarter, p]) => `${head}${quarter}${p}`),
);
const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));

interface TlvSpec {
  /** node-smpp's option key. */
  readonly nodeName: string;
  /** Our (SMPP specification) name. */
  readonly name: string;
  readonly value: fc.Arbitrary<number | string | Buffer>;
}

/** TLVs node-smpp knows with values its types encode as-is (no filter rewriting them). */
const TLV_SPECS: readonly TlvSpec[] = [
  { nodeName: 'message_payload', name: 'message_payload', value: bytes(600) },
  { nodeName: 'sar_msg_ref_num', name: 'sar_msg_ref_num', value: uint16 },
  { nodeName: 'sar_total_segments', name: 'sar_total_segments', value: byte },
  { nodeName: 'sar_segment_seqnum', name: 'sar_segment_seqnum', value: byte },
  { nodeName: 'user_message_reference', name: 'user_message_reference', value: uint16 },
  { nodeName: 'receipted_message_id', name: 'receipted_message_id', value: ascii(64) },
  { nodeName: 'message_state', name: 'message_state', value: byte },
  { nodeName: 'source_port', name: 'source_port', value: uint16 },
  { nodeName: 'dest_port', name: 'destination_port', value: uint16 },
  { nodeName: 'network_error_code', name: 'network_error_code', value: bytes(3).filter((b) => b.length === 3) },
  { nodeName: 'additional_status_info_text', name: 'additional_status_info_text', value: ascii(40) },
  { nodeName: 'qos_time_to_live', name: 'qos_time_to_live', value: fc.integer({ min: 0, max: 0xffffffff }) },
  { nodeName: 'language_indicator', name: 'language_indicator', value: byte },
  { nodeName: 'payload_type', name: 'payload_type', value: byte },
];

/** Distinct TLVs in a random order: node-smpp writes them in its options' key insertion order. */
const tlvChoice = fc
  .shuffledSubarray([...TLV_SPECS])
  .chain((specs) =>
    fc.tuple(...specs.map((spec) => spec.value)).map((values) => specs.map((spec, i) => ({ spec, value: values[i] }))),
  );

const shortMessagePdu = fc.record({
  command: fc.constantFrom('submit_sm' as const, 'deliver_sm' as const),
  sequence_number: fc.integer({ min: 1, max: 0x7fffffff }),
  service_type: ascii(5),
  source_addr_ton: byte,
  source_addr_npi: byte,
  source_addr: ascii(20),
  dest_addr_ton: byte,
  dest_addr_npi: byte,
  destination_addr: ascii(20),
  esm_class: byte,
  protocol_id: byte,
  priority_flag: byte,
  schedule_delivery_time: smppTime,
  validity_period: smppTime,
  registered_delivery: byte,
  replace_if_present_flag: byte,
  data_coding: byte,
  sm_default_msg_id: byte,
  short_message: bytes(254),
  tlvs: tlvChoice,
});

type Generated = typeof shortMessagePdu extends fc.Arbitrary<infer T> ? T : never;

function toOurs(generated: Generated): SubmitSm | DeliverSm {
  const { tlvs, ...fields } = generated;
  const encoded: Tlv[] = tlvs.map(({ spec, value }) =>
    TlvRegistry.standard.encode(spec.name, value as number | string | Buffer),
  );
  return { ...fields, command_status: 0, ...(encoded.length > 0 ? { tlvs: encoded } : {}) };
}

function toNodeSmppOptions(generated: Generated): Record<string, unknown> {
  const { command: _, tlvs, ...fields } = generated;
  const options: Record<string, unknown> = { ...fields };
  for (const { spec, value } of tlvs) options[spec.nodeName] = value;
  return options;
}

describe('parity with node-smpp 0.5.1', () => {
  it('encodes random submit_sm and deliver_sm to the same bytes, and both decoders agree', () => {
    fc.assert(
      fc.property(shortMessagePdu, (generated) => {
        const ours = toOurs(generated);
        const ourBytes = encodePdu(ours);
        const theirBytes = new smpp.PDU(generated.command, toNodeSmppOptions(generated)).toBuffer();
        expect(ourBytes.toString('hex')).toBe(theirBytes.toString('hex'));

        // node-smpp reads our bytes back to every field we wrote.
        const theirView = nodeSmppDecode(ourBytes);
        expect(theirView.command).toBe(generated.command);
        expect(theirView.sequence_number).toBe(generated.sequence_number);
        for (const field of MANDATORY) expect(theirView[field], field).toEqual(generated[field]);
        for (const { spec, value } of generated.tlvs) expect(theirView[spec.nodeName], spec.nodeName).toEqual(value);

        // We read node-smpp's bytes back to the same PDU, TLVs included.
        const ourView = decodePdu(theirBytes);
        expect(ourView).toEqual(ours);
        const record = TlvRegistry.standard.toRecord(ourView.tlvs);
        for (const { spec, value } of generated.tlvs) expect(record[spec.name], spec.name).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  // The other hot PDUs: submit_sm_resp, deliver_sm_resp, enquire_link(_resp), generic_nack.
  const status = fc.integer({ min: 1, max: 0xffffffff });
  const sequence = fc.integer({ min: 1, max: 0x7fffffff });
  const messageIdResp = fc.oneof(
    // Accepted: a message_id (deliver_sm_resp's is usually empty) and TLVs (SMPP 5.0 adds some).
    fc.record({
      command: fc.constantFrom('submit_sm_resp' as const, 'deliver_sm_resp' as const),
      command_status: fc.constant(0),
      sequence_number: sequence,
      message_id: ascii(64),
      tlvs: tlvChoice.map((tlvs) => tlvs.filter(({ spec }) => spec.name !== 'message_payload')),
    }),
    // Refused: header only. node-smpp drops the body of any PDU with a non-zero status, so a refusal
    // that carries a message_id is not something it handles; we keep that body (see codec.test.ts).
    fc.record({
      command: fc.constantFrom('submit_sm_resp' as const, 'deliver_sm_resp' as const),
      command_status: status,
      sequence_number: sequence,
      message_id: fc.constant(''),
      tlvs: fc.constant([] as { spec: TlvSpec; value: unknown }[]),
    }),
  );

  it('agrees on random submit_sm_resp and deliver_sm_resp, both ways, TLVs included', () => {
    fc.assert(
      fc.property(messageIdResp, (generated) => {
        const { tlvs, ...fields } = generated;
        const encoded: Tlv[] = tlvs.map(({ spec, value }) =>
          TlvRegistry.standard.encode(spec.name, value as number | string | Buffer),
        );
        const ours: Pdu = { ...fields, ...(encoded.length > 0 ? { tlvs: encoded } : {}) };
        const options: Record<string, unknown> = { ...fields };
        for (const { spec, value } of tlvs) options[spec.nodeName] = value;
        const { command: _, ...nodeOptions } = options;
        const ourBytes = encodePdu(ours);
        const theirBytes = new smpp.PDU(generated.command, nodeOptions).toBuffer();
        expect(ourBytes.toString('hex')).toBe(theirBytes.toString('hex'));

        const theirView = nodeSmppDecode(ourBytes);
        expect(theirView.command).toBe(generated.command);
        expect(theirView.command_status).toBe(generated.command_status);
        expect(theirView.sequence_number).toBe(generated.sequence_number);
        if (generated.command_status === 0) expect(theirView.message_id).toBe(generated.message_id);
        for (const { spec, value } of tlvs) expect(theirView[spec.nodeName], spec.nodeName).toEqual(value);

        expect(decodePdu(theirBytes)).toEqual(ours);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on random enquire_link, enquire_link_resp and generic_nack, both ways', () => {
    const headerOnly = fc.record({
      command: fc.constantFrom('enquire_link' as const, 'enquire_link_resp' as const, 'generic_nack' as const),
      command_status: fc.oneof(fc.constant(0), status),
      sequence_number: sequence,
    });
    fc.assert(
      fc.property(headerOnly, (pdu) => {
        const { command, ...options } = pdu;
        const ourBytes = encodePdu(pdu);
        const theirBytes = new smpp.PDU(command, options).toBuffer();
        expect(ourBytes.toString('hex')).toBe(theirBytes.toString('hex'));
        const theirView = nodeSmppDecode(ourBytes);
        expect([theirView.command, theirView.command_status, theirView.sequence_number]).toEqual([
          command,
          pdu.command_status,
          pdu.sequence_number,
        ]);
        expect(decodePdu(theirBytes)).toEqual(pdu);
      }),
      { numRuns: 200 },
    );
  });

  it.each<Pdu>([
    { command: 'submit_sm_resp', command_status: 0, sequence_number: 9, message_id: 'abc-123' },
    { command: 'submit_sm_resp', command_status: 0x58, sequence_number: 9, message_id: '' },
    { command: 'deliver_sm_resp', command_status: 0, sequence_number: 10, message_id: '' },
    { command: 'bind_transceiver_resp', command_status: 0x0e, sequence_number: 1, system_id: '' },
    { command: 'enquire_link', command_status: 0, sequence_number: 11 },
    { command: 'generic_nack', command_status: 3, sequence_number: 12 },
    {
      command: 'bind_transceiver',
      command_status: 0,
      sequence_number: 1,
      system_id: 'tidings',
      password: 'pw',
      system_type: 'x',
      interface_version: 0x34,
      addr_ton: 1,
      addr_npi: 1,
      address_range: '',
    },
    {
      command: 'query_sm_resp',
      command_status: 0,
      sequence_number: 3,
      message_id: 'm',
      final_date: '240101120000000+',
      message_state: 2,
      error_code: 0,
    },
  ])('encodes $command (status $command_status) as node-smpp does', (pdu) => {
    const { command, tlvs: _, ...options } = pdu as Pdu & Record<string, unknown>;
    expect(encodePdu(pdu).toString('hex')).toBe(new smpp.PDU(command, options).toBuffer().toString('hex'));
  });

  it('encodes replace_sm from fields with node-smpp definitions to node-smpp bytes', () => {
    const fields = {
      message_id: 'm1',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '123',
      schedule_delivery_time: '',
      validity_period: '240101120000000+',
      registered_delivery: 1,
      sm_default_msg_id: 0,
      short_message: Buffer.from('new text'),
    };
    const ours = encodePdu({ command: 'other', command_status: 0, sequence_number: 4, command_id: 7, fields });
    const theirs = new smpp.PDU('replace_sm', { sequence_number: 4, ...fields }).toBuffer();
    expect(ours.toString('hex')).toBe(theirs.toString('hex'));
  });

  describe('where node-smpp breaks', () => {
    // A submit_sm_resp whose sar_msg_ref_num TLV announces 2 bytes and carries none.
    const truncatedTlv = Buffer.from('00000016800000040000000000000007' + '6100' + '020c0002', 'hex');
    const enquireLink = encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: 8 });

    it('our decoder reports a TLV running past the end as a protocol error', () => {
      expect(() => new smpp.PDU(truncatedTlv)).toThrow(RangeError);
      let error: unknown;
      try {
        decodePdu(truncatedTlv);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TidingsError);
      expect((error as TidingsError).code).toBe(ErrorCode.ProtocolError);
      expect((error as TidingsError).details).toEqual({ command_id: 0x80000004, sequence_number: 7 });
      expect((error as TidingsError).message).toMatch(/TLV 0x020c declares 2 bytes but only 0 remain/);
    });

    it('node-smpp silently truncates a message_payload that runs past the end; we refuse it', () => {
      const wire = Buffer.from('00000017800000040000000000000007' + '6100' + '04240010' + '41', 'hex');
      const theirs = nodeSmppDecode(wire);
      expect(theirs.message_payload).toEqual(Buffer.from('A'));
      expect(() => decodePdu(wire)).toThrow(/TLV 0x0424 declares 16 bytes but only 1 remain/);
    });

    it('node-smpp stalls its session on a decode error; our reader goes on with the next frame', async () => {
      const socket = new PassThrough();
      const session = new smpp.Session({ socket });
      const theirPdus: unknown[] = [];
      const theirErrors: unknown[] = [];
      session.on('pdu', (pdu) => theirPdus.push(pdu));
      session.on('error', (error) => theirErrors.push(error));

      socket.write(truncatedTlv);
      await once(socket, 'readable');
      expect(theirErrors).toHaveLength(1);
      socket.write(enquireLink);
      await once(socket, 'readable');
      expect(theirPdus).toEqual([]); // the valid enquire_link is never read
      expect(session._busy).toBe(true);
      expect(socket.readableLength).toBe(enquireLink.length);

      const reader = new FrameReader();
      const ours: Pdu[] = [];
      const ourErrors: unknown[] = [];
      reader.feed(Buffer.concat([truncatedTlv, enquireLink]), (frame) => {
        try {
          ours.push(decodePdu(frame));
        } catch (error) {
          ourErrors.push(error); // a session answers generic_nack here and carries on
        }
      });
      expect(ourErrors).toHaveLength(1);
      expect(ours).toEqual([{ command: 'enquire_link', command_status: 0, sequence_number: 8 }]);
    });
  });
});
