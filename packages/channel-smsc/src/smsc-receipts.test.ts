import { Buffer } from 'node:buffer';
import type { DeliveryReport, InboundMessage } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { type DeliverSm, TlvRegistry } from '@tidings/transport-smpp';
import type { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { smscMessage } from './message-helpers.js';
import type { SmscOptions } from './options.js';
import { smscReceipt } from './receipt-details.js';
import { onCleanup, optionsFor, runCleanups, runtime, startSmsc, submits } from './smsc.test-helper.js';
import type { SmscChannel } from './smsc-channel.js';
import { smscChannel } from './smsc-channel-plugin.js';
import { encodeSmscFlags, smscVendorTlvs } from './vendor-tlvs.js';

afterEach(runCleanups);

const to = '+77011234567';
const tlvs = TlvRegistry.standard.withVendor(smscVendorTlvs);

function receiptsOnWire(sim: SmscSimulator): DeliverSm[] {
  const seen: DeliverSm[] = [];
  sim.on('receipt', (event) => seen.push(event.pdu as DeliverSm));
  return seen;
}

async function startedChannel(sim: SmscSimulator, overrides: Partial<SmscOptions> = {}): Promise<SmscChannel> {
  const channel = resolveChannel(smscChannel(optionsFor(sim, overrides))) as unknown as SmscChannel;
  await channel.start();
  onCleanup(() => channel.stop());
  return channel;
}

const context = (messageId: string) => ({ messageId, attempt: 1, signal: new AbortController().signal });

describe('SMSC receipts', () => {
  it('decodes the standard TLVs, the vendor TLVs 0x2000-0x2003 and the err reason onto the delivered event', async () => {
    const sim = await startSmsc();
    const onWire = receiptsOnWire(sim);
    const { tidings } = await runtime(sim);
    const handle = await tidings.send('smsc', { to, text: 'Your code is 1234' });
    const settled = await handle.settled;
    expect(settled.type).toBe('delivered');
    const report = settled.type === 'delivered' ? settled.report : undefined;
    expect(report).toMatchObject({ providerMessageId: '854019', state: 'delivered', errorCode: '000' });
    expect(smscReceipt(report as DeliveryReport)).toEqual({
      cost: 2.5,
      messageType: 'sms',
      secondBalance: false,
      template: false,
      parts: 1,
      mccmnc: '25002',
      error: { code: 0, reason: 'ok', description: 'no error: the subscriber exists and is available' },
    });
    // On the wire: SMSC's status text and its TLVs.
    const [pdu] = onWire;
    expect(Buffer.from(pdu?.short_message ?? []).toString('latin1')).toMatch(
      /^id:854019 sub:001 dlvrd:001 submit date:\d{10} done date:\d{10} stat:DELIVRD err:000$/,
    );
    expect(tlvs.toRecord(pdu?.tlvs)).toMatchObject({
      receipted_message_id: '854019',
      message_state: 2,
      smsc_cost: ' 2.5000',
      smsc_flags: 0,
      smsc_parts: 1,
      smsc_mccmnc: '25002',
    });
  });

  it('maps err through the SMS table, and through the e-mail table for e-mail (flags type 8)', async () => {
    const sim = await startSmsc({}, { receipts: { stat: 'UNDELIV', err: 1 } });
    const { tidings } = await runtime(sim);
    const sms = await (await tidings.send('smsc', { to, text: 'hi' })).settled;
    const mail = await (
      await tidings.send('smsc', smscMessage.mail({ to: 'nobody@example.com', text: 'hi', subject: 'Hi' }))
    ).settled;
    expect(sms.type).toBe('undelivered');
    expect(mail.type).toBe('undelivered');
    if (sms.type !== 'undelivered' || mail.type !== 'undelivered') return;
    expect(sms.error).toMatchObject({ code: 'TIDINGS_UNDELIVERED', providerStatus: '001' });
    expect(smscReceipt(sms.report)?.error).toMatchObject({ code: 1, reason: 'subscriber-not-found' });
    expect(smscReceipt(mail.report)).toMatchObject({
      messageType: 'email',
      error: { code: 1, reason: 'recipient-not-found' },
    });
  });

  it('default mode: one id for all parts of a long message and one receipt with parts = 3, cost of 3 parts', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    const handle = await tidings.send('smsc', { to, text: 'y'.repeat(400) });
    const settled = await handle.settled;
    expect(submits(sim)).toHaveLength(3);
    expect(sim.stats.receiptsSent).toBe(1);
    expect(settled.type === 'delivered' && smscReceipt(settled.report)).toMatchObject({ parts: 3, cost: 7.5 });
  });

  it('SINGLE: a distinct id and a receipt per part; the message is delivered once every part is', async () => {
    const sim = await startSmsc({}, { receipts: { delayMs: 5 } });
    const { tidings, events } = await runtime(sim, { single: true });
    const handle = await tidings.send('smsc', { to, text: 'z'.repeat(400) });
    const settled = await handle.settled;
    expect(settled.type).toBe('delivered');
    expect(sim.sessions[0]?.systemType).toBe('SINGLE');
    expect(sim.stats.receiptsSent).toBe(3);
    expect(events.find((event) => event.type === 'accepted')).toMatchObject({ providerMessageId: '854019', parts: 3 });
    expect(settled.type === 'delivered' && smscReceipt(settled.report)?.parts).toBe(1);
  });

  it('correlates by one id by default and by every part id with SINGLE', async () => {
    const sim = await startSmsc();
    const glued = await (await startedChannel(sim)).send({ to, text: 'w'.repeat(400) }, context('g'));
    expect(glued).toEqual({ providerMessageId: '854019', parts: 3, receiptExpected: true });
    const single = await (await startedChannel(sim, { single: true })).send(
      { to, text: 'v'.repeat(400) },
      context('s'),
    );
    expect(single).toMatchObject({ parts: 3, partIds: ['854020', '854021', '854022'] });
  });

  it('SINGLE: one undelivered part makes the message undelivered', async () => {
    let part = 0;
    const sim = await startSmsc({}, { receipts: { stat: () => (++part === 2 ? 'UNDELIV' : 'DELIVRD'), err: 0 } });
    const { tidings } = await runtime(sim, { single: true });
    const settled = await (await tidings.send('smsc', { to, text: 'z'.repeat(400) })).settled;
    expect(settled.type).toBe('undelivered');
  });

  it('parses an HLR result into a typed object with url-decoded names', async () => {
    const sim = await startSmsc();
    const onWire = receiptsOnWire(sim);
    const { tidings } = await runtime(sim);
    const settled = await (await tidings.send('smsc', smscMessage.hlr({ to }))).settled;
    expect(Buffer.from(onWire[0]?.short_message ?? []).toString('latin1')).toBe(
      'id:854019 stat:DELIVRD err:000 imsi:250023012345678 msc:79232510066 mcc:250 mnc:02 cn:Russian+Federation net:MegaFON+open+Joint+Stock+Company rcn: rnet:',
    );
    expect(settled.type).toBe('delivered');
    expect(settled.type === 'delivered' && smscReceipt(settled.report)).toMatchObject({
      messageType: 'hlr',
      hlr: {
        imsi: '250023012345678',
        msc: '79232510066',
        mcc: '250',
        mnc: '02',
        country: 'Russian Federation',
        operator: 'MegaFON open Joint Stock Company',
        roamingCountry: '',
        roamingOperator: '',
      },
    });
  });

  it('decodes 0x2001 template flags and second balance, and 0x2004 read / link clicked', async () => {
    const sim = await startSmsc();
    const channel = await startedChannel(sim);
    const reports: DeliveryReport[] = [];
    channel.reports$.subscribe((report) => reports.push(report));
    const flags = encodeSmscFlags({
      messageType: 'viber',
      secondBalance: true,
      template: true,
      templateType: 'authorization',
    });
    await sim.sendReceipt({
      messageId: '900001',
      options: { tlvs: [tlvs.encode('smsc_flags', flags), tlvs.encode('smsc_status', 2)] },
    });
    await sim.sendReceipt({ messageId: '900002', options: { tlvs: [tlvs.encode('smsc_status', 4)] } });
    expect(reports.map((report) => smscReceipt(report))).toMatchObject([
      {
        messageType: 'viber',
        secondBalance: true,
        template: true,
        templateType: 'authorization',
        additionalStatus: 'read',
      },
      { additionalStatus: 'link-clicked' },
    ]);
  });
});

describe('SMSC query_sm and inbound messages', () => {
  it('asks for a status with query_sm on demand, through the runtime', async () => {
    const sim = await startSmsc({}, { receipts: { stat: 'UNDELIV', err: 249 } });
    const { tidings } = await runtime(sim);
    const accepted = await (await tidings.send('smsc', { to, text: 'hi' })).accepted;
    const id = accepted.type === 'accepted' ? accepted.providerMessageId : '';
    const report = await tidings.query('smsc', id);
    expect(sim.pdus({ command: 'query_sm' })[0]?.message_id).toBe(id);
    expect(report).toMatchObject({
      providerMessageId: id,
      state: 'undelivered',
      errorCode: 249,
      extras: { messageState: 5 },
    });
    expect(smscReceipt(report)?.error).toMatchObject({ code: 249, reason: 'invalid-number' });
  });

  it('reads the err of an e-mail through the e-mail table, as its receipt does (err 2: inbox full)', async () => {
    const sim = await startSmsc({}, { receipts: { stat: 'UNDELIV', err: 2 } });
    const { tidings } = await runtime(sim);
    const mail = smscMessage.mail({ to: 'ann@example.com', text: 'Welcome', subject: 'Hi' });
    const end = await (await tidings.send('smsc', mail)).settled;
    if (end.type !== 'undelivered') throw new Error(`expected undelivered, got ${end.type}`);
    expect(smscReceipt(end.report)?.error?.reason).toBe('inbox-full');
    const queried = await tidings.query('smsc', end.report.providerMessageId);
    expect(queried.errorCode).toBe(2);
    expect(smscReceipt(queried)?.error).toMatchObject({ code: 2, reason: 'inbox-full' });
    // The same err of an SMS is not in the SMS table.
    const sms = await (await tidings.send('smsc', { to, text: 'hi' })).accepted;
    const smsReport = await tidings.query('smsc', sms.type === 'accepted' ? sms.providerMessageId : '');
    expect(smscReceipt(smsReport)?.error).toMatchObject({ code: 2, reason: 'unknown' });
  });

  it('refuses a query for an id SMSC does not know (ESME_RQUERYFAIL)', async () => {
    const sim = await startSmsc();
    const channel = await startedChannel(sim);
    await channel.send({ to, text: 'hi' }, context('m1'));
    await expect(channel.query('1')).rejects.toMatchObject({ code: 'TIDINGS_REJECTED', providerStatus: 0x67 });
  });

  it('delivers mobile-originated messages (deliver_sm) on the inbound stream', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    const inbound = firstValueFrom(tidings.inbound$);
    await sim.sendMo({ from: '77011234567', to: 'Acme', text: 'STOP Привет' });
    expect(await inbound).toMatchObject<Partial<InboundMessage>>({
      channel: 'smsc',
      from: '77011234567',
      to: 'Acme',
      text: 'STOP Привет',
    });
  });
});
