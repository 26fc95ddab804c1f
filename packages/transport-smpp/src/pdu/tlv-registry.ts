import { Buffer } from 'node:buffer';
import { ErrorCode, TidingsError } from '@tidings/core';
import type { Tlv } from './pdu.js';

/** How a TLV value is laid out: 'string' is fixed text without a NUL, 'octets' raw bytes. */
export type TlvValueType = 'uint8' | 'uint16' | 'uint32' | 'cstring' | 'string' | 'octets';

export interface TlvDefinition {
  readonly tag: number;
  readonly name: string;
  readonly type: TlvValueType;
  /** Exact value size in octets, for fixed-size 'octets'/'string' values (e.g. network_error_code: 3). */
  readonly length?: number;
}

export type TlvValue = number | string | Uint8Array;

export interface DecodedTlv {
  /** The registry's name for the tag, undefined when the registry does not know it. */
  readonly name: string | undefined;
  /** The typed value, or the raw bytes when the tag is unknown or its length does not fit its type. */
  readonly value: TlvValue;
}

const VENDOR_TAG_MIN = 0x1400;
const VENDOR_TAG_MAX = 0x3fff;
const MAX_TLV_VALUE_LENGTH = 0xffff;
const VALUE_TYPES: ReadonlySet<string> = new Set(['uint8', 'uint16', 'uint32', 'cstring', 'string', 'octets']);
const INTEGER_SIZES = { uint8: 1, uint16: 2, uint32: 4 } as const;

const STANDARD_DEFINITIONS: readonly TlvDefinition[] = [
  { tag: 0x0005, name: 'dest_addr_subunit', type: 'uint8' },
  { tag: 0x0006, name: 'dest_network_type', type: 'uint8' },
  { tag: 0x0007, name: 'dest_bearer_type', type: 'uint8' },
  { tag: 0x0008, name: 'dest_telematics_id', type: 'uint16' },
  { tag: 0x000d, name: 'source_addr_subunit', type: 'uint8' },
  { tag: 0x000e, name: 'source_network_type', type: 'uint8' },
  { tag: 0x000f, name: 'source_bearer_type', type: 'uint8' },
  { tag: 0x0010, name: 'source_telematics_id', type: 'uint8' },
  { tag: 0x0017, name: 'qos_time_to_live', type: 'uint32' },
  { tag: 0x0019, name: 'payload_type', type: 'uint8' },
  { tag: 0x001d, name: 'additional_status_info_text', type: 'cstring' },
  { tag: 0x001e, name: 'receipted_message_id', type: 'cstring' },
  { tag: 0x0030, name: 'ms_msg_wait_facilities', type: 'uint8' },
  { tag: 0x0201, name: 'privacy_indicator', type: 'uint8' },
  { tag: 0x0202, name: 'source_subaddress', type: 'octets' },
  { tag: 0x0203, name: 'dest_subaddress', type: 'octets' },
  { tag: 0x0204, name: 'user_message_reference', type: 'uint16' },
  { tag: 0x0205, name: 'user_response_code', type: 'uint8' },
  { tag: 0x020a, name: 'source_port', type: 'uint16' },
  { tag: 0x020b, name: 'destination_port', type: 'uint16' },
  { tag: 0x020c, name: 'sar_msg_ref_num', type: 'uint16' },
  { tag: 0x020d, name: 'language_indicator', type: 'uint8' },
  { tag: 0x020e, name: 'sar_total_segments', type: 'uint8' },
  { tag: 0x020f, name: 'sar_segment_seqnum', type: 'uint8' },
  { tag: 0x0210, name: 'sc_interface_version', type: 'uint8' },
  { tag: 0x0302, name: 'callback_num_pres_ind', type: 'uint8' },
  { tag: 0x0303, name: 'callback_num_atag', type: 'octets' },
  { tag: 0x0304, name: 'number_of_messages', type: 'uint8' },
  { tag: 0x0381, name: 'callback_num', type: 'octets' },
  { tag: 0x0420, name: 'dpf_result', type: 'uint8' },
  { tag: 0x0421, name: 'set_dpf', type: 'uint8' },
  { tag: 0x0422, name: 'ms_availability_status', type: 'uint8' },
  // Network type (1 octet) + error code (2 octets).
  { tag: 0x0423, name: 'network_error_code', type: 'octets', length: 3 },
  { tag: 0x0424, name: 'message_payload', type: 'octets' },
  { tag: 0x0425, name: 'delivery_failure_reason', type: 'uint8' },
  { tag: 0x0426, name: 'more_messages_to_send', type: 'uint8' },
  { tag: 0x0427, name: 'message_state', type: 'uint8' },
  // SMPP 5.0.
  { tag: 0x0428, name: 'congestion_state', type: 'uint8' },
  { tag: 0x0501, name: 'ussd_service_op', type: 'uint8' },
  { tag: 0x060d, name: 'source_network_id', type: 'cstring' },
  { tag: 0x060e, name: 'dest_network_id', type: 'cstring' },
  { tag: 0x1201, name: 'display_time', type: 'uint8' },
  { tag: 0x1203, name: 'sms_signal', type: 'uint16' },
  { tag: 0x1204, name: 'ms_validity', type: 'uint8' },
  // Zero-length in SMPP 3.4 (its presence is the value), 1 octet in 5.0: kept as raw bytes.
  { tag: 0x130c, name: 'alert_on_message_delivery', type: 'octets' },
  { tag: 0x1380, name: 'its_reply_type', type: 'uint8' },
  { tag: 0x1383, name: 'its_session_info', type: 'octets', length: 2 },
];

/**
 * Names and types of optional parameters. Immutable: vendor TLVs mean different things at
 * different providers, so each channel builds its own registry with `withVendor` instead of
 * mutating a process-wide table (node-smpp's `addTLV` trap).
 */
export class TlvRegistry {
  /** The SMPP 3.4 standard TLVs (plus a few SMPP 5.0 ones), by their specification names. */
  static readonly standard: TlvRegistry = new TlvRegistry(
    new Map(STANDARD_DEFINITIONS.map((definition) => [definition.tag, Object.freeze({ ...definition })])),
  );

  readonly #byTag: ReadonlyMap<number, TlvDefinition>;
  readonly #byName: ReadonlyMap<string, TlvDefinition>;

  private constructor(byTag: ReadonlyMap<number, TlvDefinition>) {
    this.#byTag = byTag;
    this.#byName = new Map([...byTag.values()].map((definition) => [definition.name, definition]));
  }

  /**
   * A new registry with vendor-specific definitions (tags 0x1400–0x3FFF) added; `this` is left
   * unchanged. A definition replaces an earlier vendor definition of the same tag.
   */
  withVendor(definitions: readonly TlvDefinition[]): TlvRegistry {
    const byTag = new Map(this.#byTag);
    const seenTags = new Set<number>();
    const seenNames = new Set<string>();
    for (const definition of definitions) {
      validateVendorDefinition(definition);
      const { tag, name } = definition;
      if (seenTags.has(tag)) invalidOptions(`vendor TLV tag ${hexTag(tag)} is defined twice; keep one definition`);
      if (seenNames.has(name)) invalidOptions(`vendor TLV name '${name}' is defined twice; give each tag its own name`);
      seenTags.add(tag);
      seenNames.add(name);
      byTag.set(tag, Object.freeze({ ...definition }));
    }
    const names = new Map<string, number>();
    for (const definition of byTag.values()) {
      const other = names.get(definition.name);
      if (other !== undefined) {
        invalidOptions(
          `vendor TLV name '${definition.name}' is already used by tag ${hexTag(other)}; choose another name`,
        );
      }
      names.set(definition.name, definition.tag);
    }
    return new TlvRegistry(byTag);
  }

  byName(name: string): TlvDefinition | undefined {
    return this.#byName.get(name);
  }

  byTag(tag: number): TlvDefinition | undefined {
    return this.#byTag.get(tag);
  }

  /** Every definition, ordered by tag. */
  definitions(): TlvDefinition[] {
    return [...this.#byTag.values()].sort((a, b) => a.tag - b.tag);
  }

  /** Builds the TLV `name` with `value`; throws TIDINGS_INVALID_MESSAGE when the value does not fit its type. */
  encode(name: string, value: TlvValue): Tlv {
    const definition = this.#byName.get(name);
    if (definition === undefined) {
      throw new TidingsError(
        ErrorCode.InvalidMessage,
        `unknown TLV '${name}': use a standard name or add it to the channel's vendor TLVs`,
      );
    }
    return { tag: definition.tag, value: encodeValue(definition, value) };
  }

  /** The typed value of a TLV. Never throws: unknown tags and sizes that do not fit give raw bytes. */
  decodeValue(tlv: Tlv): DecodedTlv {
    const definition = this.#byTag.get(tlv.tag);
    if (definition === undefined) return { name: undefined, value: tlv.value };
    return { name: definition.name, value: decodeValue(definition, tlv.value) };
  }

  /** The value of the first TLV named `name`, or undefined when absent or the name is unknown. */
  read(tlvs: readonly Tlv[] | undefined, name: string): TlvValue | undefined {
    if (tlvs === undefined || tlvs.length === 0) return undefined;
    const definition = this.#byName.get(name);
    if (definition === undefined) return undefined;
    for (const tlv of tlvs) {
      if (tlv.tag === definition.tag) return decodeValue(definition, tlv.value);
    }
    return undefined;
  }

  /** Known TLVs by name, unknown ones as `tlv_0x1403`; the first occurrence of a tag wins. */
  toRecord(tlvs: readonly Tlv[] | undefined): Record<string, TlvValue> {
    const record: Record<string, TlvValue> = {};
    if (tlvs === undefined) return record;
    for (const tlv of tlvs) {
      const definition = this.#byTag.get(tlv.tag);
      const key = definition === undefined ? `tlv_${hexTag(tlv.tag)}` : definition.name;
      if (key in record) continue;
      record[key] = definition === undefined ? tlv.value : decodeValue(definition, tlv.value);
    }
    return record;
  }
}

function decodeValue(definition: TlvDefinition, bytes: Uint8Array): TlvValue {
  const length = bytes.length;
  switch (definition.type) {
    case 'uint8':
      return length === 1 ? (bytes[0] as number) : bytes;
    case 'uint16':
      return length === 2 ? ((bytes[0] as number) << 8) | (bytes[1] as number) : bytes;
    case 'uint32':
      return length === 4
        ? (bytes[0] as number) * 0x1000000 +
            (((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number))
        : bytes;
    case 'cstring': {
      if (length === 0 || bytes[length - 1] !== 0) return bytes;
      const nul = bytes.indexOf(0);
      return latin1(bytes, nul);
    }
    case 'string':
      return definition.length !== undefined && length !== definition.length ? bytes : latin1(bytes, length);
    case 'octets':
      return bytes;
  }
}

function latin1(bytes: Uint8Array, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('latin1');
}

function encodeValue(definition: TlvDefinition, value: TlvValue): Uint8Array {
  const { type, name } = definition;
  switch (type) {
    case 'uint8':
    case 'uint16':
    case 'uint32': {
      const size = INTEGER_SIZES[type];
      const max = 2 ** (size * 8) - 1;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
        throw invalidValue(name, `an integer 0..${max}`, value);
      }
      const bytes = Buffer.allocUnsafe(size);
      bytes.writeUIntBE(value, 0, size);
      return bytes;
    }
    case 'cstring':
    case 'string': {
      if (typeof value !== 'string') throw invalidValue(name, 'a string', value);
      const nulSize = type === 'cstring' ? 1 : 0;
      const size = value.length + nulSize;
      if (size > MAX_TLV_VALUE_LENGTH)
        throw invalidValue(name, `at most ${MAX_TLV_VALUE_LENGTH - nulSize} characters`, value);
      if (definition.length !== undefined && size !== definition.length) {
        throw invalidValue(name, `exactly ${definition.length} characters`, value);
      }
      const bytes = Buffer.allocUnsafe(size);
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (code > 0xff || (code === 0 && nulSize === 1)) {
          throw invalidValue(name, 'Latin-1 text without NUL characters', value);
        }
        bytes[i] = code;
      }
      if (nulSize === 1) bytes[value.length] = 0;
      return bytes;
    }
    case 'octets': {
      if (!(value instanceof Uint8Array)) throw invalidValue(name, 'a Uint8Array', value);
      if (value.length > MAX_TLV_VALUE_LENGTH) throw invalidValue(name, `at most ${MAX_TLV_VALUE_LENGTH} bytes`, value);
      if (definition.length !== undefined && value.length !== definition.length) {
        throw invalidValue(name, `exactly ${definition.length} bytes`, value);
      }
      return value;
    }
  }
}

function invalidValue(name: string, expected: string, value: TlvValue): TidingsError {
  const got =
    typeof value === 'number'
      ? String(value)
      : typeof value === 'string'
        ? `a string of ${value.length} characters`
        : value instanceof Uint8Array
          ? `${value.length} bytes`
          : typeof value;
  return new TidingsError(ErrorCode.InvalidMessage, `TLV '${name}' needs ${expected}, got ${got}`, {
    details: { tlv: name },
  });
}

function validateVendorDefinition(definition: TlvDefinition): void {
  const { tag, name, type, length } = definition;
  if (typeof name !== 'string' || name.length === 0) invalidOptions('a vendor TLV definition needs a non-empty name');
  if (!Number.isInteger(tag) || tag < VENDOR_TAG_MIN || tag > VENDOR_TAG_MAX) {
    invalidOptions(
      `vendor TLV '${name}' has tag ${Number.isInteger(tag) ? hexTag(tag) : String(tag)}: vendor tags must be 0x1400..0x3FFF`,
    );
  }
  if (!VALUE_TYPES.has(type)) {
    invalidOptions(`vendor TLV '${name}' has type '${String(type)}': use one of ${[...VALUE_TYPES].join(', ')}`);
  }
  if (length !== undefined && (!Number.isInteger(length) || length < 0 || length > MAX_TLV_VALUE_LENGTH)) {
    invalidOptions(`vendor TLV '${name}' has length ${String(length)}: use an integer 0..${MAX_TLV_VALUE_LENGTH}`);
  }
}

function invalidOptions(message: string): never {
  throw new TidingsError(ErrorCode.InvalidOptions, message);
}

function hexTag(tag: number): string {
  return `0x${tag.toString(16).padStart(4, '0')}`;
}
