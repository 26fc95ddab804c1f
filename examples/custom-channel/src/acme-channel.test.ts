import { ErrorCode, type MessageEvent, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { startAcme, startRuntime, submits, tlvs, typesOf, ucs2 } from './acme.test-helper.js';
import type { AcmeMessage } from './acme-message.js';

const sms = (text: string): AcmeMessage => ({ to: '+4915112345678', text });
const latin1 = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('latin1');

describe('acme channel: the submit_sm on the wire', () => {
  it('binds as a transceiver, the only bind Acme allows', async () => {
    const sim = await startAcme();
    await startRuntime(sim);
    expect(sim.pdus({ command: 'bind_transceiver' })).toHaveLength(1);
    expect(sim.pdus({ command: 'bind_transmitter' })).toHaveLength(0);
    expect(sim.pdus({ command: 'bind_receiver' })).toHaveLength(0);
  });

  it('sends a GSM text with data_coding 0 to the recipient without "+", TON 1 / NPI 1, a receipt asked for', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    const handle = await tidings.send('acme', sms('Hello from Acme'));
    expect((await handle.settled).type).toBe('delivered');
    const [submit, ...more] = submits(sim);
    expect(more).toHaveLength(0);
    expect(submit?.data_coding).toBe(0);
    expect(latin1(submit?.short_message)).toBe('Hello from Acme');
    expect([submit?.destination_addr, submit?.dest_addr_ton, submit?.dest_addr_npi]).toEqual(['4915112345678', 1, 1]);
    expect(submit?.registered_delivery).toBe(1);
    expect(submit?.service_type).toBe('');
    expect(submit?.validity_period).toBe('');
    expect(submit?.tlvs ?? []).toEqual([]);
  });

  it('asks for no receipt (registered_delivery 0) when the channel option receipts is false, and ends at accepted', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim, { receipts: false });
    const end = await (await tidings.send('acme', sms('No receipt please'))).settled;
    expect(end.type).toBe('accepted');
    expect(submits(sim)[0]?.registered_delivery).toBe(0);
  });

  it.each([
    ['an alphanumeric name', 'Acme Shop', ['Acme Shop', 5, 0]],
    ['a short code', '73311', ['73311', 3, 0]],
    ['a long number, "+" dropped', '+4930123456', ['4930123456', 1, 1]],
  ])('sends %s as source_addr with its TON/NPI', async (_label, from, wire) => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('acme', { ...sms('Hi'), from })).accepted;
    const [submit] = submits(sim);
    expect([submit?.source_addr, submit?.source_addr_ton, submit?.source_addr_npi]).toEqual(wire);
  });

  it('uses the channel sender when the message has no from', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim, { sender: '12345' });
    await (await tidings.send('acme', sms('Hi'))).accepted;
    expect(submits(sim).map((s) => [s.source_addr, s.source_addr_ton])).toEqual([['12345', 3]]);
  });

  it('sends a code on the OTP route (service_type OTP), {code} filled in, or the code alone without text', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('acme', { to: '+4915112345678', code: '482913', text: 'Your Acme code: {code}' }))
      .accepted;
    await (await tidings.send('acme', { to: '+4915112345678', code: '7731' })).accepted;
    const [withText, alone] = submits(sim);
    expect(withText?.service_type).toBe('OTP');
    expect(latin1(withText?.short_message)).toBe('Your Acme code: 482913');
    expect(alone?.service_type).toBe('OTP');
    expect(latin1(alone?.short_message)).toBe('7731');
  });

  it('sends the campaign as the vendor TLV acme_campaign (0x1520, NUL-terminated) on the submit', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('acme', { ...sms('Sale!'), campaign: 'black-friday_26' })).accepted;
    const [submit] = submits(sim);
    const raw = submit?.tlvs?.find((tlv) => tlv.tag === 0x1520);
    expect(latin1(raw?.value)).toBe('black-friday_26\u0000');
    expect(tlvs.read(submit?.tlvs, 'acme_campaign')).toBe('black-friday_26');
  });

  it('sends a text outside GSM 03.38 in UCS2 (data_coding 8), never Latin-1 (data_coding 3)', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    expect((await (await tidings.send('acme', sms('Привет, Ærø!'))).settled).type).toBe('delivered');
    await (await tidings.send('acme', sms('Grüße aus Köln'))).accepted;
    const [cyrillic, german] = submits(sim);
    expect(cyrillic?.data_coding).toBe(8);
    expect(ucs2(cyrillic?.short_message)).toBe('Привет, Ærø!');
    // ü, ß and ö are in GSM 03.38: the cheaper alphabet wins.
    expect(german?.data_coding).toBe(0);
  });

  it('sends a flash SMS with message class 0: data_coding 0x10 for GSM text, 0x18 for UCS2', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('acme', { ...sms('Your table is ready'), flash: true })).accepted;
    await (await tidings.send('acme', { ...sms('Столик готов'), flash: true })).accepted;
    const [gsm, unicode] = submits(sim);
    expect(gsm?.data_coding).toBe(0x10);
    expect(latin1(gsm?.short_message)).toBe('Your table is ready');
    expect(unicode?.data_coding).toBe(0x18);
    expect(ucs2(unicode?.short_message)).toBe('Столик готов');
  });

  it('splits a long text with an 8-bit UDH (05 00 03 ref total seq, esm_class 0x40), one reference for all parts', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    const text = 'A'.repeat(153 * 2 + 10);
    const end = await (await tidings.send('acme', sms(text))).settled;
    expect(end.type).toBe('delivered');
    const parts = submits(sim);
    expect(parts).toHaveLength(3);
    const headers = parts.map((part) => [...(part.short_message.slice(0, 6) ?? [])]);
    const reference = headers[0]?.[3];
    expect(headers).toEqual([
      [0x05, 0x00, 0x03, reference, 3, 1],
      [0x05, 0x00, 0x03, reference, 3, 2],
      [0x05, 0x00, 0x03, reference, 3, 3],
    ]);
    expect(parts.every((part) => (part.esm_class & 0x40) === 0x40 && part.data_coding === 0)).toBe(true);
    expect(parts.map((part) => latin1(part.short_message.slice(6))).join('')).toBe(text);
  });

  it('sends 6 parts, and refuses a text needing 7 before anything is sent', async () => {
    const sim = await startAcme();
    const { tidings, events } = await startRuntime(sim);
    expect((await (await tidings.send('acme', sms('B'.repeat(153 * 6)))).settled).type).toBe('delivered');
    expect(submits(sim)).toHaveLength(6);
    const error = await tidings.send('acme', sms('B'.repeat(153 * 6 + 1))).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
    expect(submits(sim)).toHaveLength(6);
    expect(events.filter((event: MessageEvent) => event.type === 'queued')).toHaveLength(1);
  });

  it('sends validitySeconds as a relative validity_period, 60 s and 72 h included', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    for (const validitySeconds of [60, 600, 72 * 3600]) {
      await (await tidings.send('acme', { ...sms('Hi'), validitySeconds })).accepted;
    }
    expect(submits(sim).map((submit) => submit.validity_period)).toEqual([
      '000000000100000R',
      '000000001000000R',
      '000003000000000R',
    ]);
  });

  it.each([
    ['a recipient that is not an international number', { to: '015112345678x', text: 'Hi' }, 'to'],
    ['a recipient of 7 digits', { to: '+1234567', text: 'Hi' }, 'to'],
    ['a sender of 7 digits (neither short code nor long number)', { ...sms('Hi'), from: '1234567' }, 'from'],
    ['a sender name over 11 characters', { ...sms('Hi'), from: 'AcmeShopping' }, 'from'],
    ['a code of 3 digits', { to: '+4915112345678', code: '123' }, 'code'],
    ['a text without the code', { to: '+4915112345678', code: '1234', text: 'Your code' }, 'text'],
    ['a template only', { to: '+4915112345678', template: { id: 'welcome' } }, 'text'],
    ['a malformed campaign', { ...sms('Hi'), campaign: 'black friday' }, 'campaign'],
    ['a validity under 60 s', { ...sms('Hi'), validitySeconds: 59 }, 'validitySeconds'],
    ['a validity over 72 h', { ...sms('Hi'), validitySeconds: 72 * 3600 + 1 }, 'validitySeconds'],
  ])('refuses %s with TIDINGS_INVALID_MESSAGE before sending anything', async (_label, message, field) => {
    const sim = await startAcme();
    const { tidings, events } = await startRuntime(sim);
    const error = await tidings.send('acme', message as AcmeMessage).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
    expect((error as TidingsError).details?.field).toBe(field);
    expect(events).toEqual([]);
    expect(submits(sim)).toHaveLength(0);
  });

  it('puts the whole lifecycle on the events: queued, submitted, accepted, delivered', async () => {
    const sim = await startAcme();
    const { tidings, events } = await startRuntime(sim);
    const handle = await tidings.send('acme', sms('Hi'));
    await handle.settled;
    expect(typesOf(events, handle.id)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
  });
});
