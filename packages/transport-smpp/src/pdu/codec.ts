/// <reference path="./smpp-module.d.ts" />
// (The reference makes the smpp declarations part of every program that compiles this file.)
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { ErrorCode, TidingsError } from '@tidings/core';
import type { CommandDefinition, FieldType } from 'smpp/lib/defs';
import { CommandId, type OtherPdu, type Pdu, type Tlv } from './pdu.js';

// The PDU builders, re-exported so a call site that encodes needs one import.
export {
  deliverSm,
  genericNack,
  type ResponseFields,
  responseTo,
  type ShortMessageInput,
  submitSm,
} from './pdu-factory.js';

/*
 * The PDU codec. Hot commands have hand-written paths: the frame size is computed first, one
 * buffer is allocated and written in place. Rare commands (replace_sm, submit_multi,
 * alert_notification, broadcast_*) follow node-smpp's definitions table for their mandatory
 * fields. Text encoding is not done here: C-Octet strings are Latin-1 bytes, `short_message` and
 * TLV values are raw bytes. A decoded PDU owns its bytes (copies, not views of the frame).
 */

const HEADER_SIZE = 16;
const MAX_SHORT_MESSAGE = 254;
const EMPTY_BYTES: Buffer = Buffer.alloc(0);

// Encoding and decoding are synchronous and never re-entrant, so their cursors live at module level
// (no per-call closure or cursor object on the hot path).
let src: Buffer = EMPTY_BYTES;
let pos = 0;
let end = 0;
let decodingId = 0;
let decodingSequence = 0;

let out: Buffer = EMPTY_BYTES;
let at = 0;
let encodingCommand = '';
/** Set by `encodeRequest`: the header fields it gives instead of the PDU's. */
let headerOverride = false;
let overrideStatus = 0;
let overrideSequence = 0;

// ---------------------------------------------------------------------------------------------
// Decode
// ---------------------------------------------------------------------------------------------

/**
 * Decodes one whole frame (command_length included, as the frame reader emits it). Throws a
 * TidingsError TIDINGS_PROTOCOL_ERROR, details `{ command_id, sequence_number }`, when the body is
 * malformed: a C-Octet string without its NUL, a length running past the end, a truncated TLV.
 */
export function decodePdu(frame: Uint8Array): Pdu {
  const buffer = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  if (buffer.length < HEADER_SIZE) {
    throw new TidingsError(
      ErrorCode.ProtocolError,
      `SMPP frame of ${buffer.length} bytes is shorter than the 16-byte header; the peer sent a broken PDU`,
      { details: { frameBytes: buffer.length } },
    );
  }
  const commandLength = buffer.readUInt32BE(0);
  decodingId = buffer.readUInt32BE(4);
  const status = buffer.readUInt32BE(8);
  decodingSequence = buffer.readUInt32BE(12);
  src = buffer;
  pos = HEADER_SIZE;
  end = buffer.length;
  try {
    if (commandLength !== buffer.length) {
      malformed(`command_length ${commandLength} does not match the frame size ${buffer.length}`);
    }
    return decodeBody(decodingId, status, decodingSequence);
  } finally {
    src = EMPTY_BYTES; // do not keep the frame alive
  }
}

function decodeBody(id: number, command_status: number, sequence_number: number): Pdu {
  switch (id) {
    case CommandId.submit_sm:
    case CommandId.deliver_sm: {
      const service_type = readCString('service_type');
      const source_addr_ton = readUint8('source_addr_ton');
      const source_addr_npi = readUint8('source_addr_npi');
      const source_addr = readCString('source_addr');
      const dest_addr_ton = readUint8('dest_addr_ton');
      const dest_addr_npi = readUint8('dest_addr_npi');
      const destination_addr = readCString('destination_addr');
      const esm_class = readUint8('esm_class');
      const protocol_id = readUint8('protocol_id');
      const priority_flag = readUint8('priority_flag');
      const schedule_delivery_time = readCString('schedule_delivery_time');
      const validity_period = readCString('validity_period');
      const registered_delivery = readUint8('registered_delivery');
      const replace_if_present_flag = readUint8('replace_if_present_flag');
      const data_coding = readUint8('data_coding');
      const sm_default_msg_id = readUint8('sm_default_msg_id');
      const smLength = readUint8('sm_length');
      const short_message = readBytes(smLength, 'short_message');
      return withTlvs({
        command: id === CommandId.submit_sm ? 'submit_sm' : 'deliver_sm',
        command_status,
        sequence_number,
        service_type,
        source_addr_ton,
        source_addr_npi,
        source_addr,
        dest_addr_ton,
        dest_addr_npi,
        destination_addr,
        esm_class,
        protocol_id,
        priority_flag,
        schedule_delivery_time,
        validity_period,
        registered_delivery,
        replace_if_present_flag,
        data_coding,
        sm_default_msg_id,
        short_message,
      });
    }
    case CommandId.submit_sm_resp:
    case CommandId.deliver_sm_resp:
    case CommandId.data_sm_resp: {
      const message_id = pos === end ? '' : readLastCString('message_id');
      return withTlvs({
        command:
          id === CommandId.submit_sm_resp
            ? 'submit_sm_resp'
            : id === CommandId.deliver_sm_resp
              ? 'deliver_sm_resp'
              : 'data_sm_resp',
        command_status,
        sequence_number,
        message_id,
      });
    }
    case CommandId.data_sm: {
      const service_type = readCString('service_type');
      const source_addr_ton = readUint8('source_addr_ton');
      const source_addr_npi = readUint8('source_addr_npi');
      const source_addr = readCString('source_addr');
      const dest_addr_ton = readUint8('dest_addr_ton');
      const dest_addr_npi = readUint8('dest_addr_npi');
      const destination_addr = readCString('destination_addr');
      const esm_class = readUint8('esm_class');
      const registered_delivery = readUint8('registered_delivery');
      const data_coding = readUint8('data_coding');
      return withTlvs({
        command: 'data_sm',
        command_status,
        sequence_number,
        service_type,
        source_addr_ton,
        source_addr_npi,
        source_addr,
        dest_addr_ton,
        dest_addr_npi,
        destination_addr,
        esm_class,
        registered_delivery,
        data_coding,
      });
    }
    case CommandId.enquire_link:
      return withTlvs({ command: 'enquire_link', command_status, sequence_number });
    case CommandId.enquire_link_resp:
      return withTlvs({ command: 'enquire_link_resp', command_status, sequence_number });
    case CommandId.generic_nack:
      return withTlvs({ command: 'generic_nack', command_status, sequence_number });
    case CommandId.unbind:
      return withTlvs({ command: 'unbind', command_status, sequence_number });
    case CommandId.unbind_resp:
      return withTlvs({ command: 'unbind_resp', command_status, sequence_number });
    case CommandId.cancel_sm_resp:
      return withTlvs({ command: 'cancel_sm_resp', command_status, sequence_number });
    case CommandId.replace_sm_resp:
      return withTlvs({ command: 'replace_sm_resp', command_status, sequence_number });
    case CommandId.bind_transmitter:
    case CommandId.bind_receiver:
    case CommandId.bind_transceiver: {
      const system_id = readCString('system_id');
      const password = readCString('password');
      const system_type = readCString('system_type');
      const interface_version = readUint8('interface_version');
      const addr_ton = readUint8('addr_ton');
      const addr_npi = readUint8('addr_npi');
      const address_range = readCString('address_range');
      return withTlvs({
        command:
          id === CommandId.bind_transmitter
            ? 'bind_transmitter'
            : id === CommandId.bind_receiver
              ? 'bind_receiver'
              : 'bind_transceiver',
        command_status,
        sequence_number,
        system_id,
        password,
        system_type,
        interface_version,
        addr_ton,
        addr_npi,
        address_range,
      });
    }
    case CommandId.bind_transmitter_resp:
    case CommandId.bind_receiver_resp:
    case CommandId.bind_transceiver_resp: {
      const system_id = pos === end ? '' : readLastCString('system_id');
      return withTlvs({
        command:
          id === CommandId.bind_transmitter_resp
            ? 'bind_transmitter_resp'
            : id === CommandId.bind_receiver_resp
              ? 'bind_receiver_resp'
              : 'bind_transceiver_resp',
        command_status,
        sequence_number,
        system_id,
      });
    }
    case CommandId.outbind: {
      const system_id = readCString('system_id');
      const password = readCString('password');
      return withTlvs({ command: 'outbind', command_status, sequence_number, system_id, password });
    }
    case CommandId.query_sm: {
      const message_id = readCString('message_id');
      const source_addr_ton = readUint8('source_addr_ton');
      const source_addr_npi = readUint8('source_addr_npi');
      const source_addr = readCString('source_addr');
      return withTlvs({
        command: 'query_sm',
        command_status,
        sequence_number,
        message_id,
        source_addr_ton,
        source_addr_npi,
        source_addr,
      });
    }
    case CommandId.query_sm_resp: {
      const empty = pos === end;
      const message_id = empty ? '' : readCString('message_id');
      const final_date = empty ? '' : readCString('final_date');
      const message_state = empty ? 0 : readUint8('message_state');
      const error_code = empty ? 0 : readUint8('error_code');
      return withTlvs({
        command: 'query_sm_resp',
        command_status,
        sequence_number,
        message_id,
        final_date,
        message_state,
        error_code,
      });
    }
    case CommandId.cancel_sm: {
      const service_type = readCString('service_type');
      const message_id = readCString('message_id');
      const source_addr_ton = readUint8('source_addr_ton');
      const source_addr_npi = readUint8('source_addr_npi');
      const source_addr = readCString('source_addr');
      const dest_addr_ton = readUint8('dest_addr_ton');
      const dest_addr_npi = readUint8('dest_addr_npi');
      const destination_addr = readCString('destination_addr');
      return withTlvs({
        command: 'cancel_sm',
        command_status,
        sequence_number,
        service_type,
        message_id,
        source_addr_ton,
        source_addr_npi,
        source_addr,
        dest_addr_ton,
        dest_addr_npi,
        destination_addr,
      });
    }
    default:
      return decodeOther(id, command_status, sequence_number);
  }
}

/** Rare and unknown commands: node-smpp's table gives the mandatory fields; `body` keeps the exact bytes. */
function decodeOther(command_id: number, command_status: number, sequence_number: number): OtherPdu {
  const body = copyBytes(HEADER_SIZE, end);
  const definition = nodeSmppDefinitions().commandsById[command_id];
  if (definition === undefined) return { command: 'other', command_status, sequence_number, command_id, body };
  const params = definition.params ?? {};
  const empty = pos === end;
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(params)) {
    const param = params[key];
    if (param === undefined) continue;
    fields[key] = empty ? defaultValueOf(param.type, param.default) : readParam(key, param.type);
  }
  const pdu: OtherPdu = {
    command: 'other',
    command_status,
    sequence_number,
    command_id,
    name: definition.command,
    fields,
    body,
  };
  return withTlvs(pdu);
}

function readParam(field: string, type: FieldType): unknown {
  const types = nodeSmppDefinitions().types;
  if (type === types.int8) return readUint8(field);
  if (type === types.int16) return readUint16(field);
  if (type === types.int32) return readUint32(field);
  if (type === types.cstring) return readCString(field);
  if (type === types.buffer) return readBytes(readUint8(field), field);
  // Composite types (dest_address_array, unsuccess_sme_array): node-smpp's reader, bounds-checked here.
  let value: unknown;
  try {
    value = type.read(src, pos);
  } catch {
    malformed(`${field} runs past the end of the PDU`);
  }
  const size = type.size(value);
  if (size > end - pos) malformed(`${field} runs past the end of the PDU`);
  pos += size;
  return value;
}

function defaultValueOf(type: FieldType, declared: unknown): unknown {
  const value = declared === undefined ? type.default : declared;
  if (value === null || value === undefined) return 0; // node-smpp's data_coding default
  if (Array.isArray(value)) return [];
  if (value instanceof Uint8Array) return EMPTY_BYTES;
  return value;
}

function readCString(field: string): string {
  const start = pos;
  let i = start;
  while (i < end && src[i] !== 0) i++;
  if (i === end) malformed(`${field} has no NUL terminator`);
  pos = i + 1;
  return i === start ? '' : src.toString('latin1', start, i);
}

/**
 * The only field of a response: some SMSCs leave out its NUL terminator. Without one, the id runs
 * to the end of the PDU (there can be no TLVs then).
 */
function readLastCString(_field: string): string {
  const start = pos;
  let i = start;
  while (i < end && src[i] !== 0) i++;
  pos = i === end ? end : i + 1;
  return i === start ? '' : src.toString('latin1', start, i);
}

function readUint8(field: string): number {
  if (pos >= end) malformed(`${field} is missing`);
  return src[pos++] as number;
}

function readUint16(field: string): number {
  if (end - pos < 2) malformed(`${field} is missing`);
  const value = src.readUInt16BE(pos);
  pos += 2;
  return value;
}

function readUint32(field: string): number {
  if (end - pos < 4) malformed(`${field} is missing`);
  const value = src.readUInt32BE(pos);
  pos += 4;
  return value;
}

function readBytes(length: number, field: string): Buffer {
  if (length > end - pos) malformed(`${field} declares ${length} bytes but only ${end - pos} remain`);
  const start = pos;
  pos += length;
  return copyBytes(start, pos);
}

function copyBytes(start: number, stop: number): Buffer {
  if (stop === start) return EMPTY_BYTES;
  const bytes = Buffer.allocUnsafe(stop - start);
  src.copy(bytes, 0, start, stop);
  return bytes;
}

/** The remaining (tag, length, value) triplets, raw and in wire order; undefined when there are none. */
function readTlvs(): Tlv[] | undefined {
  if (pos === end) return undefined;
  const tlvs: Tlv[] = [];
  while (pos < end) {
    if (end - pos < 4) malformed(`truncated TLV: ${end - pos} bytes left where a 4-byte tag and length start`);
    const tag = ((src[pos] as number) << 8) | (src[pos + 1] as number);
    const length = ((src[pos + 2] as number) << 8) | (src[pos + 3] as number);
    pos += 4;
    if (length > end - pos) {
      malformed(`TLV ${hex4(tag)} declares ${length} bytes but only ${end - pos} remain`);
    }
    const start = pos;
    pos += length;
    tlvs.push({ tag, value: copyBytes(start, pos) });
  }
  return tlvs;
}

function withTlvs<P extends Pdu>(pdu: P): P {
  const tlvs = readTlvs();
  if (tlvs !== undefined) (pdu as { tlvs?: readonly Tlv[] }).tlvs = tlvs;
  return pdu;
}

function malformed(problem: string): never {
  throw new TidingsError(
    ErrorCode.ProtocolError,
    `malformed ${commandName(decodingId)} (sequence_number ${decodingSequence}): ${problem}; the peer sent an invalid PDU`,
    { details: { command_id: decodingId, sequence_number: decodingSequence } },
  );
}

// ---------------------------------------------------------------------------------------------
// Encode
// ---------------------------------------------------------------------------------------------

/**
 * Encodes a PDU into one whole frame (command_length included). Throws TIDINGS_INVALID_MESSAGE
 * when a field does not fit (an integer out of range, non-Latin-1 text, a short_message over 254
 * octets). A response with a non-zero status and only default fields is written as a bare header,
 * as node-smpp does.
 */
export function encodePdu(pdu: Pdu): Buffer {
  encodingCommand = pdu.command === 'other' ? (pdu.name ?? hex8(pdu.command_id)) : pdu.command;
  try {
    return encodeBody(pdu);
  } finally {
    out = EMPTY_BYTES;
  }
}

/**
 * Encodes a request with the `command_status` and `sequence_number` given here rather than read
 * from the PDU: a session numbers each request, and copying a 20-field PDU to add two numbers cost
 * more than encoding it.
 */
export function encodeRequest(
  pdu: Omit<Pdu, 'sequence_number' | 'command_status'>,
  commandStatus: number,
  sequenceNumber: number,
): Buffer {
  headerOverride = true;
  overrideStatus = commandStatus;
  overrideSequence = sequenceNumber;
  try {
    return encodePdu(pdu as Pdu);
  } finally {
    headerOverride = false;
  }
}

function encodeBody(pdu: Pdu): Buffer {
  switch (pdu.command) {
    case 'submit_sm':
    case 'deliver_sm': {
      const sm = pdu.short_message;
      if (!(sm instanceof Uint8Array)) invalid('short_message must be a Uint8Array');
      if (sm.length > MAX_SHORT_MESSAGE) {
        invalid(`short_message is ${sm.length} octets, over the 254 allowed: use message_payload or split the text`);
      }
      const size =
        HEADER_SIZE +
        cStringSize(pdu.service_type, 'service_type') +
        cStringSize(pdu.source_addr, 'source_addr') +
        cStringSize(pdu.destination_addr, 'destination_addr') +
        cStringSize(pdu.schedule_delivery_time, 'schedule_delivery_time') +
        cStringSize(pdu.validity_period, 'validity_period') +
        12 +
        sm.length +
        tlvsSize(pdu.tlvs);
      startFrame(size, CommandId[pdu.command], pdu.command_status, pdu.sequence_number);
      writeCString(pdu.service_type, 'service_type');
      writeUint8(pdu.source_addr_ton, 'source_addr_ton');
      writeUint8(pdu.source_addr_npi, 'source_addr_npi');
      writeCString(pdu.source_addr, 'source_addr');
      writeUint8(pdu.dest_addr_ton, 'dest_addr_ton');
      writeUint8(pdu.dest_addr_npi, 'dest_addr_npi');
      writeCString(pdu.destination_addr, 'destination_addr');
      writeUint8(pdu.esm_class, 'esm_class');
      writeUint8(pdu.protocol_id, 'protocol_id');
      writeUint8(pdu.priority_flag, 'priority_flag');
      writeCString(pdu.schedule_delivery_time, 'schedule_delivery_time');
      writeCString(pdu.validity_period, 'validity_period');
      writeUint8(pdu.registered_delivery, 'registered_delivery');
      writeUint8(pdu.replace_if_present_flag, 'replace_if_present_flag');
      writeUint8(pdu.data_coding, 'data_coding');
      writeUint8(pdu.sm_default_msg_id, 'sm_default_msg_id');
      out[at++] = sm.length;
      out.set(sm, at);
      at += sm.length;
      return finishFrame(pdu.tlvs);
    }
    case 'submit_sm_resp':
    case 'deliver_sm_resp':
    case 'data_sm_resp': {
      if (statusOf(pdu) !== 0 && pdu.message_id === '' && isEmpty(pdu.tlvs)) return headerOnly(pdu);
      const size = HEADER_SIZE + cStringSize(pdu.message_id, 'message_id') + tlvsSize(pdu.tlvs);
      startFrame(size, CommandId[pdu.command], pdu.command_status, pdu.sequence_number);
      writeCString(pdu.message_id, 'message_id');
      return finishFrame(pdu.tlvs);
    }
    case 'data_sm': {
      const size =
        HEADER_SIZE +
        cStringSize(pdu.service_type, 'service_type') +
        cStringSize(pdu.source_addr, 'source_addr') +
        cStringSize(pdu.destination_addr, 'destination_addr') +
        7 +
        tlvsSize(pdu.tlvs);
      startFrame(size, CommandId.data_sm, pdu.command_status, pdu.sequence_number);
      writeCString(pdu.service_type, 'service_type');
      writeUint8(pdu.source_addr_ton, 'source_addr_ton');
      writeUint8(pdu.source_addr_npi, 'source_addr_npi');
      writeCString(pdu.source_addr, 'source_addr');
      writeUint8(pdu.dest_addr_ton, 'dest_addr_ton');
      writeUint8(pdu.dest_addr_npi, 'dest_addr_npi');
      writeCString(pdu.destination_addr, 'destination_addr');
      writeUint8(pdu.esm_class, 'esm_class');
      writeUint8(pdu.registered_delivery, 'registered_delivery');
      writeUint8(pdu.data_coding, 'data_coding');
      return finishFrame(pdu.tlvs);
    }
    case 'enquire_link':
    case 'enquire_link_resp':
    case 'unbind':
    case 'unbind_resp':
    case 'generic_nack':
    case 'cancel_sm_resp':
    case 'replace_sm_resp':
      startFrame(HEADER_SIZE + tlvsSize(pdu.tlvs), CommandId[pdu.command], pdu.command_status, pdu.sequence_number);
      return finishFrame(pdu.tlvs);
    case 'bind_transmitter':
    case 'bind_receiver':
    case 'bind_transceiver': {
      const size =
        HEADER_SIZE +
        cStringSize(pdu.system_id, 'system_id') +
        cStringSize(pdu.password, 'password') +
        cStringSize(pdu.system_type, 'system_type') +
        cStringSize(pdu.address_range, 'address_range') +
        3 +
        tlvsSize(pdu.tlvs);
      startFrame(size, CommandId[pdu.command], pdu.command_status, pdu.sequence_number);
      writeCString(pdu.system_id, 'system_id');
      writeCString(pdu.password, 'password');
      writeCString(pdu.system_type, 'system_type');
      writeUint8(pdu.interface_version, 'interface_version');
      writeUint8(pdu.addr_ton, 'addr_ton');
      writeUint8(pdu.addr_npi, 'addr_npi');
      writeCString(pdu.address_range, 'address_range');
      return finishFrame(pdu.tlvs);
    }
    case 'bind_transmitter_resp':
    case 'bind_receiver_resp':
    case 'bind_transceiver_resp': {
      if (statusOf(pdu) !== 0 && pdu.system_id === '' && isEmpty(pdu.tlvs)) return headerOnly(pdu);
      const size = HEADER_SIZE + cStringSize(pdu.system_id, 'system_id') + tlvsSize(pdu.tlvs);
      startFrame(size, CommandId[pdu.command], pdu.command_status, pdu.sequence_number);
      writeCString(pdu.system_id, 'system_id');
      return finishFrame(pdu.tlvs);
    }
    case 'outbind': {
      const size =
        HEADER_SIZE +
        cStringSize(pdu.system_id, 'system_id') +
        cStringSize(pdu.password, 'password') +
        tlvsSize(pdu.tlvs);
      startFrame(size, CommandId.outbind, pdu.command_status, pdu.sequence_number);
      writeCString(pdu.system_id, 'system_id');
      writeCString(pdu.password, 'password');
      return finishFrame(pdu.tlvs);
    }
    case 'query_sm': {
      const size =
        HEADER_SIZE +
        cStringSize(pdu.message_id, 'message_id') +
        cStringSize(pdu.source_addr, 'source_addr') +
        2 +
        tlvsSize(pdu.tlvs);
      startFrame(size, CommandId.query_sm, pdu.command_status, pdu.sequence_number);
      writeCString(pdu.message_id, 'message_id');
      writeUint8(pdu.source_addr_ton, 'source_addr_ton');
      writeUint8(pdu.source_addr_npi, 'source_addr_npi');
      writeCString(pdu.source_addr, 'source_addr');
      return finishFrame(pdu.tlvs);
    }
    case 'query_sm_resp': {
      if (
        statusOf(pdu) !== 0 &&
        pdu.message_id === '' &&
        pdu.final_date === '' &&
        pdu.message_state === 0 &&
        pdu.error_code === 0 &&
        isEmpty(pdu.tlvs)
      ) {
        return headerOnly(pdu);
      }
      const size =
        HEADER_SIZE +
        cStringSize(pdu.message_id, 'message_id') +
        cStringSize(pdu.final_date, 'final_date') +
        2 +
        tlvsSize(pdu.tlvs);
      startFrame(size, CommandId.query_sm_resp, pdu.command_status, pdu.sequence_number);
      writeCString(pdu.message_id, 'message_id');
      writeCString(pdu.final_date, 'final_date');
      writeUint8(pdu.message_state, 'message_state');
      writeUint8(pdu.error_code, 'error_code');
      return finishFrame(pdu.tlvs);
    }
    case 'cancel_sm': {
      const size =
        HEADER_SIZE +
        cStringSize(pdu.service_type, 'service_type') +
        cStringSize(pdu.message_id, 'message_id') +
        cStringSize(pdu.source_addr, 'source_addr') +
        cStringSize(pdu.destination_addr, 'destination_addr') +
        4 +
        tlvsSize(pdu.tlvs);
      startFrame(size, CommandId.cancel_sm, pdu.command_status, pdu.sequence_number);
      writeCString(pdu.service_type, 'service_type');
      writeCString(pdu.message_id, 'message_id');
      writeUint8(pdu.source_addr_ton, 'source_addr_ton');
      writeUint8(pdu.source_addr_npi, 'source_addr_npi');
      writeCString(pdu.source_addr, 'source_addr');
      writeUint8(pdu.dest_addr_ton, 'dest_addr_ton');
      writeUint8(pdu.dest_addr_npi, 'dest_addr_npi');
      writeCString(pdu.destination_addr, 'destination_addr');
      return finishFrame(pdu.tlvs);
    }
    case 'other':
      return encodeOther(pdu);
  }
}

/**
 * `body`, when present, is written verbatim (it already holds any TLVs: a decoded PDU re-encodes
 * byte for byte). Otherwise the mandatory `fields` follow node-smpp's table, then `tlvs`.
 */
function encodeOther(pdu: OtherPdu): Buffer {
  if (pdu.body !== undefined) {
    if (!(pdu.body instanceof Uint8Array)) invalid('body must be a Uint8Array');
    startFrame(HEADER_SIZE + pdu.body.length, pdu.command_id, pdu.command_status, pdu.sequence_number);
    out.set(pdu.body, at);
    at += pdu.body.length;
    return finishFrame(undefined);
  }
  const definition = nodeSmppDefinitions().commandsById[pdu.command_id];
  const params = definition?.params ?? {};
  const fields = pdu.fields ?? {};
  if (definition === undefined && Object.keys(fields).length > 0) {
    invalid('its command_id is unknown, so fields cannot be laid out: give the raw body instead');
  }
  const keys = Object.keys(params);
  const values: unknown[] = [];
  let bodySize = 0;
  let allDefault = true;
  for (const key of keys) {
    const param = params[key];
    if (param === undefined) continue;
    const value = key in fields ? fields[key] : defaultValueOf(param.type, param.default);
    if (!isDefaultValue(value)) allDefault = false;
    values.push(value);
    bodySize += paramSize(key, param.type, value);
  }
  if (statusOf(pdu) !== 0 && isResponseCommand(definition) && allDefault && isEmpty(pdu.tlvs)) {
    return headerOnly(pdu);
  }
  startFrame(HEADER_SIZE + bodySize + tlvsSize(pdu.tlvs), pdu.command_id, pdu.command_status, pdu.sequence_number);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const type = (params[key] as { type: FieldType }).type;
    writeParam(key, type, values[i]);
  }
  return finishFrame(pdu.tlvs);
}

function paramSize(field: string, type: FieldType, value: unknown): number {
  const types = nodeSmppDefinitions().types;
  if (type === types.int8) return 1;
  if (type === types.int16) return 2;
  if (type === types.int32) return 4;
  if (type === types.cstring) return cStringSize(value, field);
  if (type === types.buffer) {
    if (!(value instanceof Uint8Array)) invalid(`${field} must be a Uint8Array`);
    const max = field === 'short_message' ? MAX_SHORT_MESSAGE : 255;
    if (value.length > max) invalid(`${field} is ${value.length} octets, over the ${max} allowed`);
    return value.length + 1;
  }
  try {
    return type.size(value);
  } catch (cause) {
    throw new TidingsError(ErrorCode.InvalidMessage, `cannot encode ${encodingCommand}: ${field} has the wrong shape`, {
      cause,
    });
  }
}

function writeParam(field: string, type: FieldType, value: unknown): void {
  const types = nodeSmppDefinitions().types;
  if (type === types.int8) writeUint8(value as number, field);
  else if (type === types.int16) writeUint16(value as number, field);
  else if (type === types.int32) writeUint32(value as number, field);
  else if (type === types.cstring) writeCString(value as string, field);
  else if (type === types.buffer) {
    const bytes = value as Uint8Array;
    out[at++] = bytes.length;
    out.set(bytes, at);
    at += bytes.length;
  } else writeComposite(field, type, value);
}

/** dest_address_array, unsuccess_sme_array: node-smpp's writer. */
function writeComposite(field: string, type: FieldType, value: unknown): void {
  try {
    type.write(value, out, at);
  } catch (cause) {
    throw new TidingsError(ErrorCode.InvalidMessage, `cannot encode ${encodingCommand}: ${field} has the wrong shape`, {
      cause,
    });
  }
  at += type.size(value);
}

function isDefaultValue(value: unknown): boolean {
  return (
    value === '' ||
    value === 0 ||
    value === null ||
    value === undefined ||
    (Array.isArray(value) && value.length === 0) ||
    (value instanceof Uint8Array && value.length === 0)
  );
}

function isResponseCommand(definition: CommandDefinition | undefined): boolean {
  return definition !== undefined && (definition.id & 0x80000000) !== 0;
}

/** The command_status the frame will carry. */
function statusOf(pdu: Pdu): number {
  return headerOverride ? overrideStatus : pdu.command_status;
}

function headerOnly(pdu: Pdu): Buffer {
  const id = pdu.command === 'other' ? pdu.command_id : CommandId[pdu.command];
  startFrame(HEADER_SIZE, id, pdu.command_status, pdu.sequence_number);
  return finishFrame(undefined);
}

function startFrame(size: number, id: number, pduStatus: number, pduSequence: number): void {
  const status = headerOverride ? overrideStatus : pduStatus;
  const sequence = headerOverride ? overrideSequence : pduSequence;
  if (status >>> 0 !== status) invalid(`command_status must be an integer 0..0xFFFFFFFF, got ${String(status)}`);
  if (sequence >>> 0 !== sequence) {
    invalid(`sequence_number must be an integer 0..0xFFFFFFFF, got ${String(sequence)}`);
  }
  if (id >>> 0 !== id) invalid(`command_id must be an integer 0..0xFFFFFFFF, got ${String(id)}`);
  out = Buffer.allocUnsafe(size);
  out.writeUInt32BE(size, 0);
  out.writeUInt32BE(id, 4);
  out.writeUInt32BE(status, 8);
  out.writeUInt32BE(sequence, 12);
  at = HEADER_SIZE;
}

function finishFrame(tlvs: readonly Tlv[] | undefined): Buffer {
  if (tlvs !== undefined) {
    for (const tlv of tlvs) {
      const value = tlv.value;
      out[at] = tlv.tag >>> 8;
      out[at + 1] = tlv.tag & 0xff;
      out[at + 2] = value.length >>> 8;
      out[at + 3] = value.length & 0xff;
      out.set(value, at + 4);
      at += 4 + value.length;
    }
  }
  if (at !== out.length) {
    throw new TidingsError(
      ErrorCode.Internal,
      `encoding ${encodingCommand} wrote ${at} bytes into a frame of ${out.length}; this is a bug in the codec`,
    );
  }
  return out;
}

function tlvsSize(tlvs: readonly Tlv[] | undefined): number {
  if (tlvs === undefined) return 0;
  let size = 0;
  for (const tlv of tlvs) {
    if (!Number.isInteger(tlv.tag) || tlv.tag < 0 || tlv.tag > 0xffff) {
      invalid(`TLV tag must be an integer 0..0xFFFF, got ${String(tlv.tag)}`);
    }
    if (!(tlv.value instanceof Uint8Array)) invalid(`TLV ${hex4(tlv.tag)} value must be a Uint8Array`);
    if (tlv.value.length > 0xffff) invalid(`TLV ${hex4(tlv.tag)} value is ${tlv.value.length} bytes, over 65535`);
    size += 4 + tlv.value.length;
  }
  return size;
}

function isEmpty(tlvs: readonly Tlv[] | undefined): boolean {
  return tlvs === undefined || tlvs.length === 0;
}

function cStringSize(value: unknown, field: string): number {
  if (typeof value !== 'string') invalid(`${field} must be a string, got ${typeof value}`);
  return value.length + 1;
}

function writeCString(value: string, field: string): void {
  const length = value.length;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code > 0xff) {
      invalid(`${field} must be Latin-1 text without NUL characters (character ${i} is U+${hex4(code).slice(2)})`);
    }
    out[at + i] = code;
  }
  out[at + length] = 0;
  at += length + 1;
}

function writeUint8(value: number, field: string): void {
  if ((value & 0xff) !== value) invalid(`${field} must be an integer 0..255, got ${String(value)}`);
  out[at++] = value;
}

function writeUint16(value: number, field: string): void {
  if ((value & 0xffff) !== value) invalid(`${field} must be an integer 0..65535, got ${String(value)}`);
  out.writeUInt16BE(value, at);
  at += 2;
}

function writeUint32(value: number, field: string): void {
  if (value >>> 0 !== value) invalid(`${field} must be an integer 0..4294967295, got ${String(value)}`);
  out.writeUInt32BE(value, at);
  at += 4;
}

function invalid(problem: string): never {
  throw new TidingsError(ErrorCode.InvalidMessage, `cannot encode ${encodingCommand}: ${problem}`, {
    details: { command: encodingCommand },
  });
}

// ---------------------------------------------------------------------------------------------
// Shared
// ---------------------------------------------------------------------------------------------

type NodeSmppDefinitions = typeof import('smpp/lib/defs');
let definitions: NodeSmppDefinitions | undefined;

/** node-smpp's tables, loaded on first use of a rare command (they pull in iconv-lite). */
function nodeSmppDefinitions(): NodeSmppDefinitions {
  if (definitions === undefined) definitions = createRequire(import.meta.url)('smpp/lib/defs') as NodeSmppDefinitions;
  return definitions;
}

const namesById = new Map<number, string>(Object.entries(CommandId).map(([name, id]) => [id, name]));

/** `submit_sm`, or node-smpp's name for a rare command, or the hex id. */
export function commandName(commandId: number): string {
  return namesById.get(commandId) ?? nodeSmppDefinitions().commandsById[commandId]?.command ?? hex8(commandId);
}

function hex4(value: number): string {
  return `0x${value.toString(16).padStart(4, '0')}`;
}

function hex8(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}
