import { Buffer } from 'node:buffer';
import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import type { Tlv } from './pdu.js';
import { TlvRegistry } from './tlv-registry.js';

const standard = TlvRegistry.standard;

function thrown(action: () => unknown): TidingsError {
  try {
    action();
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('expected a TidingsError, nothing was thrown');
}

describe('TlvRegistry.standard', () => {
  it.each([
    ['receipted_message_id', 0x001e, 'cstring'],
    ['message_state', 0x0427, 'uint8'],
    ['network_error_code', 0x0423, 'octets'],
    ['message_payload', 0x0424, 'octets'],
    ['sar_msg_ref_num', 0x020c, 'uint16'],
    ['sar_total_segments', 0x020e, 'uint8'],
    ['sar_segment_seqnum', 0x020f, 'uint8'],
    ['user_message_reference', 0x0204, 'uint16'],
    ['destination_port', 0x020b, 'uint16'],
    ['qos_time_to_live', 0x0017, 'uint32'],
    ['its_session_info', 0x1383, 'octets'],
  ])('knows %s as tag %i of type %s', (name, tag, type) => {
    expect(standard.byName(name)).toMatchObject({ tag, name, type });
    expect(standard.byTag(tag)?.name).toBe(name);
  });

  it('has one name per tag and one tag per name, none in the vendor range', () => {
    const definitions = standard.definitions();
    expect(definitions.length).toBeGreaterThanOrEqual(44);
    expect(new Set(definitions.map((d) => d.tag)).size).toBe(definitions.length);
    expect(new Set(definitions.map((d) => d.name)).size).toBe(definitions.length);
    expect(definitions.filter((d) => d.tag >= 0x1400 && d.tag <= 0x3fff)).toEqual([]);
  });

  it('returns undefined for names and tags it does not know', () => {
    expect(standard.byName('operator_id')).toBeUndefined();
    expect(standard.byTag(0x1401)).toBeUndefined();
  });
});

describe('encode', () => {
  it('writes integers big-endian in their size', () => {
    expect(standard.encode('message_state', 2)).toEqual({ tag: 0x0427, value: Buffer.from([2]) });
    expect(standard.encode('sar_msg_ref_num', 0x1234)).toEqual({ tag: 0x020c, value: Buffer.from([0x12, 0x34]) });
    expect(standard.encode('qos_time_to_live', 0xdeadbeef).value).toEqual(Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  });

  it('writes a cstring with its NUL and octets as given', () => {
    expect(standard.encode('receipted_message_id', 'ab1').value).toEqual(Buffer.from([0x61, 0x62, 0x31, 0]));
    const payload = Buffer.from([1, 2, 3, 4]);
    expect(standard.encode('message_payload', payload).value).toEqual(payload);
  });

  it.each<[string, number | string | Uint8Array, RegExp]>([
    ['message_state', 256, /message_state.*0\.\.255.*256/],
    ['message_state', -1, /0\.\.255/],
    ['sar_msg_ref_num', 1.5, /0\.\.65535/],
    ['sar_msg_ref_num', 'x', /integer/],
    ['receipted_message_id', 7, /a string/],
    ['receipted_message_id', 'a\u0000b', /without NUL/],
    ['receipted_message_id', 'caf\u00e9\u20ac', /Latin-1/],
    ['message_payload', 'text', /Uint8Array/],
    ['message_payload', new Uint8Array(65_536), /at most 65535 bytes/],
    ['network_error_code', new Uint8Array(2), /exactly 3 bytes/],
  ])('refuses %s = %o with a clear TIDINGS_INVALID_MESSAGE', (name, value, message) => {
    const error = thrown(() => standard.encode(name, value));
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toMatch(message);
  });

  it('refuses an unknown name, saying how to declare it', () => {
    const error = thrown(() => standard.encode('operator_id', 1));
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toMatch(/unknown TLV 'operator_id'.*vendor/);
  });
});

describe('decodeValue', () => {
  it('decodes known tags to typed values', () => {
    expect(standard.decodeValue({ tag: 0x0427, value: Buffer.from([5]) })).toEqual({ name: 'message_state', value: 5 });
    expect(standard.decodeValue({ tag: 0x0017, value: Buffer.from([0xff, 0, 0, 1]) })).toEqual({
      name: 'qos_time_to_live',
      value: 0xff000001,
    });
    expect(standard.decodeValue({ tag: 0x001e, value: Buffer.from('3F2A\u0000', 'latin1') })).toEqual({
      name: 'receipted_message_id',
      value: '3F2A',
    });
  });

  it('gives the raw bytes of an unknown tag', () => {
    const value = Buffer.from([9, 9]);
    expect(standard.decodeValue({ tag: 0x1403, value })).toEqual({ name: undefined, value });
  });

  it.each<[string, Tlv]>([
    ['a uint8 of 2 bytes', { tag: 0x0427, value: Buffer.from([0, 2]) }],
    ['a uint16 of 1 byte', { tag: 0x020c, value: Buffer.from([1]) }],
    ['a uint32 of 3 bytes', { tag: 0x0017, value: Buffer.from([1, 2, 3]) }],
    ['a cstring without NUL', { tag: 0x001e, value: Buffer.from('abc') }],
    ['an empty cstring', { tag: 0x001e, value: Buffer.alloc(0) }],
  ])('gives raw bytes, without throwing, for %s', (_, tlv) => {
    const decoded = standard.decodeValue(tlv);
    expect(decoded.name).toBe(standard.byTag(tlv.tag)?.name);
    expect(decoded.value).toBe(tlv.value);
  });
});

describe('read and toRecord', () => {
  const tlvs: Tlv[] = [
    { tag: 0x0427, value: Buffer.from([2]) },
    { tag: 0x1403, value: Buffer.from([7]) },
    { tag: 0x001e, value: Buffer.from('abc\u0000') },
    { tag: 0x0427, value: Buffer.from([5]) },
  ];

  it('reads the first occurrence of a name', () => {
    expect(standard.read(tlvs, 'message_state')).toBe(2);
    expect(standard.read(tlvs, 'receipted_message_id')).toBe('abc');
  });

  it('reads undefined when the TLV is absent, the list is undefined, or the name unknown', () => {
    expect(standard.read(tlvs, 'sar_msg_ref_num')).toBeUndefined();
    expect(standard.read(undefined, 'message_state')).toBeUndefined();
    expect(standard.read(tlvs, 'operator_id')).toBeUndefined();
  });

  it('records known TLVs by name and unknown ones as tlv_0x....', () => {
    expect(standard.toRecord(tlvs)).toEqual({
      message_state: 2,
      tlv_0x1403: Buffer.from([7]),
      receipted_message_id: 'abc',
    });
    expect(standard.toRecord(undefined)).toEqual({});
  });
});

describe('withVendor', () => {
  const operatorId = { tag: 0x1401, name: 'operator_id', type: 'uint16' } as const;
  const price = { tag: 0x1401, name: 'price', type: 'cstring' } as const;

  it('returns a new registry and leaves the original untouched', () => {
    const vendor = standard.withVendor([operatorId]);
    expect(vendor).not.toBe(standard);
    expect(vendor.byName('operator_id')?.tag).toBe(0x1401);
    expect(vendor.byName('message_state')?.tag).toBe(0x0427);
    expect(standard.byTag(0x1401)).toBeUndefined();
    expect(standard.byName('operator_id')).toBeUndefined();
  });

  it('lets two channels give one vendor tag different names and types', () => {
    const channelA = standard.withVendor([operatorId]);
    const channelB = standard.withVendor([price]);
    const tlv: Tlv = { tag: 0x1401, value: Buffer.from([0x31, 0x30, 0x00]) }; // "10\0"

    expect(channelA.decodeValue(tlv)).toEqual({ name: 'operator_id', value: tlv.value }); // 3 bytes: not a uint16
    expect(channelB.decodeValue(tlv)).toEqual({ name: 'price', value: '10' });

    const twoBytes: Tlv = { tag: 0x1401, value: Buffer.from([0x31, 0x00]) };
    expect(channelA.read([twoBytes], 'operator_id')).toBe(0x3100);
    expect(channelB.read([twoBytes], 'price')).toBe('1');
    expect(channelA.read([twoBytes], 'price')).toBeUndefined();
    expect(channelA.toRecord([twoBytes])).toEqual({ operator_id: 0x3100 });
    expect(channelB.toRecord([twoBytes])).toEqual({ price: '1' });

    expect(channelA.encode('operator_id', 513)).toEqual({ tag: 0x1401, value: Buffer.from([2, 1]) });
    expect(channelB.encode('price', '0.05')).toEqual({ tag: 0x1401, value: Buffer.from('0.05\u0000', 'latin1') });
  });

  it('replaces an earlier vendor definition of the same tag', () => {
    const registry = standard.withVendor([operatorId]).withVendor([price]);
    expect(registry.byTag(0x1401)?.name).toBe('price');
    expect(registry.byName('operator_id')).toBeUndefined();
  });

  it('supports fixed-size vendor strings', () => {
    const registry = standard.withVendor([{ tag: 0x1502, name: 'mo_message_id', type: 'string', length: 4 }]);
    expect(registry.decodeValue({ tag: 0x1502, value: Buffer.from('abcd') }).value).toBe('abcd');
    expect(registry.decodeValue({ tag: 0x1502, value: Buffer.from('abc') }).value).toEqual(Buffer.from('abc'));
    expect(thrown(() => registry.encode('mo_message_id', 'abc')).message).toMatch(/exactly 4 characters/);
  });

  it.each([
    ['a duplicate tag', [operatorId, { tag: 0x1401, name: 'other', type: 'uint8' }], /tag 0x1401 is defined twice/],
    ['a duplicate name', [operatorId, { tag: 0x1402, name: 'operator_id', type: 'uint8' }], /defined twice/],
    ['a standard tag', [{ tag: 0x0427, name: 'my_state', type: 'uint8' }], /0x1400\.\.0x3FFF/],
    ['a tag above the vendor range', [{ tag: 0x4000, name: 'x', type: 'uint8' }], /0x1400\.\.0x3FFF/],
    [
      'a name a standard TLV uses',
      [{ tag: 0x1402, name: 'message_state', type: 'uint8' }],
      /already used by tag 0x0427/,
    ],
    ['an unknown type', [{ tag: 0x1402, name: 'x', type: 'int8' }], /use one of/],
    ['an empty name', [{ tag: 0x1402, name: '', type: 'uint8' }], /non-empty name/],
  ] as const)('refuses %s with TIDINGS_INVALID_OPTIONS', (_, definitions, message) => {
    const error = thrown(() => standard.withVendor(definitions as never));
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message).toMatch(message);
  });
});
