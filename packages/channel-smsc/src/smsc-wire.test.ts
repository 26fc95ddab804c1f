import { Buffer } from 'node:buffer';
import { encodeText, parseUdh } from '@tidings/transport-smpp';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { smscMessage } from './message-helpers.js';
import { runCleanups, runtime, startSmsc, submits } from './smsc.test-helper.js';

afterEach(runCleanups);

const to = '+77011234567';

describe('SMSC on the wire: every message kind is one submit_sm with its text convention', () => {
  const kinds = [
    ['plain SMS', smscMessage.sms({ to, text: 'Your code is 1234' }), 'Your code is 1234'],
    ['SMS with a comment', smscMessage.sms({ to, text: 'Paid', comment: 'order 42' }), 'Paid\n~~~\norder 42'],
    [
      'e-mail',
      smscMessage.mail({ to: 'user@example.com', text: 'Welcome', subject: 'Hello' }),
      '__MAIL__: Welcome\nsubj:Hello',
    ],
    ['MMS', smscMessage.mms({ to, text: 'Look', subject: 'Photo' }), '__MMS__: Look\nsubj:Photo'],
    [
      'voice call',
      smscMessage.call({ to, text: 'Your code 1 2 3 4', voice: 'w2', language: 'en', params: '30,2' }),
      '__CALL__: Your code 1 2 3 4\nvoice:w2,en\n~~~\n30,2',
    ],
    ['Viber', smscMessage.viber({ to, text: 'Sale today' }), '__VIBER__: Sale today'],
    ['social networks', smscMessage.social({ to, text: 'Hi' }), '__SOC__: Hi'],
    ['Telegram code', smscMessage.telegramCode({ to, code: '4821' }), '__TGM__: 4821'],
    [
      'Telegram bot',
      smscMessage.bot({ to, text: 'Order shipped', bot: 'shop_bot' }),
      '__BOT__: Order shipped\nbot:@shop_bot',
    ],
    ['HLR request', smscMessage.hlr({ to }), '__HLR__'],
    ['ping SMS', smscMessage.ping({ to }), '__PING__'],
  ] as const;

  for (const [label, message, text] of kinds) {
    it(`${label}: ${JSON.stringify(text)}`, async () => {
      const sim = await startSmsc();
      const { tidings } = await runtime(sim, { sender: 'Acme' });
      const handle = await tidings.send('smsc', message);
      expect((await handle.settled).type).toBe('delivered');
      const [submit, ...more] = submits(sim);
      expect(more).toHaveLength(0);
      expect(message.text).toBe(text);
      // GSM 03.38, one septet per octet: `_` is 0x11 and `@` is 0x00 on the wire.
      expect(submit?.data_coding).toBe(0);
      expect(Buffer.from(submit?.short_message ?? []).equals(Buffer.from(encodeText(text, 'gsm7')))).toBe(true);
      expect(submit).toMatchObject({
        esm_class: 0,
        source_addr: 'Acme',
        source_addr_ton: 5,
        source_addr_npi: 1,
        destination_addr: message.to.replace(/^\+/, ''),
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        registered_delivery: 1,
        // validityperiod = 1440 minutes, relative.
        validity_period: '000001000000000R',
      });
    });
  }

  it('writes the markers in GSM: __ is 0x11 0x11', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    await (await tidings.send('smsc', smscMessage.hlr({ to }))).accepted;
    expect([...(submits(sim)[0]?.short_message ?? [])]).toEqual([0x11, 0x11, 0x48, 0x4c, 0x52, 0x11, 0x11]);
  });

  it('sends a message outside GSM as UCS2: data_coding = 2 × 4 = 8, UTF-16BE', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    await (await tidings.send('smsc', smscMessage.viber({ to, text: 'Привет' }))).accepted;
    const [submit] = submits(sim);
    expect(submit?.data_coding).toBe(8);
    expect(Buffer.from(submit?.short_message ?? []).equals(Buffer.from('__VIBER__: Привет', 'utf16le').swap16())).toBe(
      true,
    );
  });

  it('without ISO sends Latin-1-only text (ê) as UCS2: SMSC would read coding 1 as GSM', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    await (await tidings.send('smsc', { to, text: 'fenêtre' })).accepted;
    expect(submits(sim).map((submit) => submit.data_coding)).toEqual([8]);
  });

  it('with ISO sends Latin-1 text as coding 1: data_coding = 1 × 4 = 4, ISO-8859-1 bytes (never 3)', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim, { iso: true });
    await (await tidings.send('smsc', { to, text: 'fenêtre' })).accepted;
    await (await tidings.send('smsc', { to, text: 'plain' })).accepted;
    const [latin, gsm] = submits(sim);
    expect(latin?.data_coding).toBe(4);
    expect(Buffer.from(latin?.short_message ?? []).equals(Buffer.from('fenêtre', 'latin1'))).toBe(true);
    // GSM text stays coding 0.
    expect(gsm?.data_coding).toBe(0);
  });

  it('with ISO splits a long Latin-1 text at 134 bytes per part, every part data_coding 4', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim, { iso: true });
    await (await tidings.send('smsc', { to, text: 'ê'.repeat(200) })).accepted;
    const parts = submits(sim);
    expect(parts.map((part) => part.data_coding)).toEqual([4, 4]);
    expect(parts.map((part) => parseUdh(part.short_message)?.payload.length)).toEqual([134, 66]);
  });

  it('with ISO reads an inbound data_coding 4 as ISO-8859-1', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim, { iso: true });
    const inbound = firstValueFrom(tidings.inbound$);
    const session = sim.sessions[0]?.id ?? 0;
    await sim.sendPdu(session, {
      command: 'deliver_sm',
      service_type: '',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '77011234567',
      dest_addr_ton: 5,
      dest_addr_npi: 1,
      destination_addr: 'Acme',
      esm_class: 0,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: 4,
      sm_default_msg_id: 0,
      short_message: new Uint8Array(Buffer.from('Très bien', 'latin1')),
    });
    expect((await inbound).text).toBe('Très bien');
  });

  it('splits a long text with UDH; by default SMSC gives every part the same id and one receipt', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    const handle = await tidings.send('smsc', { to, text: 'x'.repeat(400) });
    const accepted = await handle.accepted;
    expect(accepted).toMatchObject({ type: 'accepted', parts: 3 });
    const parts = submits(sim);
    expect(parts.map((part) => parseUdh(part.short_message)?.concat?.sequence)).toEqual([1, 2, 3]);
    expect(parts.every((part) => (part.esm_class & 0x40) === 0x40)).toBe(true);
    expect((await handle.settled).type).toBe('delivered');
    expect(sim.stats.receiptsSent).toBe(1);
  });

  it('sends only submit_sm, never submit_multi ("not yet implemented"), also for many recipients', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    const handles = await Promise.all(
      ['+77011111111', '+77012222222', '+77013333333'].map((number) =>
        tidings.send('smsc', { to: number, text: 'Sale' }),
      ),
    );
    await Promise.all(handles.map((handle) => handle.settled));
    const commands = sim.received.map((record) => record.pdu.command);
    expect(commands.filter((command) => command === 'submit_sm')).toHaveLength(3);
    expect(commands.every((command) => ['bind_transceiver', 'submit_sm', 'deliver_sm_resp'].includes(command))).toBe(
      true,
    );
  });

  it('sends from the account default sender when none is set, and an international sender as TON 1', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    await (await tidings.send('smsc', { to, text: 'a' })).accepted;
    await (await tidings.send('smsc', { to, text: 'b', from: '+77770001122', validitySeconds: 300 })).accepted;
    expect(submits(sim).map((s) => [s.source_addr, s.source_addr_ton, s.source_addr_npi, s.validity_period])).toEqual([
      ['', 5, 1, '000001000000000R'],
      ['77770001122', 1, 1, '000000000500000R'],
    ]);
  });

  it('asks for no receipt when receipts go to the HTTP handler (receipts: false): accepted ends the message', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim, { receipts: false });
    const handle = await tidings.send('smsc', { to, text: 'hi' });
    expect(await handle.settled).toMatchObject({ type: 'accepted', terminal: true });
    expect(submits(sim)[0]?.registered_delivery).toBe(0);
    expect(sim.stats.receiptsSent).toBe(0);
  });
});
