import { Buffer } from 'node:buffer';
import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../encoding/text-codec.js';
import type { DeliverSm, MessageIdResp, Pdu } from '../pdu/pdu.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { parseReceiptText } from '../receipt/receipt-text.js';
import { boundClient, connectClient, type RawClient, startSimulator } from './raw-client.test-helper.js';

const tlvs = TlvRegistry.standard;

function receiptText(receipt: DeliverSm): string {
  return decodeText(receipt.short_message, receipt.data_coding);
}

/** Submits with a receipt requested; resolves with the response and the receipt. */
async function submitForReceipt(
  client: RawClient,
  text = 'Your code is 123456, valid 5 min',
): Promise<{ response: MessageIdResp; receipt: DeliverSm }> {
  const response = await client.submit({ registered_delivery: 1, short_message: Buffer.from(text) });
  return { response, receipt: await client.deliverSm() };
}

describe('delivery receipts', () => {
  it('sends a standard receipt after the submit_sm_resp', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const { response, receipt } = await submitForReceipt(client);
    const commands = client.received.map((pdu) => pdu.command);
    expect(commands.indexOf('submit_sm_resp')).toBeLessThan(commands.indexOf('deliver_sm'));
    expect(receipt).toMatchObject({
      esm_class: 0x04,
      data_coding: 0,
      source_addr: '15550002',
      destination_addr: '15550001',
    });
    expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(response.message_id);
    expect(tlvs.read(receipt.tlvs, 'message_state')).toBe(2);
    expect(tlvs.read(receipt.tlvs, 'network_error_code')).toBeUndefined();
    expect(parseReceiptText(receiptText(receipt))).toMatchObject({
      id: response.message_id,
      sub: '001',
      dlvrd: '001',
      stat: 'DELIVRD',
      err: '000',
      text: 'Your code is 123456,',
    });
    // The client answered: the simulator recorded its deliver_sm_resp.
    await sim.waitFor({ command: 'deliver_sm_resp' });
    expect(sim.stats.receiptsSent).toBe(1);
  });

  it('sends no receipt when registered_delivery is 0, and on failure only with 2', async () => {
    const sim = await startSimulator({
      receipts: { stat: (submit) => (submit.destination_addr === 'bad' ? 'UNDELIV' : 'DELIVRD') },
    });
    const client = await boundClient(sim);
    await client.submit({ registered_delivery: 0 });
    await client.submit({ registered_delivery: 2 });
    const failed = await client.submit({ registered_delivery: 2, destination_addr: 'bad' });
    const receipt = await client.deliverSm();
    expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(failed.message_id);
    expect(client.received.filter((pdu) => pdu.command === 'deliver_sm')).toHaveLength(1);
  });

  it('reports the stat of a function and the err, with network_error_code', async () => {
    const sim = await startSimulator({ receipts: { stat: () => 'UNDELIV', err: 11 } });
    const client = await boundClient(sim);
    const { receipt } = await submitForReceipt(client);
    expect(tlvs.read(receipt.tlvs, 'message_state')).toBe(5);
    expect([...(tlvs.read(receipt.tlvs, 'network_error_code') as Uint8Array)]).toEqual([3, 0, 11]);
    expect(parseReceiptText(receiptText(receipt))).toMatchObject({ stat: 'UNDELIV', err: '011', dlvrd: '000' });
  });

  it('early: sends the receipt before the submit_sm_resp', async () => {
    const sim = await startSimulator({ receipts: { early: true } });
    const client = await boundClient(sim);
    const { response, receipt } = await submitForReceipt(client);
    const commands = client.received.map((pdu) => pdu.command);
    expect(commands.slice(1)).toEqual(['deliver_sm', 'submit_sm_resp']);
    expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(response.message_id);
  });

  it('duplicate: sends the same receipt twice', async () => {
    const sim = await startSimulator({ receipts: { duplicate: true } });
    const client = await boundClient(sim);
    const response = await client.submit({ registered_delivery: 1 });
    const receipts = (await client.take('deliver_sm', 2)) as DeliverSm[];
    for (const receipt of receipts) expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(response.message_id);
    expect(receipts[0]?.sequence_number).not.toBe(receipts[1]?.sequence_number);
    expect(sim.stats.receiptsSent).toBe(2);
  });

  it('idFormat hex: a decimal submit id comes back in hex in the text, as is in receipted_message_id', async () => {
    const sim = await startSimulator({ receipts: { idFormat: 'hex' } });
    const client = await boundClient(sim);
    const { response, receipt } = await submitForReceipt(client);
    const hex = BigInt(response.message_id).toString(16);
    expect(response.message_id).toMatch(/^\d+$/);
    expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(response.message_id);
    expect(parseReceiptText(receiptText(receipt))?.id).toBe(hex);
  });

  it('tlvIdFormat converts receipted_message_id too, like a non-conforming SMSC', async () => {
    const sim = await startSimulator({ receipts: { idFormat: 'hex', tlvIdFormat: 'hex' } });
    const client = await boundClient(sim);
    const { response, receipt } = await submitForReceipt(client);
    expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(BigInt(response.message_id).toString(16));
  });

  it('idFormat decimal: a hex submit id comes back in decimal', async () => {
    const sim = await startSimulator({ messageIds: 'hex', receipts: { idFormat: 'decimal' } });
    const client = await boundClient(sim);
    const { response, receipt } = await submitForReceipt(client);
    const decimal = BigInt(`0x${response.message_id}`).toString(10);
    expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(response.message_id);
    expect(parseReceiptText(receiptText(receipt))?.id).toBe(decimal);
  });

  it('esmClass 0 (EngageLab) and withTlvs false (text only)', async () => {
    const sim = await startSimulator({ receipts: { esmClass: 0, withTlvs: false } });
    const client = await boundClient(sim);
    const { response, receipt } = await submitForReceipt(client);
    expect(receipt.esm_class).toBe(0);
    expect(receipt.tlvs ?? []).toEqual([]);
    expect(parseReceiptText(receiptText(receipt))?.id).toBe(response.message_id);
  });

  it('textVariant: capital Text:, seconds in dates, missing and extra fields', async () => {
    const sim = await startSimulator({
      receipts: {
        textVariant: { textLabel: 'Text', seconds: true, omit: ['sub', 'dlvrd'], extraFields: { mccmnc: '25002' } },
      },
    });
    const client = await boundClient(sim);
    const { receipt } = await submitForReceipt(client, 'hello there');
    const text = receiptText(receipt);
    expect(text).toContain(' Text:hello there');
    expect(text).not.toContain('sub:');
    expect(text).not.toContain('dlvrd:');
    expect(text).toMatch(/mccmnc:25002 Text:/);
    const fields = parseReceiptText(text);
    expect(fields?.submitDate).toMatch(/^\d{12}$/);
    expect(fields?.doneDate).toMatch(/^\d{12}$/);
    expect(fields?.extra).toMatchObject({ mccmnc: '25002' });
  });

  it('dataCoding 8: the receipt text travels in UCS2', async () => {
    const sim = await startSimulator({ receipts: { dataCoding: 8 } });
    const client = await boundClient(sim);
    const text = Buffer.from('Привет', 'utf16le').swap16();
    const response = await client.submit({ registered_delivery: 1, data_coding: 8, short_message: text });
    const receipt = await client.deliverSm();
    expect(receipt.data_coding).toBe(8);
    expect(receipt.short_message.length % 2).toBe(0);
    expect(parseReceiptText(receiptText(receipt))).toMatchObject({ id: response.message_id, text: 'Привет' });
  });

  it('the text field skips the UDH of a concatenated part', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const udh = Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01]);
    await client.submit({
      registered_delivery: 1,
      esm_class: 0x40,
      short_message: Buffer.concat([udh, Buffer.from('part one')]),
    });
    expect(parseReceiptText(receiptText(await client.deliverSm()))?.text).toBe('part one');
  });

  it('delayMs: nothing is sent before the receipt is due', async () => {
    const sim = await startSimulator({ receipts: { delayMs: 60_000 } });
    const client = await boundClient(sim);
    await client.submit({ registered_delivery: 1 });
    // An enquire_link answered after the submit shows nothing else was sent in between.
    await client.request({ command: 'enquire_link', command_status: 0, sequence_number: client.nextSequence() });
    expect(client.received.some((pdu) => pdu.command === 'deliver_sm')).toBe(false);
  });

  it('delayMs: the receipt comes once due', async () => {
    const sim = await startSimulator({ receipts: { delayMs: 20 } });
    const client = await boundClient(sim);
    const { response, receipt } = await submitForReceipt(client);
    expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(response.message_id);
  });

  it('goes to a receiver of the same account when the submit came on a transmitter', async () => {
    const sim = await startSimulator();
    const transmitter = await boundClient(sim, 'transmitter');
    const receiver = await boundClient(sim, 'receiver');
    const response = await transmitter.submit({ registered_delivery: 1 });
    const receipt = await receiver.deliverSm();
    expect(tlvs.read(receipt.tlvs, 'receipted_message_id')).toBe(response.message_id);
    expect(transmitter.received.some((pdu) => pdu.command === 'deliver_sm')).toBe(false);
  });

  it('keeps receipts until a receiver binds, and re-sends those left unanswered on a closed session', async () => {
    const sim = await startSimulator();
    const transmitter = await boundClient(sim, 'transmitter');
    const first = await transmitter.submit({ registered_delivery: 1 });
    // A receiver that never answers, then drops: its receipt must come again.
    const silent = await boundClient(sim, 'receiver', { answerDeliverSm: false });
    const unanswered = await silent.deliverSm();
    expect(tlvs.read(unanswered.tlvs, 'receipted_message_id')).toBe(first.message_id);
    const closed = new Promise((resolve) => sim.on('close', resolve));
    silent.close();
    await closed;
    const second = await transmitter.submit({ registered_delivery: 1 });
    const receiver = await boundClient(sim, 'receiver');
    const receipts = (await receiver.take('deliver_sm', 2)) as DeliverSm[];
    expect(receipts.map((receipt) => tlvs.read(receipt.tlvs, 'receipted_message_id'))).toEqual([
      first.message_id,
      second.message_id,
    ]);
  });

  it('sendReceipt sends a hand-made receipt and resolves with the answer', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const { message_id } = await client.submit();
    const answer = await sim.sendReceipt({ messageId: message_id, stat: 'EXPIRED', err: 5, options: { esmClass: 0 } });
    expect(answer).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    const receipt = await client.deliverSm();
    expect(receipt).toMatchObject({ esm_class: 0, source_addr: '15550002', destination_addr: '15550001' });
    expect(tlvs.read(receipt.tlvs, 'message_state')).toBe(3);
    expect(parseReceiptText(receiptText(receipt))).toMatchObject({ id: message_id, stat: 'EXPIRED', err: '005' });
  });

  it('sendReceipt rejects when no receiver is bound', async () => {
    const sim = await startSimulator();
    await connectClient(sim);
    await expect(sim.sendReceipt({ messageId: '1' })).rejects.toSatisfy((error: unknown) =>
      TidingsError.is(error, ErrorCode.ConnectionLost),
    );
  });

  it('emits receipt events', async () => {
    const sim = await startSimulator();
    const seen: Pdu[] = [];
    sim.on('receipt', (event) => seen.push(event.pdu));
    const client = await boundClient(sim);
    await submitForReceipt(client);
    expect(seen).toHaveLength(1);
  });
});
