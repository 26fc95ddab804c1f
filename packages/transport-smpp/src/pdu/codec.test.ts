import { Buffer } from 'node:buffer';
import { ErrorCode, TidingsError } from '@tidings/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu, encodeRequest } from './codec.js';
import { CommandStatus } from './command-status.js';
import { CommandId, type OtherPdu, type Pdu, type Tlv } from './pdu.js';
import { deliverSm, submitSm } from './pdu-factory.js';

/** Hex bytes; `#` starts a comment that runs to the end of the line. */
const hex = (text: string): Buffer => Buffer.from(text.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');

function thrown(action: () => unknown): TidingsError {
  try {
    action();
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('expected a TidingsError, nothing was thrown');
}

/** A frame with a correct command_length around `body`. */
function frame(commandId: number, sequence: number, body: Buffer, status = 0): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(16 + body.length, 0);
  header.writeUInt32BE(commandId, 4);
  header.writeUInt32BE(status, 8);
  header.writeUInt32BE(sequence, 12);
  return Buffer.concat([header, body]);
}

const tlvs: Tlv[] = [
  { tag: 0x020c, value: Buffer.from([0x01, 0x02]) },
  { tag: 0x1403, value: Buffer.from('vendor') },
  { tag: 0x0424, value: Buffer.alloc(0) },
];

const samples: Pdu[] = [
  {
    command: 'bind_transmitter',
    command_status: 0,
    sequence_number: 1,
    system_id: 'tidings',
    password: 'secret',
    system_type: 'SMPP',
    interface_version: 0x34,
    addr_ton: 1,
    addr_npi: 1,
    address_range: '',
  },
  {
    command: 'bind_receiver',
    command_status: 0,
    sequence_number: 2,
    system_id: 'r',
    password: '',
    system_type: '',
    interface_version: 0x34,
    addr_ton: 0,
    addr_npi: 0,
    address_range: '^336',
  },
  {
    command: 'bind_transceiver',
    command_status: 0,
    sequence_number: 3,
    system_id: 'trx',
    password: 'pw',
    system_type: '',
    interface_version: 0x50,
    addr_ton: 0,
    addr_npi: 0,
    address_range: '',
  },
  { command: 'bind_transmitter_resp', command_status: 0, sequence_number: 1, system_id: 'SMSC' },
  { command: 'bind_receiver_resp', command_status: 0, sequence_number: 2, system_id: 'SMSC', tlvs: [tlvs[0] as Tlv] },
  { command: 'bind_transceiver_resp', command_status: 0, sequence_number: 3, system_id: '' },
  { command: 'outbind', command_status: 0, sequence_number: 4, system_id: 'smsc', password: 'pw' },
  submitSm(
    {
      source_addr: 'Tidings',
      source_addr_ton: 5,
      destination_addr: '33612345678',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      esm_class: 0x40,
      registered_delivery: 1,
      data_coding: 8,
      schedule_delivery_time: '000000000500000R',
      short_message: Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01, 0x00, 0x41]),
      tlvs,
    },
    5,
  ),
  submitSm({ destination_addr: '1', short_message: Buffer.alloc(254, 0xff) }, 0x7fffffff),
  deliverSm(
    {
      source_addr: '33612345678',
      destination_addr: 'Tidings',
      esm_class: 0x04,
      short_message: Buffer.from(
        'id:1 sub:001 dlvrd:001 submit date:2401011200 done date:2401011201 stat:DELIVRD err:000',
      ),
      tlvs: [
        { tag: 0x001e, value: Buffer.from('1\u0000') },
        { tag: 0x0427, value: Buffer.from([2]) },
      ],
    },
    6,
  ),
  { command: 'submit_sm_resp', command_status: 0, sequence_number: 5, message_id: 'a1b2c3' },
  { command: 'deliver_sm_resp', command_status: 0, sequence_number: 6, message_id: '' },
  { command: 'data_sm_resp', command_status: 0, sequence_number: 7, message_id: 'x', tlvs: [tlvs[1] as Tlv] },
  {
    command: 'data_sm',
    command_status: 0,
    sequence_number: 7,
    service_type: 'WAP',
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '123',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: '456',
    esm_class: 0,
    registered_delivery: 1,
    data_coding: 4,
    tlvs: [{ tag: 0x0424, value: Buffer.alloc(1000, 7) }],
  },
  {
    command: 'query_sm',
    command_status: 0,
    sequence_number: 8,
    message_id: 'a1',
    source_addr_ton: 5,
    source_addr_npi: 0,
    source_addr: 'Tidings',
  },
  {
    command: 'query_sm_resp',
    command_status: 0,
    sequence_number: 8,
    message_id: 'a1',
    final_date: '240101120000000+',
    message_state: 2,
    error_code: 0,
  },
  {
    command: 'cancel_sm',
    command_status: 0,
    sequence_number: 9,
    service_type: '',
    message_id: 'a1',
    source_addr_ton: 5,
    source_addr_npi: 0,
    source_addr: 'Tidings',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: '33612345678',
  },
  { command: 'cancel_sm_resp', command_status: 0, sequence_number: 9 },
  { command: 'replace_sm_resp', command_status: 0, sequence_number: 10 },
  { command: 'enquire_link', command_status: 0, sequence_number: 11 },
  { command: 'enquire_link_resp', command_status: 0, sequence_number: 11 },
  { command: 'unbind', command_status: 0, sequence_number: 12 },
  { command: 'unbind_resp', command_status: 0, sequence_number: 12 },
  { command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDID, sequence_number: 13 },
];

describe('round trips', () => {
  it.each(samples.map((pdu) => [pdu.command, pdu] as const))('%s decodes to what was encoded', (_, pdu) => {
    const bytes = encodePdu(pdu);
    expect(bytes.readUInt32BE(0)).toBe(bytes.length);
    expect(bytes.readUInt32BE(4)).toBe(CommandId[pdu.command as keyof typeof CommandId]);
    expect(bytes.readUInt32BE(12)).toBe(pdu.sequence_number);
    const decoded = decodePdu(bytes);
    expect(decoded).toEqual(pdu);
    expect(encodePdu(decoded)).toEqual(bytes);
  });

  it('writes the exact bytes of SMPP 3.4 for a submit_sm', () => {
    const bytes = encodePdu(
      submitSm({ source_addr: 'A', destination_addr: '12', short_message: Buffer.from('hi'), data_coding: 3 }, 1),
    );
    expect(bytes).toEqual(
      hex(`
        00000026 00000004 00000000 00000001
        00            # service_type
        00 00 4100    # source ton, npi, addr
        00 00 313200  # dest ton, npi, addr
        00 00 00      # esm_class, protocol_id, priority_flag
        00 00         # schedule_delivery_time, validity_period
        00 00 03 00   # registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
        02 6869       # sm_length, short_message
      `),
    );
  });

  it('keeps TLVs raw, in wire order, duplicates and unknown tags included', () => {
    const wire = frame(
      CommandId.submit_sm_resp,
      3,
      hex('616200 1403 0002 abcd 0427 0001 02 1403 0000 0424 0003 010203'),
    );
    const pdu = decodePdu(wire);
    expect(pdu).toEqual({
      command: 'submit_sm_resp',
      command_status: 0,
      sequence_number: 3,
      message_id: 'ab',
      tlvs: [
        { tag: 0x1403, value: hex('abcd') },
        { tag: 0x0427, value: hex('02') },
        { tag: 0x1403, value: Buffer.alloc(0) },
        { tag: 0x0424, value: hex('010203') },
      ],
    });
    expect(encodePdu(pdu)).toEqual(wire);
  });

  it('owns its bytes: changing the frame after decoding changes nothing', () => {
    const wire = encodePdu(samples[7] as Pdu);
    const pdu = decodePdu(wire) as Extract<Pdu, { command: 'submit_sm' }>;
    wire.fill(0xee);
    expect(pdu.short_message).toEqual((samples[7] as typeof pdu).short_message);
    expect(pdu.tlvs?.[1]?.value).toEqual(Buffer.from('vendor'));
  });

  it('decodes C-Octet strings as Latin-1 and writes them back byte for byte', () => {
    const pdu = submitSm({ source_addr: 'Caf\u00e9', destination_addr: '\u00ff1', short_message: Buffer.alloc(0) }, 1);
    const bytes = encodePdu(pdu);
    expect(bytes.includes(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x00]))).toBe(true);
    expect(decodePdu(bytes)).toEqual(pdu);
  });

  it('decodes a Uint8Array that is not a Buffer, at any offset', () => {
    const bytes = encodePdu(samples[10] as Pdu);
    const backing = new Uint8Array(bytes.length + 7);
    backing.set(bytes, 7);
    expect(decodePdu(backing.subarray(7))).toEqual(samples[10]);
  });

  it('round-trips random short messages with random fields and TLVs', () => {
    const latin1 = (maxLength: number) =>
      fc.string({ unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)), maxLength });
    const byte = fc.integer({ min: 0, max: 255 });
    const tlv = fc.record({
      tag: fc.integer({ min: 0, max: 0xffff }),
      value: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    });
    const arbitrary = fc.record({
      command: fc.constantFrom('submit_sm' as const, 'deliver_sm' as const),
      command_status: fc.constant(0),
      sequence_number: fc.integer({ min: 1, max: 0x7fffffff }),
      service_type: latin1(5),
      source_addr_ton: byte,
      source_addr_npi: byte,
      source_addr: latin1(20),
      dest_addr_ton: byte,
      dest_addr_npi: byte,
      destination_addr: latin1(20),
      esm_class: byte,
      protocol_id: byte,
      priority_flag: byte,
      schedule_delivery_time: latin1(16),
      validity_period: latin1(16),
      registered_delivery: byte,
      replace_if_present_flag: byte,
      data_coding: byte,
      sm_default_msg_id: byte,
      short_message: fc.uint8Array({ maxLength: 254 }).map((b) => Buffer.from(b)),
      tlvs: fc.array(tlv, { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(arbitrary, (pdu) => {
        const bytes = encodePdu(pdu);
        expect(decodePdu(bytes)).toEqual(pdu);
      }),
    );
  });
});

describe('encodeRequest', () => {
  it('writes the given status and sequence instead of copying the PDU to set them', () => {
    const {
      sequence_number: _sequence,
      command_status: _status,
      ...request
    } = submitSm({ destination_addr: '4915112345678', short_message: Buffer.from('hi'), registered_delivery: 1 }, 0);
    expect(encodeRequest(request, 0, 0x7fffffff)).toEqual(
      encodePdu({ ...request, command_status: 0, sequence_number: 0x7fffffff }),
    );
    expect(encodeRequest({ command: 'enquire_link' }, 0, 42)).toEqual(
      encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: 42 }),
    );
  });

  it('leaves later encodes alone, also after a refused PDU', () => {
    expect(() => encodeRequest({ command: 'enquire_link' }, 0, -1)).toThrow(/sequence_number/);
    const frame = encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: 7 });
    expect(frame.readUInt32BE(12)).toBe(7);
  });

  it('keeps the empty body of an error response it is given', () => {
    const response = { command: 'submit_sm_resp', message_id: '' } as const;
    expect(encodeRequest(response, CommandStatus.ESME_RTHROTTLED, 3)).toEqual(
      encodePdu({ ...response, command_status: CommandStatus.ESME_RTHROTTLED, sequence_number: 3 }),
    );
  });
});

describe('responses without a body', () => {
  it.each([
    ['submit_sm_resp', CommandId.submit_sm_resp, { message_id: '' }],
    ['deliver_sm_resp', CommandId.deliver_sm_resp, { message_id: '' }],
    ['data_sm_resp', CommandId.data_sm_resp, { message_id: '' }],
    ['bind_transceiver_resp', CommandId.bind_transceiver_resp, { system_id: '' }],
    ['query_sm_resp', CommandId.query_sm_resp, { message_id: '', final_date: '', message_state: 0, error_code: 0 }],
  ] as const)('decode %s with an error status and no body to default fields', (command, id, fields) => {
    const wire = frame(id, 77, Buffer.alloc(0), CommandStatus.ESME_RTHROTTLED);
    const pdu = decodePdu(wire);
    expect(pdu).toEqual({ command, command_status: CommandStatus.ESME_RTHROTTLED, sequence_number: 77, ...fields });
    expect(encodePdu(pdu)).toEqual(wire); // header only, as node-smpp writes it
  });

  it('decodes a successful submit_sm_resp without body (some SMSCs send one)', () => {
    expect(decodePdu(frame(CommandId.submit_sm_resp, 1, Buffer.alloc(0)))).toMatchObject({ message_id: '' });
  });

  it('keeps the body of an error response that carries content', () => {
    const pdu: Pdu = {
      command: 'submit_sm_resp',
      command_status: CommandStatus.ESME_RSUBMITFAIL,
      sequence_number: 4,
      message_id: 'x',
    };
    expect(encodePdu(pdu).length).toBe(18);
    expect(decodePdu(encodePdu(pdu))).toEqual(pdu);
  });

  it('writes a successful response with an empty message_id with its NUL', () => {
    const bytes = encodePdu({ command: 'submit_sm_resp', command_status: 0, sequence_number: 4, message_id: '' });
    expect(bytes).toEqual(hex('00000011 80000004 00000000 00000004 00'));
  });
});

describe('rare commands through node-smpp definitions', () => {
  it('decodes replace_sm into named fields and re-encodes it byte for byte', () => {
    const body = Buffer.concat([
      Buffer.from('msg1\u0000', 'latin1'),
      hex('0101'),
      Buffer.from('123\u0000\u0000\u0000', 'latin1'),
      hex('01 00 03 616263'),
      hex('020c 0002 0001'),
    ]);
    const wire = frame(CommandId.replace_sm, 21, body);
    const pdu = decodePdu(wire) as OtherPdu;
    expect(pdu).toEqual({
      command: 'other',
      command_status: 0,
      sequence_number: 21,
      command_id: CommandId.replace_sm,
      name: 'replace_sm',
      fields: {
        message_id: 'msg1',
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '123',
        schedule_delivery_time: '',
        validity_period: '',
        registered_delivery: 1,
        sm_default_msg_id: 0,
        short_message: Buffer.from('abc'),
      },
      body,
      tlvs: [{ tag: 0x020c, value: hex('0001') }],
    });
    expect(encodePdu(pdu)).toEqual(wire);
    const { body: _, ...fromFields } = pdu;
    expect(encodePdu(fromFields)).toEqual(wire);
  });

  it('encodes submit_multi and submit_multi_resp from fields and decodes them back', () => {
    const multi: OtherPdu = {
      command: 'other',
      command_status: 0,
      sequence_number: 30,
      command_id: CommandId.submit_multi,
      name: 'submit_multi',
      fields: {
        dest_address: [{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '336' }, { dl_name: 'friends' }],
        data_coding: 0,
        short_message: Buffer.from('hello'),
      },
    };
    const decoded = decodePdu(encodePdu(multi)) as OtherPdu;
    expect(decoded.fields).toMatchObject(multi.fields as object);
    expect(decoded.fields?.source_addr).toBe('');

    const resp: OtherPdu = {
      command: 'other',
      command_status: 0,
      sequence_number: 30,
      command_id: CommandId.submit_multi_resp,
      fields: {
        message_id: 'm1',
        unsuccess_sme: [{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '337', error_status_code: 0x0b }],
      },
    };
    expect((decodePdu(encodePdu(resp)) as OtherPdu).fields).toEqual(resp.fields);
  });

  it('writes an error submit_multi_resp with default fields as a bare header', () => {
    const resp: OtherPdu = {
      command: 'other',
      command_status: CommandStatus.ESME_RSYSERR,
      sequence_number: 30,
      command_id: CommandId.submit_multi_resp,
    };
    expect(encodePdu(resp)).toEqual(frame(CommandId.submit_multi_resp, 30, Buffer.alloc(0), 8));
  });

  it('decodes alert_notification and an empty-bodied cancel_broadcast_sm_resp', () => {
    const alert = frame(CommandId.alert_notification, 2, hex('0101 333300 0101 343400'));
    expect(decodePdu(alert)).toMatchObject({
      name: 'alert_notification',
      fields: { source_addr: '33', esme_addr: '44', esme_addr_ton: 1 },
    });
    expect(decodePdu(frame(0x80000113, 2, Buffer.alloc(0)))).toMatchObject({
      name: 'cancel_broadcast_sm_resp',
      fields: {},
    });
  });

  it('refuses fields for a command id node-smpp does not define', () => {
    const pdu: OtherPdu = {
      command: 'other',
      command_status: 0,
      sequence_number: 1,
      command_id: 0x444,
      fields: { a: 1 },
    };
    const error = thrown(() => encodePdu(pdu));
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toMatch(/^cannot encode 0x00000444: .*raw body/);
  });

  it('decodes an unknown command id to its raw body and re-encodes it unchanged', () => {
    const wire = frame(0x00010203, 9, hex('deadbeef'));
    const pdu = decodePdu(wire);
    expect(pdu).toEqual({
      command: 'other',
      command_status: 0,
      sequence_number: 9,
      command_id: 0x00010203,
      body: hex('deadbeef'),
    });
    expect(encodePdu(pdu)).toEqual(wire);
  });
});

describe('malformed frames', () => {
  const validSubmit = encodePdu(samples[7] as Pdu);
  /** The body of a submit_sm up to and excluding its short_message. */
  const submitPrefix = hex('00 0000 4100 0000 313200 000000 00 00 00000000');

  it.each<[string, Buffer, RegExp]>([
    ['a frame shorter than the header', hex('00000010 00000015 00000000'), /shorter than the 16-byte header/],
    ['a command_length that is not the frame size', Buffer.concat([validSubmit, hex('00')]), /does not match/],
    ['a C-Octet string without NUL', frame(CommandId.submit_sm, 7, hex('00 0000 41')), /source_addr has no NUL/],
    ['a missing integer field', frame(CommandId.submit_sm, 7, hex('00 0000 4100 00')), /dest_addr_npi is missing/],
    [
      'an sm_length running past the end',
      frame(CommandId.submit_sm, 7, Buffer.concat([submitPrefix, hex('05 6869')])),
      /short_message declares 5 bytes but only 2 remain/,
    ],
    ['a truncated TLV header', frame(CommandId.enquire_link, 7, hex('0427 00')), /truncated TLV: 3 bytes left/],
    [
      'a TLV running past the end',
      frame(CommandId.submit_sm_resp, 7, hex('6100 0424 0010 0102')),
      /TLV 0x0424 declares 16 bytes but only 2 remain/,
    ],
    ['a request without body', frame(CommandId.bind_transceiver, 7, Buffer.alloc(0)), /system_id has no NUL/],
    [
      'a truncated submit_multi destination list',
      frame(CommandId.submit_multi, 7, hex('00 0000 3100 03 01 0101 3300')),
      /dest_address runs past the end/,
    ],
    [
      'a missing replace_sm short_message',
      frame(CommandId.replace_sm, 7, hex('6100 0000 3100 00 00 00 00 09 41')),
      /short_message declares 9/,
    ],
  ])('rejects %s with TIDINGS_PROTOCOL_ERROR', (_, wire, message) => {
    const error = thrown(() => decodePdu(wire));
    expect(error.code).toBe(ErrorCode.ProtocolError);
    expect(error.message).toMatch(message);
  });

  it('names the command and sequence_number of the broken PDU', () => {
    const error = thrown(() => decodePdu(frame(CommandId.deliver_sm, 4242, hex('00 0101'))));
    expect(error.details).toEqual({ command_id: CommandId.deliver_sm, sequence_number: 4242 });
    expect(error.message).toMatch(/^malformed deliver_sm \(sequence_number 4242\): source_addr has no NUL/);
  });

  it('throws only TidingsErrors on random bodies of every command', () => {
    const ids = [...Object.values(CommandId), 0x00000111, 0x80000111, 0x00000112, 0x80000112, 0x00000113, 0x12345];
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.uint8Array({ maxLength: 120 }), (id, body) => {
        try {
          const pdu = decodePdu(frame(id, 1, Buffer.from(body)));
          expect(encodePdu(pdu).length).toBeGreaterThanOrEqual(16);
        } catch (error) {
          expect(error).toBeInstanceOf(TidingsError);
          expect((error as TidingsError).code).toBe(ErrorCode.ProtocolError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encode validation', () => {
  const base = samples[7] as Extract<Pdu, { command: 'submit_sm' }>;

  it.each<[string, Pdu, RegExp]>([
    ['a short_message over 254 octets', { ...base, short_message: Buffer.alloc(255) }, /255 octets, over the 254/],
    ['a short_message that is not bytes', { ...base, short_message: 'hi' as never }, /Uint8Array/],
    ['an int8 out of range', { ...base, data_coding: 256 }, /data_coding must be an integer 0..255, got 256/],
    ['a missing int8', { ...base, esm_class: undefined as never }, /esm_class must be an integer/],
    ['a string that is not Latin-1', { ...base, destination_addr: '\u0661\u0662' }, /destination_addr must be Latin-1/],
    [
      'a NUL inside a C-Octet string',
      { ...base, source_addr: 'a\u0000b' },
      /source_addr must be Latin-1 text without NUL/,
    ],
    ['a missing string', { ...base, source_addr: undefined as never }, /source_addr must be a string/],
    ['a negative sequence_number', { ...base, sequence_number: -1 }, /sequence_number/],
    ['a TLV over 65535 bytes', { ...base, tlvs: [{ tag: 0x0424, value: Buffer.alloc(65_536) }] }, /over 65535/],
    ['a TLV tag over 0xFFFF', { ...base, tlvs: [{ tag: 0x10000, value: Buffer.alloc(0) }] }, /tag must be/],
  ])('refuses %s with TIDINGS_INVALID_MESSAGE', (_, pdu, message) => {
    const error = thrown(() => encodePdu(pdu));
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toMatch(/^cannot encode submit_sm: /);
    expect(error.message).toMatch(message);
  });

  it('never puts a password in an error message', () => {
    const bind = samples[0] as Extract<Pdu, { command: 'bind_transmitter' }>;
    const error = thrown(() => encodePdu({ ...bind, password: 's\u00e9cr\u20acT' }));
    expect(error.message).toMatch(/password must be Latin-1/);
    expect(error.message).not.toContain('s\u00e9cr');
  });
});

describe('decodePdu leniency', () => {
  it('reads a submit_sm_resp message_id that lacks its NUL terminator (some SMSCs send it so)', () => {
    const id = Buffer.from('abc123', 'latin1');
    const frame = Buffer.alloc(16 + id.length);
    frame.writeUInt32BE(frame.length, 0);
    frame.writeUInt32BE(0x80000004, 4);
    frame.writeUInt32BE(0, 8);
    frame.writeUInt32BE(9, 12);
    id.copy(frame, 16);
    const pdu = decodePdu(frame);
    expect(pdu).toMatchObject({ command: 'submit_sm_resp', sequence_number: 9, message_id: 'abc123' });
  });
});
