/**
 * The PDU model: SMPP field names as the specification spells them (so they can be searched in
 * the spec and compared with node-smpp), C-Octet strings as JS strings (ASCII/Latin-1 bytes),
 * `short_message` as raw bytes (text encoding is the codec's job, one layer up), and optional
 * parameters as raw TLVs in wire order (their meaning depends on the channel's TLV registry).
 */

/** One optional parameter, undecoded. Unknown tags survive decode and re-encode unchanged. */
export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
}

interface PduHeader {
  /** `command_status`: 0 in requests; the result in responses. */
  readonly command_status: number;
  /** 1..0x7FFFFFFF; a response echoes its request's. */
  readonly sequence_number: number;
  /** Optional parameters in wire order. */
  readonly tlvs?: readonly Tlv[];
}

export interface BindFields {
  readonly system_id: string;
  readonly password: string;
  readonly system_type: string;
  readonly interface_version: number;
  readonly addr_ton: number;
  readonly addr_npi: number;
  readonly address_range: string;
}

/** The mandatory body shared by `submit_sm` and `deliver_sm`. */
export interface ShortMessageFields {
  readonly service_type: string;
  readonly source_addr_ton: number;
  readonly source_addr_npi: number;
  readonly source_addr: string;
  readonly dest_addr_ton: number;
  readonly dest_addr_npi: number;
  readonly destination_addr: string;
  readonly esm_class: number;
  readonly protocol_id: number;
  readonly priority_flag: number;
  readonly schedule_delivery_time: string;
  readonly validity_period: string;
  readonly registered_delivery: number;
  readonly replace_if_present_flag: number;
  readonly data_coding: number;
  readonly sm_default_msg_id: number;
  /** 0..254 octets (`sm_length` is derived from it). Includes the UDH when `esm_class & 0x40`. */
  readonly short_message: Uint8Array;
}

export interface DataSmFields {
  readonly service_type: string;
  readonly source_addr_ton: number;
  readonly source_addr_npi: number;
  readonly source_addr: string;
  readonly dest_addr_ton: number;
  readonly dest_addr_npi: number;
  readonly destination_addr: string;
  readonly esm_class: number;
  readonly registered_delivery: number;
  readonly data_coding: number;
}

export interface BindTransmitter extends PduHeader, BindFields {
  readonly command: 'bind_transmitter';
}
export interface BindReceiver extends PduHeader, BindFields {
  readonly command: 'bind_receiver';
}
export interface BindTransceiver extends PduHeader, BindFields {
  readonly command: 'bind_transceiver';
}
export interface BindResp extends PduHeader {
  readonly command: 'bind_transmitter_resp' | 'bind_receiver_resp' | 'bind_transceiver_resp';
  /** Absent when the response carries an error status and no body. */
  readonly system_id: string;
}
export interface Outbind extends PduHeader {
  readonly command: 'outbind';
  readonly system_id: string;
  readonly password: string;
}
export interface SubmitSm extends PduHeader, ShortMessageFields {
  readonly command: 'submit_sm';
}
export interface DeliverSm extends PduHeader, ShortMessageFields {
  readonly command: 'deliver_sm';
}
export interface DataSm extends PduHeader, DataSmFields {
  readonly command: 'data_sm';
}
/** `submit_sm_resp`, `deliver_sm_resp`, `data_sm_resp`: a message id (empty when refused). */
export interface MessageIdResp extends PduHeader {
  readonly command: 'submit_sm_resp' | 'deliver_sm_resp' | 'data_sm_resp';
  readonly message_id: string;
}
export interface QuerySm extends PduHeader {
  readonly command: 'query_sm';
  readonly message_id: string;
  readonly source_addr_ton: number;
  readonly source_addr_npi: number;
  readonly source_addr: string;
}
export interface QuerySmResp extends PduHeader {
  readonly command: 'query_sm_resp';
  readonly message_id: string;
  readonly final_date: string;
  readonly message_state: number;
  readonly error_code: number;
}
export interface CancelSm extends PduHeader {
  readonly command: 'cancel_sm';
  readonly service_type: string;
  readonly message_id: string;
  readonly source_addr_ton: number;
  readonly source_addr_npi: number;
  readonly source_addr: string;
  readonly dest_addr_ton: number;
  readonly dest_addr_npi: number;
  readonly destination_addr: string;
}
/** PDUs with a header only. */
export interface EmptyPdu extends PduHeader {
  readonly command:
    | 'enquire_link'
    | 'enquire_link_resp'
    | 'unbind'
    | 'unbind_resp'
    | 'generic_nack'
    | 'cancel_sm_resp'
    | 'replace_sm_resp';
}
/**
 * Any other command (known to SMPP but rare here, e.g. `replace_sm`, `submit_multi`,
 * `alert_notification`, or unknown ids): mandatory fields by node-smpp's definitions, or the raw
 * body when the command id is unknown.
 */
export interface OtherPdu extends PduHeader {
  readonly command: 'other';
  readonly command_id: number;
  /** The command's name when SMPP defines it (`replace_sm`), else undefined. */
  readonly name?: string;
  /** Decoded mandatory fields, by SMPP name, when the command is known. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** The undecoded body (after the 16-byte header), always present on decode. */
  readonly body?: Uint8Array;
}

export type Pdu =
  | BindTransmitter
  | BindReceiver
  | BindTransceiver
  | BindResp
  | Outbind
  | SubmitSm
  | DeliverSm
  | DataSm
  | MessageIdResp
  | QuerySm
  | QuerySmResp
  | CancelSm
  | EmptyPdu
  | OtherPdu;

export type CommandName = Exclude<Pdu['command'], 'other'>;

/** Command ids (SMPP 3.4 §5.1.2.1). Responses have bit 31 set. */
export const CommandId = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
} as const;

/** The `command_id` of any PDU. */
export function commandIdOf(pdu: Pdu): number {
  return pdu.command === 'other' ? pdu.command_id : CommandId[pdu.command];
}

/** Whether a command id is a response (bit 31). */
export function isResponseId(commandId: number): boolean {
  return (commandId & 0x80000000) !== 0;
}

/** `esm_class` bits used above the PDU layer. */
export const EsmClass = {
  /** Bits 2-5 = 0001: SMSC delivery receipt. */
  deliveryReceipt: 0x04,
  /** Mask of the message-type bits 2-5. */
  messageTypeMask: 0x3c,
  /** UDH indicator: `short_message` starts with a user data header. */
  udhi: 0x40,
} as const;
