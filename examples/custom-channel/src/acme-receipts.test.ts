import { ErrorCode, type InboundMessage } from '@tidings/core';
import type { DeliverSm } from '@tidings/transport-smpp';
import type { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it } from 'vitest';
import { startAcme, startRuntime, tlvs } from './acme.test-helper.js';
import type { AcmeMessage } from './acme-message.js';

const sms = (text: string, to = '+4915112345678'): AcmeMessage => ({ to, text });
const latin1 = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('latin1');

/** Every receipt the simulator sends, as it went on the wire. */
function receiptsSent(sim: SmscSimulator): DeliverSm[] {
  const sent: DeliverSm[] = [];
  sim.on('receipt', (event) => sent.push(event.pdu));
  return sent;
}

describe('acme receipts', () => {
  it('are written as the page says: the id in hex in the text, no receipted_message_id, dates in UTC+1, acme_price', async () => {
    const sim = await startAcme({ pricePerPart: 4500 });
    const sent = receiptsSent(sim);
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('acme', sms('Hi'))).settled;
    expect(end.type).toBe('delivered');
    const id = end.type === 'delivered' ? end.providerMessageId : '';
    expect(id).toMatch(/^[0-9]+$/);
    const [receipt] = sent;
    const text = latin1(receipt?.short_message);
    expect(text).toContain(`id:${BigInt(id).toString(16)} `);
    expect(text).not.toContain(`id:${id} `);
    expect(tlvs.read(receipt?.tlvs, 'receipted_message_id')).toBeUndefined();
    expect(tlvs.read(receipt?.tlvs, 'acme_price')).toBe(4500);
    const done = new Date((sim.message(id)?.doneAt ?? 0) + 60 * 60_000);
    const two = (n: number): string => String(n).padStart(2, '0');
    const cet = [done.getUTCFullYear() % 100, done.getUTCMonth() + 1, done.getUTCDate(), done.getUTCHours()]
      .map(two)
      .join('');
    expect(text).toContain(`done date:${cet}${two(done.getUTCMinutes())}`);
  });

  it('are matched by their hex id, and report the done date read as UTC+1', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    const handle = await tidings.send('acme', sms('Hi'));
    const end = await handle.settled;
    expect(end.type).toBe('delivered');
    if (end.type !== 'delivered') return;
    expect(end.providerMessageId).toBe((await handle.accepted).providerMessageId);
    const doneAt = sim.message(end.providerMessageId)?.doneAt ?? 0;
    // The text has minutes only: the SMSC's time, floored to the minute, back in UTC.
    expect(end.report.doneAt).toBe(Math.floor(doneAt / 60_000) * 60_000);
  });

  it('report the price (acme_price) and the campaign (acme_campaign) from the receipt TLVs', async () => {
    const sim = await startAcme({ pricePerPart: 3200 });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('acme', { ...sms('Sale!'), campaign: 'spring' })).settled;
    expect(end.type).toBe('delivered');
    const extras = end.type === 'delivered' ? end.report.extras : undefined;
    expect([extras?.priceMillicents, extras?.campaign]).toEqual([3200, 'spring']);
  });

  it('turn UNDELIV err:001 into undelivered with the reason "absent subscriber", at no price', async () => {
    const sim = await startAcme({ undeliverable: ['+4915100000009'] });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('acme', sms('Hi', '+4915100000009'))).settled;
    expect(end.type).toBe('undelivered');
    if (end.type !== 'undelivered') return;
    expect(end.error.code).toBe(ErrorCode.Undelivered);
    expect(end.report.errorCode).toBe('001');
    expect(end.report.extras?.reason).toBe('absent subscriber');
    expect(end.report.extras?.priceMillicents).toBe(0);
  });
});

describe('acme status query (query_sm)', () => {
  it("answers tidings.query with the message's state, asking with the id as Acme gave it", async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('acme', sms('Hi'))).settled;
    const id = end.type === 'delivered' ? end.providerMessageId : '';
    const report = await tidings.query('acme', id);
    expect([report.providerMessageId, report.state]).toEqual([id, 'delivered']);
    expect(sim.pdus({ command: 'query_sm' }).map((query) => query.message_id)).toEqual([id]);
  });
});

describe('acme inbound (MO)', () => {
  it('delivers replies to the two-way number on inbound$, STOP (any case, spaces around) flagged as optOut', async () => {
    const sim = await startAcme();
    const { tidings } = await startRuntime(sim);
    const received: InboundMessage[] = [];
    tidings.inbound$.subscribe((message) => received.push(message));
    await sim.sendMo({ from: '4915112345678', to: '4930123456', text: 'Thanks!' });
    await sim.sendMo({ from: '4915112345678', to: '4930123456', text: ' stop ' });
    await sim.sendMo({ from: '4915112345678', to: '4930123456', text: 'Please stop sending' });
    expect(received.map((message) => [message.channel, message.from, message.to, message.extras?.optOut])).toEqual([
      ['acme', '4915112345678', '4930123456', false],
      ['acme', '4915112345678', '4930123456', true],
      ['acme', '4915112345678', '4930123456', false],
    ]);
    expect(received.map((message) => message.text)).toEqual(['Thanks!', ' stop ', 'Please stop sending']);
  });
});
