import { CommandStatus } from './command-status.js';
import type {
  BindReceiver,
  BindResp,
  BindTransceiver,
  BindTransmitter,
  DataSm,
  DeliverSm,
  MessageIdResp,
  OtherPdu,
  Pdu,
  QuerySm,
  QuerySmResp,
  ShortMessageFields,
  SubmitSm,
  Tlv,
} from './pdu.js';

/** The fields a message needs; every other field defaults to 0 / ''. */
export type ShortMessageInput = Partial<ShortMessageFields> &
  Pick<ShortMessageFields, 'destination_addr' | 'short_message'> & { readonly tlvs?: readonly Tlv[] };

export function submitSm(fields: ShortMessageInput, sequence_number: number): SubmitSm {
  return shortMessage('submit_sm', fields, sequence_number) as SubmitSm;
}

export function deliverSm(fields: ShortMessageInput, sequence_number: number): DeliverSm {
  return shortMessage('deliver_sm', fields, sequence_number) as DeliverSm;
}

// Written out field by field: spreading defaults and fields costs more than the encoding itself.
function shortMessage(
  command: 'submit_sm' | 'deliver_sm',
  fields: ShortMessageInput,
  sequence_number: number,
): SubmitSm | DeliverSm {
  const pdu: SubmitSm | DeliverSm = {
    command,
    command_status: 0,
    sequence_number,
    service_type: fields.service_type ?? '',
    source_addr_ton: fields.source_addr_ton ?? 0,
    source_addr_npi: fields.source_addr_npi ?? 0,
    source_addr: fields.source_addr ?? '',
    dest_addr_ton: fields.dest_addr_ton ?? 0,
    dest_addr_npi: fields.dest_addr_npi ?? 0,
    destination_addr: fields.destination_addr,
    esm_class: fields.esm_class ?? 0,
    protocol_id: fields.protocol_id ?? 0,
    priority_flag: fields.priority_flag ?? 0,
    schedule_delivery_time: fields.schedule_delivery_time ?? '',
    validity_period: fields.validity_period ?? '',
    registered_delivery: fields.registered_delivery ?? 0,
    replace_if_present_flag: fields.replace_if_present_flag ?? 0,
    data_coding: fields.data_coding ?? 0,
    sm_default_msg_id: fields.sm_default_msg_id ?? 0,
    short_message: fields.short_message,
  };
  if (fields.tlvs !== undefined) (pdu as { tlvs?: readonly Tlv[] }).tlvs = fields.tlvs;
  return pdu;
}

/** Optional content of a response; what does not apply to the response's command is ignored. */
export interface ResponseFields {
  readonly message_id?: string;
  readonly system_id?: string;
  readonly final_date?: string;
  readonly message_state?: number;
  readonly error_code?: number;
  /** Mandatory fields of a rare command's response (`submit_multi_resp`), by node-smpp name. */
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly tlvs?: readonly Tlv[];
}

/** node-smpp command ids of rare requests whose responses this package models as `OtherPdu`. */
const OTHER_RESPONSES: ReadonlyMap<number, string> = new Map([
  [0x00000021, 'submit_multi_resp'],
  [0x00000111, 'broadcast_sm_resp'],
  [0x00000112, 'query_broadcast_sm_resp'],
  [0x00000113, 'cancel_broadcast_sm_resp'],
]);

/**
 * The response matching `request` (same sequence_number): `submit_sm` → `submit_sm_resp`, and so
 * on. Requests that have no response (`outbind`, `alert_notification`), responses, and unknown
 * commands get a `generic_nack` carrying `command_status`.
 */
export function responseTo(
  request: SubmitSm | DeliverSm | DataSm,
  command_status: number,
  fields?: ResponseFields,
): MessageIdResp;
export function responseTo(
  request: BindTransmitter | BindReceiver | BindTransceiver,
  command_status: number,
  fields?: ResponseFields,
): BindResp;
export function responseTo(request: QuerySm, command_status: number, fields?: ResponseFields): QuerySmResp;
export function responseTo(request: Pdu, command_status: number, fields?: ResponseFields): Pdu;
export function responseTo(request: Pdu, command_status: number, fields: ResponseFields = {}): Pdu {
  const sequence_number = request.sequence_number;
  const tlvs = fields.tlvs === undefined ? {} : { tlvs: fields.tlvs };
  switch (request.command) {
    case 'submit_sm':
    case 'deliver_sm':
    case 'data_sm':
      return {
        command: `${request.command}_resp`,
        command_status,
        sequence_number,
        message_id: fields.message_id ?? '',
        ...tlvs,
      };
    case 'bind_transmitter':
    case 'bind_receiver':
    case 'bind_transceiver':
      return {
        command: `${request.command}_resp`,
        command_status,
        sequence_number,
        system_id: fields.system_id ?? '',
        ...tlvs,
      };
    case 'query_sm':
      return {
        command: 'query_sm_resp',
        command_status,
        sequence_number,
        message_id: fields.message_id ?? request.message_id,
        final_date: fields.final_date ?? '',
        message_state: fields.message_state ?? 0,
        error_code: fields.error_code ?? 0,
        ...tlvs,
      };
    case 'cancel_sm':
      return { command: 'cancel_sm_resp', command_status, sequence_number, ...tlvs };
    case 'enquire_link':
      return { command: 'enquire_link_resp', command_status, sequence_number, ...tlvs };
    case 'unbind':
      return { command: 'unbind_resp', command_status, sequence_number, ...tlvs };
    case 'other':
      return otherResponse(request, command_status, fields);
    default:
      return genericNack(sequence_number, command_status);
  }
}

/** A `generic_nack`, by default ESME_RINVCMDID (the answer to an unknown command). */
export function genericNack(sequence_number: number, command_status: number = CommandStatus.ESME_RINVCMDID): Pdu {
  return { command: 'generic_nack', command_status, sequence_number };
}

function otherResponse(request: OtherPdu, command_status: number, fields: ResponseFields): Pdu {
  const { sequence_number } = request;
  if (request.command_id === 0x00000007) {
    return { command: 'replace_sm_resp', command_status, sequence_number };
  }
  const name = OTHER_RESPONSES.get(request.command_id);
  if (name === undefined) return genericNack(sequence_number, command_status);
  const response: OtherPdu = {
    command: 'other',
    command_id: (request.command_id | 0x80000000) >>> 0,
    command_status,
    sequence_number,
    name,
    fields: fields.fields ?? (fields.message_id === undefined ? {} : { message_id: fields.message_id }),
  };
  return fields.tlvs === undefined ? response : { ...response, tlvs: fields.tlvs };
}
