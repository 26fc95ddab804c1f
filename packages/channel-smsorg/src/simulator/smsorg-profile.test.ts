import { Buffer } from 'node:buffer';
import { CommandStatus, type Pdu, type ShortMessageFields, submitSm } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { RawClient, startSmsorg } from '../smsorg.test-helper.js';

type Fields = Partial<ShortMessageFields>;

/** A submit_sm as smsorg wants it; `fields` break one rule at a time. */
function submit(fields: Fields = {}): Pdu {
  const { sequence_number: _, ...pdu } = submitSm(
    {
      source_addr_ton: 0x05,
      source_addr_npi: 0x00,
      source_addr: 'MyShop',
      dest_addr_ton: 0x01,
      dest_addr_npi: 0x01,
      destination_addr: '79123456789',
      registered_delivery: 0x01,
      data_coding: 0x01,
      short_message: Buffer.from('hi', 'latin1'),
      ...fields,
    },
    0,
  );
  return pdu as Pdu;
}

async function bound(sim: Awaited<ReturnType<typeof startSmsorg>>): Promise<RawClient> {
  const client = await RawClient.connect(sim);
  expect((await client.bind('bind_transceiver')).command_status).toBe(0);
  return client;
}

describe('smsorg simulator profile: connection rules', () => {
  it('closes a connection that sends no bind within the bind deadline, without a word', async () => {
    const sim = await startSmsorg({ bindDeadlineMs: 50 });
    const client = await RawClient.connect(sim);
    await client.closed;
    expect(client.received).toEqual([]);
  });

  it('closes, without unbind, a session that leaves a server PDU unanswered past the response deadline', async () => {
    const sim = await startSmsorg({ responseDeadlineMs: 50 });
    const client = await bound(sim);
    // The raw client never answers the server's enquire_link.
    void sim.sendEnquireLink(undefined, 5_000);
    await client.closed;
    expect(client.received.map((pdu) => pdu.command)).toEqual(['bind_transceiver_resp', 'enquire_link']);
  });

  it('takes bind_transmitter and bind_transceiver; bind_receiver gets generic_nack ESME_RINVCMDID', async () => {
    const sim = await startSmsorg();
    const transmitter = await RawClient.connect(sim);
    expect(await transmitter.bind('bind_transmitter')).toMatchObject({
      command: 'bind_transmitter_resp',
      command_status: 0,
    });
    const receiver = await RawClient.connect(sim);
    expect(await receiver.bind('bind_receiver')).toMatchObject({
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
    });
  });

  it('answers unsupported commands (data_sm, cancel_sm) with generic_nack ESME_RINVCMDID', async () => {
    const sim = await startSmsorg();
    const client = await bound(sim);
    const dataSm = await client.request({
      command: 'data_sm',
      service_type: '',
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'MyShop',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '79123456789',
      esm_class: 0,
      registered_delivery: 0,
      data_coding: 1,
    } as Pdu);
    expect(dataSm).toMatchObject({ command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDID });
    const cancel = await client.request({
      command: 'cancel_sm',
      service_type: '',
      message_id: '100000001',
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'MyShop',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '79123456789',
    } as Pdu);
    expect(cancel).toMatchObject({ command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDID });
  });
});

describe('smsorg simulator profile: submit_sm parameters', () => {
  const refusals: Array<[string, Fields, number]> = [
    ['data_coding other than 0x01 / 0x08', { data_coding: 0x00 }, CommandStatus.ESME_RINVDCS],
    ['esm_class other than 0x00 / 0x40', { esm_class: 0x03 }, CommandStatus.ESME_RINVESMCLASS],
    ['registered_delivery other than 0x00 / 0x01', { registered_delivery: 0x02 }, CommandStatus.ESME_RINVREGDLVFLG],
    ['dest_addr_ton other than 0x01', { dest_addr_ton: 0x00 }, CommandStatus.ESME_RINVDSTTON],
    ['dest_addr_npi other than 0x01', { dest_addr_npi: 0x00 }, CommandStatus.ESME_RINVDSTNPI],
    [
      'an alphanumeric sender with TON 0x01',
      { source_addr_ton: 0x01, source_addr_npi: 0x01 },
      CommandStatus.ESME_RINVSRCTON,
    ],
    [
      'a numeric sender with TON/NPI 0x05/0x00',
      { source_addr: '79001112233', source_addr_ton: 0x05, source_addr_npi: 0x00 },
      CommandStatus.ESME_RINVSRCTON,
    ],
    [
      'a numeric sender with NPI 0x00',
      { source_addr: '79001112233', source_addr_ton: 0x01, source_addr_npi: 0x00 },
      CommandStatus.ESME_RINVSRCNPI,
    ],
  ];
  for (const [label, fields, status] of refusals) {
    it(`refuses ${label}`, async () => {
      const sim = await startSmsorg();
      const client = await bound(sim);
      expect((await client.request(submit(fields))).command_status).toBe(status);
    });
  }

  it("accepts the page's values, answering with a nine-digit id (id:IIIIIIIII)", async () => {
    const sim = await startSmsorg();
    const client = await bound(sim);
    const accepted = [
      await client.request(submit()),
      await client.request(submit({ data_coding: 0x08, short_message: Buffer.from([0x04, 0x16]) })),
      await client.request(
        submit({ esm_class: 0x40, short_message: Buffer.from([0x05, 0x00, 0x03, 0x01, 0x02, 0x01, 0x68]) }),
      ),
      await client.request(
        submit({ source_addr: '79001112233', source_addr_ton: 0x01, source_addr_npi: 0x01, registered_delivery: 0 }),
      ),
    ];
    expect(accepted.map((pdu) => pdu.command_status)).toEqual([0, 0, 0, 0]);
    for (const pdu of accepted) expect(pdu.command === 'submit_sm_resp' && pdu.message_id).toMatch(/^\d{9}$/);
  });
});

describe('smsorg simulator profile: the agreed speed (maxPerSecond)', () => {
  it('refuses valid submits beyond maxPerSecond in one second with ESME_RTHROTTLED, then takes them again', async () => {
    let now = 0;
    const sim = await startSmsorg({ maxPerSecond: 2, now: () => now });
    const client = await bound(sim);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await client.request(submit())).command_status);
    expect(statuses).toEqual([0, 0, CommandStatus.ESME_RTHROTTLED]);
    now = 1_000;
    expect((await client.request(submit())).command_status).toBe(0);
  });

  it('has no cap by default', async () => {
    const sim = await startSmsorg({ now: () => 0 });
    const client = await bound(sim);
    for (let i = 0; i < 5; i += 1) expect((await client.request(submit())).command_status).toBe(0);
  });
});

describe('smsorg simulator profile: delivery status', () => {
  it('sends the receipt as the page writes it: text only, `err:E`, `Text:` with a capital T', async () => {
    const sim = await startSmsorg({ deliveryDelayMs: 0 });
    const client = await bound(sim);
    const response = await client.request(submit({ short_message: Buffer.from('Your code: 4829', 'latin1') }));
    const id = response.command === 'submit_sm_resp' ? response.message_id : '';
    const receipt = await client.next('deliver_sm');
    expect(receipt).toMatchObject({ esm_class: 0x04, source_addr: '79123456789', destination_addr: 'MyShop' });
    expect(Buffer.from(receipt.short_message).toString('latin1')).toMatch(
      new RegExp(
        `^id:${id} sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:0 Text:Your code: 4829$`,
      ),
    );
    expect(receipt.tlvs ?? []).toEqual([]);
  });

  it('query_sm answers ENROUTE while the delivery delay runs, for the original sender only', async () => {
    const sim = await startSmsorg({ deliveryDelayMs: 3_600_000 });
    const client = await bound(sim);
    const response = await client.request(submit({ registered_delivery: 0 }));
    const id = response.command === 'submit_sm_resp' ? response.message_id : '';
    const query = (source_addr: string) =>
      client.request({
        command: 'query_sm',
        message_id: id,
        source_addr_ton: 5,
        source_addr_npi: 0,
        source_addr,
      } as Pdu);
    expect(await query('MyShop')).toMatchObject({
      command: 'query_sm_resp',
      command_status: 0,
      message_state: 1,
      final_date: '',
    });
    expect((await query('Other')).command_status).toBe(CommandStatus.ESME_RQUERYFAIL);
  });

  it('query_sm answers the final state once the delivery delay has passed', async () => {
    const sim = await startSmsorg({ deliveryDelayMs: 0 }, { receipts: { stat: 'UNDELIV', err: '7' } });
    const client = await bound(sim);
    const response = await client.request(submit({ registered_delivery: 0 }));
    const id = response.command === 'submit_sm_resp' ? response.message_id : '';
    const answer = await client.request({
      command: 'query_sm',
      message_id: id,
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'MyShop',
    } as Pdu);
    expect(answer).toMatchObject({ command: 'query_sm_resp', command_status: 0, message_state: 5, error_code: 7 });
    expect(answer.command === 'query_sm_resp' && answer.final_date).toMatch(/^\d{12}\d00\+$/);
  });
});
