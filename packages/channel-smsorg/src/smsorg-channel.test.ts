import { ErrorCode, TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { CommandStatus, parseUdh } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { optionsFor, startRuntime, startSmsorg, textOf } from './smsorg.test-helper.js';
import { smsorgChannel } from './smsorg-plugin.js';

describe('smsorg submit_sm on the wire', () => {
  it('numeric sender: source_addr_ton 0x01 / source_addr_npi 0x01, without the +', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('sms', { to: '+79123456789', from: '+79001112233', text: 'hi' })).accepted;
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit).toMatchObject({ source_addr: '79001112233', source_addr_ton: 0x01, source_addr_npi: 0x01 });
  });

  it('alphanumeric sender: source_addr_ton 0x05 / source_addr_npi 0x00 (the channel default sender)', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim, { sender: 'MyShop' });
    await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).accepted;
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit).toMatchObject({ source_addr: 'MyShop', source_addr_ton: 0x05, source_addr_npi: 0x00 });
  });

  it('sender TON/NPI are configurable per sender kind (senderAddressing)', async () => {
    const addressing = { numeric: { ton: 0x02, npi: 0x01 }, alphanumeric: { ton: 0x00, npi: 0x05 } };
    const sim = await startSmsorg({ senderAddressing: addressing });
    const { tidings } = await startRuntime(sim, { senderAddressing: addressing });
    const numeric = await tidings.send('sms', { to: '+79123456789', from: '7522', text: 'hi' });
    const name = await tidings.send('sms', { to: '+79123456789', from: 'Shop', text: 'hi' });
    await Promise.all([numeric.accepted, name.accepted]);
    const submits = sim.pdus({ command: 'submit_sm' });
    const bySender = (addr: string) => submits.find((submit) => submit.source_addr === addr);
    expect(bySender('7522')).toMatchObject({ source_addr_ton: 0x02, source_addr_npi: 0x01 });
    expect(bySender('Shop')).toMatchObject({ source_addr_ton: 0x00, source_addr_npi: 0x05 });
  });

  it('destination: dest_addr_ton 0x01 / dest_addr_npi 0x01, the number without the +', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).accepted;
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit).toMatchObject({ destination_addr: '79123456789', dest_addr_ton: 0x01, dest_addr_npi: 0x01 });
  });

  it('data_coding 0x01 (ASCII) for an ASCII text, esm_class 0x00 without a UDH, registered_delivery 0x01 (passive)', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    const text = 'Code {4829} ~ [ok] ^_^ | \\ `';
    await (await tidings.send('sms', { to: '+79123456789', text })).accepted;
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit).toMatchObject({ data_coding: 0x01, esm_class: 0x00, registered_delivery: 0x01 });
    // IA5: one byte per character, no GSM escapes for { } [ ] ~ ^ | \.
    expect(submit && textOf(submit.short_message, 0x01)).toBe(text);
  });

  it('data_coding 0x08 (UCS2) for a text outside ASCII, GSM-only characters included', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('sms', { to: '+79123456789', text: 'Ваш код: 4829' })).accepted;
    await (await tidings.send('sms', { to: '+79123456789', text: 'Price: 5 €' })).accepted;
    const submits = sim.pdus({ command: 'submit_sm' });
    expect(submits.map((submit) => submit.data_coding)).toEqual([0x08, 0x08]);
    expect(submits[0] && textOf(submits[0].short_message, 0x08)).toBe('Ваш код: 4829');
  });

  it('a long ASCII text: UDH-concatenated parts with esm_class 0x40, 153 characters each, one reference', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    const text = `${'a'.repeat(153)}${'b'.repeat(153)}${'c'.repeat(10)}`;
    const handle = await tidings.send('sms', { to: '+79123456789', text });
    const accepted = await handle.accepted;
    expect(accepted.type === 'accepted' && accepted.parts).toBe(3);
    const parts = sim.pdus({ command: 'submit_sm' });
    expect(parts.map((part) => [part.esm_class, part.data_coding, part.registered_delivery])).toEqual([
      [0x40, 0x01, 0x01],
      [0x40, 0x01, 0x01],
      [0x40, 0x01, 0x01],
    ]);
    const headers = parts.map((part) => parseUdh(part.short_message));
    expect(headers.map((udh) => [udh?.concat?.total, udh?.concat?.sequence])).toEqual([
      [3, 1],
      [3, 2],
      [3, 3],
    ]);
    expect(new Set(headers.map((udh) => udh?.concat?.reference)).size).toBe(1);
    // 05 00 03 ref total seq: the 8-bit reference UDH.
    expect([...(parts[0]?.short_message.subarray(0, 3) ?? [])]).toEqual([0x05, 0x00, 0x03]);
    expect(headers.map((udh) => udh && textOf(udh.payload, 0x01)).join('')).toBe(text);
    // Every part gets its receipt; the message is delivered once all are.
    expect((await handle.settled).type).toBe('delivered');
  });

  it('a long UCS2 text: 67 characters per part', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    const text = 'Ж'.repeat(67 * 2 + 1);
    await (await tidings.send('sms', { to: '+79123456789', text })).accepted;
    const parts = sim.pdus({ command: 'submit_sm' });
    expect(parts).toHaveLength(3);
    expect(parts.every((part) => part.esm_class === 0x40 && part.data_coding === 0x08)).toBe(true);
    expect(parts.map((part) => parseUdh(part.short_message)?.payload.length)).toEqual([134, 134, 2]);
  });

  it('a text of exactly 160 ASCII characters is one submit_sm without a UDH', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('sms', { to: '+79123456789', text: 'x'.repeat(160) })).accepted;
    const parts = sim.pdus({ command: 'submit_sm' });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ esm_class: 0x00, data_coding: 0x01 });
    expect(parts[0]?.short_message).toHaveLength(160);
  });
});

describe('smsorg validity_period', () => {
  it("the channel default validitySeconds goes as a relative validity_period; the message's own wins", async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim, { validitySeconds: 300 });
    await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).accepted;
    await (await tidings.send('sms', { to: '+79123456789', text: 'hi', validitySeconds: 3_600 })).accepted;
    const [byChannel, byMessage] = sim.pdus({ command: 'submit_sm' });
    expect(byChannel?.validity_period).toBe('000000000500000R');
    expect(byMessage?.validity_period).toBe('000000010000000R');
  });

  it("without validitySeconds, validity_period is empty (smsorg's own)", async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).accepted;
    expect(sim.pdus({ command: 'submit_sm' })[0]?.validity_period).toBe('');
  });
});

describe('smsorg message validation, before anything is sent', () => {
  // The field named in `details.field`; the encoder names the character's index instead.
  const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
    ['no text (a code alone is not an SMS text)', { to: '+79123456789', code: '4829' }, 'text'],
    ['a recipient with spaces', { to: '+7 912 345 67 89', text: 'hi' }, 'to'],
    ['a recipient too short to be international', { to: '12345', text: 'hi' }, 'to'],
    ['a recipient of 16 digits', { to: '+1234567890123456', text: 'hi' }, 'to'],
    ['an alphanumeric sender of 12 characters', { to: '+79123456789', from: 'TwelveChars!', text: 'hi' }, 'from'],
    ['a sender outside ASCII', { to: '+79123456789', from: 'Магазин', text: 'hi' }, 'from'],
    ['a lone surrogate in the text', { to: '+79123456789', text: 'bad \ud800' }, undefined],
  ];
  for (const [label, message, field] of cases) {
    it(`refuses ${label}`, async () => {
      const sim = await startSmsorg();
      const channel = resolveChannel(smsorgChannel(optionsFor(sim)));
      let thrown: unknown;
      try {
        channel.validate(message as never);
      } catch (error) {
        thrown = error;
      }
      expect(TidingsError.is(thrown, ErrorCode.InvalidMessage)).toBe(true);
      expect((thrown as TidingsError).details?.field).toBe(field);
      const { tidings, events } = await startRuntime(sim);
      await expect(tidings.send('sms', message as never)).rejects.toMatchObject({ code: ErrorCode.InvalidMessage });
      expect(events).toEqual([]);
      expect(sim.pdus({ command: 'submit_sm' })).toEqual([]);
    });
  }

  it('refuses a message without from when the channel has no default sender', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim, { sender: undefined });
    await expect(tidings.send('sms', { to: '+79123456789', text: 'hi' })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
      details: { field: 'from' },
    });
  });

  it('sends a fallback-list message that also carries a code and a template: only the text goes out', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    const message = { to: '+79123456789', text: 'Code 4829', code: '4829', template: { id: 'otp' } };
    await (await tidings.send('sms', message)).accepted;
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit && textOf(submit.short_message, 0x01)).toBe('Code 4829');
  });

  it('a fallback-list message with {code} in its text goes out with the code in place', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    const message = { to: '+79123456789', code: '4829', template: { id: 'otp' }, text: 'Your code: {code}' };
    await (await tidings.send('sms', message)).accepted;
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit && textOf(submit.short_message, 0x01)).toBe('Your code: 4829');
  });
});

describe('smsorg refusals', () => {
  it('ESME_RINVDCS from the server is a "fix" refusal: the message is rejected, not retried', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    sim.faults.set({ rejectEveryNth: { n: 1, status: CommandStatus.ESME_RINVDCS } });
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
    const end = await handle.settled;
    expect(end.type).toBe('rejected');
    expect(end.type === 'rejected' && end.error.retry.kind).toBe('fix');
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
  });

  it('ESME_RTHROTTLED pauses the channel for throttlePauseMs, then the message is delivered', async () => {
    const sim = await startSmsorg();
    const { tidings, events } = await startRuntime(sim, { throttlePauseMs: 20 });
    sim.faults.set({ throttle: { submits: 1 } });
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
    expect((await handle.settled).type).toBe('delivered');
    const paused = events.find((event) => event.type === 'retrying' && event.channelPaused);
    expect(paused?.type === 'retrying' && paused.error.retry).toMatchObject({ kind: 'pause', pauseMs: 20 });
  });
});
