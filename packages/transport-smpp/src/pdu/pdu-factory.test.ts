import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodePdu, encodePdu } from './codec.js';
import { CommandStatus } from './command-status.js';
import { CommandId, type OtherPdu, type Pdu } from './pdu.js';
import { deliverSm, genericNack, responseTo, submitSm } from './pdu-factory.js';

const message = { destination_addr: '33612345678', short_message: Buffer.from('hi') };

describe('submitSm / deliverSm', () => {
  it('fill every field the caller leaves out with 0 or an empty string', () => {
    expect(submitSm(message, 7)).toEqual({
      command: 'submit_sm',
      command_status: 0,
      sequence_number: 7,
      service_type: '',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '',
      dest_addr_ton: 0,
      dest_addr_npi: 0,
      destination_addr: '33612345678',
      esm_class: 0,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: 0,
      sm_default_msg_id: 0,
      short_message: Buffer.from('hi'),
    });
  });

  it('keep the fields and TLVs given', () => {
    const tlvs = [{ tag: 0x0427, value: Buffer.from([2]) }];
    const pdu = deliverSm({ ...message, esm_class: 4, source_addr: 'x', tlvs }, 8);
    expect(pdu).toMatchObject({ command: 'deliver_sm', esm_class: 4, source_addr: 'x', tlvs, sequence_number: 8 });
    expect(decodePdu(encodePdu(pdu))).toEqual(pdu);
  });
});

describe('responseTo', () => {
  const bind = {
    command_status: 0,
    sequence_number: 3,
    system_id: 'id',
    password: 'pw',
    system_type: '',
    interface_version: 0x34,
    addr_ton: 0,
    addr_npi: 0,
    address_range: '',
  };

  it.each<[Pdu, Partial<Pdu>]>([
    [submitSm(message, 5), { command: 'submit_sm_resp', message_id: 'm-1' }],
    [deliverSm(message, 5), { command: 'deliver_sm_resp', message_id: 'm-1' }],
    [
      { command: 'bind_transmitter', ...bind },
      { command: 'bind_transmitter_resp', system_id: 'SMSC' },
    ],
    [
      { command: 'bind_receiver', ...bind },
      { command: 'bind_receiver_resp', system_id: 'SMSC' },
    ],
    [
      { command: 'bind_transceiver', ...bind },
      { command: 'bind_transceiver_resp', system_id: 'SMSC' },
    ],
    [{ command: 'enquire_link', command_status: 0, sequence_number: 5 }, { command: 'enquire_link_resp' }],
    [{ command: 'unbind', command_status: 0, sequence_number: 5 }, { command: 'unbind_resp' }],
  ])('answers %o with the matching response and sequence_number', (request, expected) => {
    const response = responseTo(request, 0, { message_id: 'm-1', system_id: 'SMSC' });
    expect(response).toEqual({ command_status: 0, sequence_number: request.sequence_number, ...expected });
  });

  it('answers query_sm echoing the message_id unless told otherwise', () => {
    const query: Pdu = {
      command: 'query_sm',
      command_status: 0,
      sequence_number: 9,
      message_id: 'abc',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '',
    };
    expect(responseTo(query, 0, { message_state: 2, final_date: '240101000000000+' })).toEqual({
      command: 'query_sm_resp',
      command_status: 0,
      sequence_number: 9,
      message_id: 'abc',
      final_date: '240101000000000+',
      message_state: 2,
      error_code: 0,
    });
  });

  it('answers an error with the status and default fields, which encode as a bare header', () => {
    const response = responseTo(submitSm(message, 11), CommandStatus.ESME_RTHROTTLED);
    expect(response).toEqual({
      command: 'submit_sm_resp',
      command_status: CommandStatus.ESME_RTHROTTLED,
      sequence_number: 11,
      message_id: '',
    });
    expect(encodePdu(response).length).toBe(16);
  });

  it('answers an unknown command with generic_nack', () => {
    const unknown: OtherPdu = {
      command: 'other',
      command_status: 0,
      sequence_number: 4,
      command_id: 0x77,
      body: Buffer.alloc(0),
    };
    expect(responseTo(unknown, CommandStatus.ESME_RINVCMDID)).toEqual(genericNack(4));
    expect(genericNack(4)).toEqual({ command: 'generic_nack', command_status: 3, sequence_number: 4 });
  });

  it('answers replace_sm with replace_sm_resp and submit_multi with submit_multi_resp', () => {
    const replace = decodePdu(encodePdu({ command: 'other', command_status: 0, sequence_number: 6, command_id: 7 }));
    expect(responseTo(replace, 0)).toEqual({ command: 'replace_sm_resp', command_status: 0, sequence_number: 6 });
    const multi: OtherPdu = {
      command: 'other',
      command_status: 0,
      sequence_number: 6,
      command_id: CommandId.submit_multi,
    };
    const response = responseTo(multi, 0, { message_id: 'z' });
    expect(response).toEqual({
      command: 'other',
      command_status: 0,
      sequence_number: 6,
      command_id: CommandId.submit_multi_resp,
      name: 'submit_multi_resp',
      fields: { message_id: 'z' },
    });
    expect((decodePdu(encodePdu(response)) as OtherPdu).fields).toEqual({ message_id: 'z', unsuccess_sme: [] });
  });

  it('answers a response or an outbind with generic_nack carrying the status', () => {
    const resp: Pdu = { command: 'submit_sm_resp', command_status: 0, sequence_number: 2, message_id: '' };
    expect(responseTo(resp, CommandStatus.ESME_RINVCMDID)).toEqual(genericNack(2));
    const outbind: Pdu = { command: 'outbind', command_status: 0, sequence_number: 1, system_id: '', password: '' };
    expect(responseTo(outbind, CommandStatus.ESME_RSYSERR)).toEqual(genericNack(1, CommandStatus.ESME_RSYSERR));
  });
});
