import { concatenationUdh, TlvRegistry } from '@tidings/transport-smpp';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ptagTlv } from '../ptag.js';
import { latin1Bytes, rawClient, ucs2Bytes } from './raw-client.test-helper.js';
import { type TelegramSimulatorProfileOptions, telegramSimulatorProfile } from './telegram-simulator-profile.js';

const tlvs = TlvRegistry.standard.withVendor([ptagTlv]);
const ptag = (value: string) => ({ tag: 0x1411, length: value.length, value: latin1Bytes(value) });
const payload = (bytes: Uint8Array) => tlvs.encode('message_payload', bytes);
const code = { data_coding: 8, short_message: ucs2Bytes('Code 123456'), source_addr: 'TgCodes' };

async function gateway(options: TelegramSimulatorProfileOptions = {}) {
  const sim = await SmscSimulator.start({ profile: telegramSimulatorProfile(options) });
  onTestFinished(() => sim.stop());
  return { sim, client: await rawClient(sim) };
}

describe('Telegram Gateway simulator profile', () => {
  it('accepts a code with a positive integer message_id and sends its receipt, echoing ptag', async () => {
    const { sim, client } = await gateway();
    const response = await client.submit({ ...code, registered_delivery: 1, tlvs: [ptag('login-1')] });
    expect(response.command_status).toBe(0);
    expect(response.message_id).toMatch(/^[1-9][0-9]*$/);
    const [receipt] = await sim.waitFor({ command: 'deliver_sm_resp' }).then(() => client.receipts);
    expect(tlvs.read(receipt?.tlvs, 'receipted_message_id')).toBe(response.message_id);
    expect(tlvs.read(receipt?.tlvs, 'ptag')).toBe('login-1');
  });

  it('does not echo ptag when told not to, and sends receipts twice with reprocessReceipts', async () => {
    const { sim, client } = await gateway({ echoPtag: false, reprocessReceipts: true });
    await client.submit({ ...code, registered_delivery: 1, tlvs: [ptag('login-1')] });
    await sim.waitFor({ command: 'deliver_sm_resp', count: 2 });
    expect(client.receipts).toHaveLength(2);
    expect(client.receipts.every((receipt) => tlvs.read(receipt.tlvs, 'ptag') === undefined)).toBe(true);
  });

  it('0xC4 for short_message and message_payload together', async () => {
    const { client } = await gateway();
    const both = await client.submit({ ...code, tlvs: [payload(ucs2Bytes('Code 123456'))] });
    expect(both.command_status).toBe(0xc4);
    const payloadOnly = await client.submit({
      ...code,
      short_message: new Uint8Array(0),
      tlvs: [payload(ucs2Bytes('Code 123456'))],
    });
    expect(payloadOnly.command_status).toBe(0);
  });

  it('0x0A for a sender outside the agreed service names; an empty source_addr uses the default name', async () => {
    const { client } = await gateway({ serviceNames: ['TgCodes'] });
    expect((await client.submit({ ...code, source_addr: 'Other' })).command_status).toBe(0x0a);
    expect((await client.submit({ ...code, source_addr: 'TgCodes' })).command_status).toBe(0);
    expect((await client.submit({ ...code, source_addr: '' })).command_status).toBe(0);
  });

  it('0x0A for a sender name that is not ASCII of 1-20 characters, whatever the account', async () => {
    const { client } = await gateway();
    expect((await client.submit({ ...code, source_addr: 'S'.repeat(21) })).command_status).toBe(0x0a);
  });

  it('0x0B for a recipient over 25 characters, in no accepted form, or blocked', async () => {
    const { client } = await gateway({ blockedRecipients: ['79990000000'] });
    for (const to of ['8-9-0-3-6-5-5-0-5-5-0-1-23', '+7 903 655 05 50', '79990000000']) {
      expect((await client.submit({ ...code, destination_addr: to })).command_status).toBe(0x0b);
    }
    for (const to of ['79036550550', '+79036550550', '8-903-655-05-50', '89036550550']) {
      expect((await client.submit({ ...code, destination_addr: to })).command_status).toBe(0);
    }
  });

  it('0x01 for a message_payload over 2048 octets or a text over 2000 characters', async () => {
    const { client } = await gateway();
    const noShort = { ...code, short_message: new Uint8Array(0) };
    const at = (text: string, dataCoding: number) =>
      client.submit({
        ...noShort,
        data_coding: dataCoding,
        tlvs: [payload(dataCoding === 8 ? ucs2Bytes(text) : latin1Bytes(text))],
      });
    expect((await at(`1234 ${'ж'.repeat(1019)}`, 8)).command_status).toBe(0);
    expect((await at(`1234 ${'ж'.repeat(1020)}`, 8)).command_status).toBe(0x01);
    expect((await at(`1234 ${'x'.repeat(1995)}`, 0)).command_status).toBe(0);
    expect((await at(`1234 ${'x'.repeat(1996)}`, 0)).command_status).toBe(0x01);
  });

  it('0x0C for a ptag that is not 1-50 characters of 0-9 a-z A-Z - .', async () => {
    const { client } = await gateway();
    for (const value of ['a_b', 'x'.repeat(51), '']) {
      expect((await client.submit({ ...code, tlvs: [ptag(value)] })).command_status).toBe(0x0c);
    }
    expect((await client.submit({ ...code, tlvs: [ptag('x'.repeat(50))] })).command_status).toBe(0);
  });

  it('0x62 for a validity_period outside 30-3600 s or a schedule_delivery_time out of range', async () => {
    const now = Date.UTC(2026, 10, 22, 3, 0, 0);
    const { client } = await gateway({ now: () => now });
    const status = async (fields: Record<string, string>) =>
      (await client.submit({ ...code, ...fields })).command_status;
    expect(await status({ validity_period: '000000000029000R' })).toBe(0x62);
    expect(await status({ validity_period: '000000010001000R' })).toBe(0x62);
    expect(await status({ validity_period: '000000000030000R' })).toBe(0);
    expect(await status({ validity_period: '000000010000000R' })).toBe(0);
    expect(await status({ validity_period: '261122030500000+' })).toBe(0);
    expect(await status({ validity_period: '261122050000000+' })).toBe(0x62);
    expect(await status({ schedule_delivery_time: '261122020000000+' })).toBe(0x62);
    expect(await status({ schedule_delivery_time: '000002000000000R' })).toBe(0x62);
    expect(await status({ schedule_delivery_time: '000000001000000R' })).toBe(0);
    // Absolute times carry their quarter-hour offset: 06:05 at UTC+3 is 03:05 UTC, 5 minutes ahead.
    expect(await status({ schedule_delivery_time: '261122060500012+' })).toBe(0);
    expect(await status({ schedule_delivery_time: 'soon' })).toBe(0x62);
  });

  it('0x62 for a schedule_delivery_time on a date that does not exist, not rolled over to the next day', async () => {
    const now = Date.UTC(2026, 10, 30, 3, 0, 0);
    const { client } = await gateway({ now: () => now });
    const status = async (fields: Record<string, string>) =>
      (await client.submit({ ...code, ...fields })).command_status;
    // 1 December 02:30 is within the day ahead; "31 November 02:30" is no date at all.
    expect(await status({ schedule_delivery_time: '261201023000000+' })).toBe(0);
    expect(await status({ schedule_delivery_time: '261131023000000+' })).toBe(0x62);
  });

  it('0x500 for a concatenation method the account is not set to', async () => {
    const udhPart = (text: string) => {
      const header = concatenationUdh(7, 2, 1, 8);
      return Uint8Array.from([...header, ...ucs2Bytes(text)]);
    };
    const tlvOnly = await gateway({ concatenation: 'tlv' });
    expect(
      (await tlvOnly.client.submit({ ...code, esm_class: 0x40, short_message: udhPart('Code 1234') })).command_status,
    ).toBe(0x500);
    const udhOnly = await gateway({ concatenation: 'udh' });
    const inPayload = { ...code, short_message: new Uint8Array(0), tlvs: [payload(ucs2Bytes('Code 123456'))] };
    expect((await udhOnly.client.submit(inPayload)).command_status).toBe(0x500);
    expect(
      (await udhOnly.client.submit({ ...code, esm_class: 0x40, short_message: udhPart('Code 1234') })).command_status,
    ).toBe(0);
    const auto = await gateway();
    expect((await auto.client.submit(inPayload)).command_status).toBe(0);
    expect(
      (await auto.client.submit({ ...code, esm_class: 0x40, short_message: udhPart('Code 1234') })).command_status,
    ).toBe(0);
  });

  it('a text without a 4-8 digit code is accepted and rejected in its receipt, or refused with missingCodeStatus', async () => {
    const { sim, client } = await gateway();
    for (const text of ['No code here', 'Code 123', 'Code 123456789']) {
      expect(
        (await client.submit({ ...code, short_message: ucs2Bytes(text), registered_delivery: 1 })).command_status,
      ).toBe(0);
    }
    // data_coding 4 is binary at this provider: no text, so no code.
    await client.submit({ ...code, data_coding: 4, short_message: latin1Bytes('Code 1234'), registered_delivery: 1 });
    await sim.waitFor({ command: 'deliver_sm_resp', count: 4 });
    expect(client.receipts.map((receipt) => tlvs.read(receipt.tlvs, 'message_state'))).toEqual([8, 8, 8, 8]);
    const strict = await gateway({ missingCodeStatus: 0x45 });
    expect((await strict.client.submit({ ...code, short_message: ucs2Bytes('No code') })).command_status).toBe(0x45);
  });

  it('reads data_coding 0 in the account default alphabet', async () => {
    const { sim, client } = await gateway({ defaultAlphabet: 'ascii' });
    await client.submit({ ...code, data_coding: 0, short_message: latin1Bytes('Code 4821'), registered_delivery: 1 });
    await sim.waitFor({ command: 'deliver_sm_resp' });
    expect(tlvs.read(client.receipts[0]?.tlvs, 'message_state')).toBe(2);
  });

  it('0x45 once the trial quota is used', async () => {
    const { client } = await gateway({ trialMessages: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await client.submit(code)).command_status);
    expect(statuses).toEqual([0, 0, 0x45]);
  });

  it('0xAB for the same text to the same number within 24 h, with duplicate blocking on', async () => {
    let now = 0;
    const { client } = await gateway({ duplicateBlocking: true, now: () => now });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await client.submit(code)).command_status);
    expect(statuses).toEqual([0, 0xab, 0xab]);
    expect((await client.submit({ ...code, destination_addr: '79036550551' })).command_status).toBe(0);
    now = 24 * 60 * 60 * 1000;
    expect((await client.submit(code)).command_status).toBe(0);
  });

  it('0xAB counts accepted submits only: one refused with 0x14 is accepted once the queue shrinks', async () => {
    let now = 0;
    const { client } = await gateway({ duplicateBlocking: true, queue: { max: 1, drainMs: 500 }, now: () => now });
    const other = { ...code, destination_addr: '79036550551' };
    expect((await client.submit(code)).command_status).toBe(0);
    expect((await client.submit(other)).command_status).toBe(0x14);
    now = 500;
    expect((await client.submit(other)).command_status).toBe(0);
    expect((await client.submit(other)).command_status).toBe(0xab);
  });

  it('reads 79036550550, +79036550550, 8-903-655-05-50 and 89036550550 as one number (0xAB and blocked numbers)', async () => {
    const { client } = await gateway({ duplicateBlocking: true, blockedRecipients: ['+79990000000'] });
    const forms = ['79036550550', '+79036550550', '8-903-655-05-50', '89036550550'];
    const statuses = [];
    for (const to of forms) statuses.push((await client.submit({ ...code, destination_addr: to })).command_status);
    expect(statuses).toEqual([0, 0xab, 0xab, 0xab]);
    for (const to of ['79990000000', '8-999-000-00-00', '89990000000']) {
      expect((await client.submit({ ...code, destination_addr: to })).command_status).toBe(0x0b);
    }
  });

  it('0x58 beyond the rate limit: 12 sent at 10/s, the last 2 refused', async () => {
    let now = 0;
    const { client } = await gateway({ maxPerSecond: 10, now: () => now });
    const statuses = [];
    for (let i = 0; i < 12; i++) statuses.push((await client.submit(code)).command_status);
    expect(statuses).toEqual([...Array(10).fill(0), 0x58, 0x58]);
    now = 1_000;
    expect((await client.submit(code)).command_status).toBe(0);
  });

  it("0x14 while the partner's queue is full, until it shrinks", async () => {
    let now = 0;
    const { client } = await gateway({ queue: { max: 100, drainMs: 500 }, now: () => now });
    const statuses = [];
    for (let i = 0; i < 101; i++) statuses.push((await client.submit(code)).command_status);
    expect(statuses.filter((status) => status === 0)).toHaveLength(100);
    expect(statuses.at(-1)).toBe(0x14);
    now = 500;
    expect((await client.submit(code)).command_status).toBe(0);
  });

  it('answers requests it does not take (query_sm here) with generic_nack 0x03', async () => {
    const { client } = await gateway();
    const query = await client.request({
      command: 'query_sm',
      message_id: '1',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '',
    });
    expect([query.command, query.command_status]).toEqual(['generic_nack', 0x03]);
  });
});
