import { ErrorCode, type MessageEvent, TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { TlvRegistry } from '@tidings/transport-smpp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ptagTlv } from './ptag.js';
import { gatewayOptions, startGateway, startRuntime, submits, typesOf, ucs2 } from './telegram.test-helper.js';
import type { TelegramChannel } from './telegram-channel.js';
import type { TelegramMessage } from './telegram-message.js';
import { telegramChannel } from './telegram-plugin.js';

const tlvs = TlvRegistry.standard.withVendor([ptagTlv]);
const code = (value: string): TelegramMessage => ({ to: '+79036550550', code: value });

describe('telegram channel: the submit_sm on the wire', () => {
  it('sends the code in UCS2 (data_coding 8) from the service name, with the lifetime as validity_period and a receipt asked for', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim, { validitySeconds: 300 });
    const handle = await tidings.send('telegram', { to: '+79036550550', code: '123456', text: 'Ваш код: {code}' });
    expect((await handle.settled).type).toBe('delivered');
    const [submit, ...more] = submits(sim);
    expect(more).toHaveLength(0);
    expect(submit?.data_coding).toBe(8);
    expect(ucs2(submit?.short_message)).toBe('Ваш код: 123456');
    expect(submit?.source_addr).toBe('TgCodes');
    expect([submit?.source_addr_ton, submit?.source_addr_npi]).toEqual([5, 0]);
    expect(submit?.destination_addr).toBe('+79036550550');
    expect(submit?.validity_period).toBe('000000000500000R');
    expect(submit?.registered_delivery).toBe(1);
    expect(submit?.priority_flag).toBe(0);
    expect(submit?.esm_class).toBe(0);
    expect(tlvs.read(submit?.tlvs, 'message_payload')).toBeUndefined();
  });

  it('sends the code alone when the message has no text, and a per-message lifetime over the channel one', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim, { validitySeconds: 300 });
    await (await tidings.send('telegram', { ...code('4821'), validitySeconds: 60 })).accepted;
    const [submit] = submits(sim);
    expect(ucs2(submit?.short_message)).toBe('4821');
    expect(submit?.validity_period).toBe('000000000100000R');
  });

  it('leaves validity_period empty without a lifetime (the account default applies), and uses message.from as source_addr', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('telegram', { ...code('4821'), from: 'OtherSvc' })).accepted;
    expect(submits(sim)[0]?.validity_period).toBe('');
    expect(submits(sim)[0]?.source_addr).toBe('OtherSvc');
  });

  it('sends a text over 254 octets in message_payload with an empty short_message, in one PDU', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const text = `Ваш код {code}. ${'Никому его не сообщайте. '.repeat(6)}`;
    expect(text.length * 2).toBeGreaterThan(254);
    await (await tidings.send('telegram', { ...code('123456'), text })).accepted;
    const [submit, ...more] = submits(sim);
    expect(more).toHaveLength(0);
    expect(submit?.short_message).toHaveLength(0);
    expect(submit?.data_coding).toBe(8);
    expect((submit?.esm_class ?? -1) & 0x40).toBe(0);
    const payload = tlvs.read(submit?.tlvs, 'message_payload') as Uint8Array;
    expect(ucs2(payload)).toBe(text.replace('{code}', '123456'));
  });

  it('keeps a text of exactly 254 octets in short_message, and moves one of 256 to message_payload', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const fits = `{code}${'ж'.repeat(127 - 6)}`;
    await (await tidings.send('telegram', { ...code('123456'), text: fits })).accepted;
    await (await tidings.send('telegram', { ...code('123456'), text: `${fits}ж` })).accepted;
    const [short, long] = submits(sim);
    expect(short?.short_message).toHaveLength(254);
    expect(tlvs.read(short?.tlvs, 'message_payload')).toBeUndefined();
    expect(long?.short_message).toHaveLength(0);
    expect((tlvs.read(long?.tlvs, 'message_payload') as Uint8Array).length).toBe(256);
  });

  it("splits a long UCS2 text with UDH under concatenation 'udh': 1500 characters are delivered", async () => {
    const sim = await startGateway({ concatenation: 'udh' });
    const { tidings } = await startRuntime(sim, { concatenation: 'udh' });
    const text = `Код {code}. ${'ж'.repeat(1480)}`;
    expect((await (await tidings.send('telegram', { ...code('1234'), text })).settled).type).toBe('delivered');
    const parts = submits(sim);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((part) => part.data_coding === 8 && (part.esm_class & 0x40) === 0x40)).toBe(true);
  });

  it('sends GSM text with data_coding 0 when the channel says gsm7', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim, { encoding: 'gsm7' });
    await (await tidings.send('telegram', { ...code('123456'), text: 'Your code: {code}' })).accepted;
    const [submit] = submits(sim);
    expect(submit?.data_coding).toBe(0);
    expect(Buffer.from(submit?.short_message ?? []).toString('latin1')).toBe('Your code: 123456');
  });

  it('sends ASCII with data_coding 0 when the channel says ascii (an account set to ASCII)', async () => {
    const sim = await startGateway({ defaultAlphabet: 'ascii' });
    const { tidings } = await startRuntime(sim, { encoding: 'ascii' });
    const settled = await (await tidings.send('telegram', { ...code('123456'), text: 'Code @ {code} _$' })).settled;
    expect(settled.type).toBe('delivered');
    const [submit] = submits(sim);
    expect(submit?.data_coding).toBe(0);
    // ASCII bytes, not GSM 03.38 septets ('@' is 0x00 and '_' 0x11 in GSM).
    expect(Buffer.from(submit?.short_message ?? []).toString('latin1')).toBe('Code @ 123456 _$');
  });

  it('sends every accepted recipient form as written: 79036550550, +79036550550, 8-903-655-05-50, 89036550550', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const forms = ['79036550550', '+79036550550', '8-903-655-05-50', '89036550550'];
    for (const to of forms) await (await tidings.send('telegram', { to, code: '1234' })).accepted;
    expect(submits(sim).map((submit) => submit.destination_addr)).toEqual(forms);
  });

  it('sends ptag as the vendor TLV 0x1411 when the message has one, and no TLV otherwise', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('telegram', { ...code('1234'), ptag: 'login-42.A' })).accepted;
    await (await tidings.send('telegram', code('1234'))).accepted;
    const [tagged, plain] = submits(sim);
    const raw = tagged?.tlvs?.find((tlv) => tlv.tag === 0x1411);
    expect(Buffer.from(raw?.value ?? []).toString('latin1')).toBe('login-42.A');
    expect(plain?.tlvs?.some((tlv) => tlv.tag === 0x1411) ?? false).toBe(false);
  });

  it('does not send ptag when option sendPtag is false', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim, { sendPtag: false });
    await (await tidings.send('telegram', { ...code('1234'), ptag: 'login-42' })).accepted;
    expect(submits(sim)[0]?.tlvs?.some((tlv) => tlv.tag === 0x1411) ?? false).toBe(false);
  });

  it('sends priority_flag from option priority, overridden per message (0-2)', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim, { priority: 1 });
    await (await tidings.send('telegram', code('1234'))).accepted;
    await (await tidings.send('telegram', { ...code('1234'), priority: 2 })).accepted;
    await (await tidings.send('telegram', { ...code('1234'), priority: 0 })).accepted;
    expect(submits(sim).map((submit) => submit.priority_flag)).toEqual([1, 2, 0]);
  });

  it('asks for no receipt when receipts are off: registered_delivery 0, and the accepted event is terminal', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim, { receipts: false });
    const settled = await (await tidings.send('telegram', code('1234'))).settled;
    expect(settled.type).toBe('accepted');
    expect(submits(sim)[0]?.registered_delivery).toBe(0);
  });

  it("reports the provider's message_id, a positive integer", async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const accepted = await (await tidings.send('telegram', code('1234'))).accepted;
    expect(accepted.type === 'accepted' && accepted.providerMessageId).toMatch(/^[1-9][0-9]*$/);
  });
});

describe('telegram channel: validation before anything is sent', () => {
  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['no code', { code: undefined, text: 'Your code is below' }, 'code'],
    // Core fills {code} in before any channel sees the message, and refuses it without a code.
    ['no code, with {code} in the text', { code: undefined, text: 'Your code: {code}' }, 'text'],
    ['a code of 3 digits', { code: '123' }, 'code'],
    ['a code of 9 digits', { code: '123456789' }, 'code'],
    ['a code with a letter', { code: '12a4' }, 'code'],
    ['a code with a space', { code: '12 34' }, 'code'],
    ['a recipient of 26 characters', { to: '8-9-0-3-6-5-5-0-5-5-0-1-23' }, 'to'],
    ['a recipient with spaces', { to: '+7 903 655 05 50' }, 'to'],
    ['a recipient with letters', { to: '7903655O550' }, 'to'],
    ['a recipient with a double hyphen', { to: '8--903-655-05-50' }, 'to'],
    ['a recipient ending with a hyphen', { to: '89036550550-' }, 'to'],
    ['a recipient with brackets', { to: '8(903)6550550' }, 'to'],
    ['a text without the code', { text: 'Your code is ready' }, 'text'],
    ['a text where the code is part of a longer number', { code: '1234', text: 'Order 123456' }, 'text'],
    ['a text with another number of 4-8 digits', { code: '1234', text: 'Code {code} for order 56789' }, 'text'],
    ['a text with a year besides the code', { code: '1234', text: '{code} (c) 2026' }, 'text'],
    ['a recipient that is not a string (JSON from a host)', { to: 79036550550 }, 'to'],
    ['a text that is not a string', { text: 42 }, 'text'],
    ['a sender that is not a string', { from: 7 }, 'from'],
    ['a text of 2001 characters', { text: `{code} ${'x'.repeat(1994)}` }, 'text'],
    ['a ptag of 51 characters', { ptag: 'a'.repeat(51) }, 'ptag'],
    ['an empty ptag', { ptag: '' }, 'ptag'],
    ['a ptag with an underscore', { ptag: 'login_42' }, 'ptag'],
    ['a ptag with a space', { ptag: 'login 42' }, 'ptag'],
    ['a lifetime of 29 s', { validitySeconds: 29 }, 'validitySeconds'],
    ['a lifetime of 3601 s', { validitySeconds: 3601 }, 'validitySeconds'],
    ['a lifetime of 30.5 s', { validitySeconds: 30.5 }, 'validitySeconds'],
    ['a sender of 21 characters', { from: 'S'.repeat(21) }, 'from'],
    ['a non-ASCII sender', { from: 'Сервис' }, 'from'],
  ];

  for (const [label, change, field] of refused) {
    it(`refuses ${label} with TIDINGS_INVALID_MESSAGE naming message.${field}`, async () => {
      const sim = await startGateway();
      const { tidings, events } = await startRuntime(sim, { encoding: 'gsm7' });
      const message = { ...code('123456'), ...change } as TelegramMessage;
      const error = await tidings.send('telegram', message).catch((e: unknown) => e);
      expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
      expect((error as TidingsError).details?.field).toBe(field);
      expect(events).toEqual([]);
      expect(submits(sim)).toHaveLength(0);
    });
  }

  it("ignores a template (another channel's content), so one message can fall back across channels: the code is sent", async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const message = { ...code('482913'), text: 'Code {code}', template: { id: 'otp', params: { code: '482913' } } };
    expect((await (await tidings.send('telegram', message)).settled).type).toBe('delivered');
    expect(ucs2(submits(sim)[0]?.short_message)).toBe('Code 482913');
  });

  it('takes the code more than once, and numbers of other lengths beside it', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    for (const text of ['{code} is your code. Again: {code}', 'Code {code}, valid 10 min, call 88005553535 or 112']) {
      expect((await (await tidings.send('telegram', { ...code('123456'), text })).settled).type).toBe('delivered');
    }
  });

  it('refuses a second number of 4-8 digits with a message that says why, without echoing it', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const error = await tidings
      .send('telegram', { ...code('123456'), text: 'Code {code} for order 56789' })
      .catch((e: unknown) => e);
    expect((error as TidingsError).message).toContain('no other number of 4 to 8 digits besides the code');
    expect((error as TidingsError).message).not.toContain('56789');
  });

  it('refuses a text its encoding cannot carry before sending: é in ascii, Cyrillic or 4000 septets in gsm7', async () => {
    const sim = await startGateway({ defaultAlphabet: 'ascii' });
    const ascii = await startRuntime(sim, { encoding: 'ascii' });
    const gsm7 = await startRuntime(sim, { name: 'telegram', encoding: 'gsm7' });
    const refusals = [
      ascii.tidings.send('telegram', { ...code('1234'), text: 'Code {code} é' }),
      gsm7.tidings.send('telegram', { ...code('1234'), text: 'Код {code}' }),
      // 2000 characters, but each GSM extension character takes two septets.
      gsm7.tidings.send('telegram', { ...code('1234'), text: `{code} ${'€'.repeat(1990)}` }),
    ];
    for (const refusal of refusals) {
      const error = await refusal.catch((e: unknown) => e);
      expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
    }
    expect(submits(sim)).toHaveLength(0);
  });

  it('never echoes the code nor the text in a validation error', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const error = (await tidings.send('telegram', { ...code('98765'), text: 'Secret text' }).catch((e) => e)) as Error;
    expect(error.message).not.toContain('98765');
    expect(error.message).not.toContain('Secret');
    const badCode = (await tidings.send('telegram', code('9876x')).catch((e) => e)) as Error;
    expect(badCode.message).not.toContain('9876x');
  });

  it('takes the limits themselves: 4 and 8 digits, 25 characters, 50-character ptag, 30 and 3600 s, 2000 GSM characters', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim, { encoding: 'gsm7' });
    const valid: TelegramMessage[] = [
      code('1234'),
      code('12345678'),
      { to: '8-9-0-3-6-5-5-0-5-5-0-1-2', code: '1234' },
      { ...code('1234'), ptag: `${'a'.repeat(48)}.-` },
      { ...code('1234'), validitySeconds: 30 },
      { ...code('1234'), validitySeconds: 3600 },
      { ...code('1234'), text: `{code} ${'x'.repeat(1995)}` },
    ];
    expect(valid[2]?.to).toHaveLength(25);
    for (const message of valid)
      expect((await (await tidings.send('telegram', message)).accepted).type).toBe('accepted');
    expect(submits(sim)).toHaveLength(valid.length);
  });

  it('refuses a UCS2 text over 2048 octets (the message_payload limit) before sending: 1024 characters pass, 1025 do not', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const fits = `{code}${'ж'.repeat(1024 - 6)}`;
    await (await tidings.send('telegram', { ...code('123456'), text: fits })).accepted;
    const error = await tidings.send('telegram', { ...code('123456'), text: `${fits}ж` }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
    expect((error as TidingsError).message).toContain('2048');
    expect(submits(sim)).toHaveLength(1);
  });

  it('refuses priority unless the channel has option priority, and 3 when it has', async () => {
    const sim = await startGateway();
    const off = await startRuntime(sim);
    const error = (await off.tidings
      .send('telegram', { ...code('1234'), priority: 1 })
      .catch((e) => e)) as TidingsError;
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.message).toContain('agreed with the provider');
    const on = await startRuntime(sim, { name: 'telegram', priority: 0 });
    const tooHigh = (await on.tidings
      .send('telegram', { ...code('1234'), priority: 3 })
      .catch((e) => e)) as TidingsError;
    expect(tooHigh.code).toBe(ErrorCode.InvalidMessage);
    expect(submits(sim)).toHaveLength(0);
  });
});

describe('telegram channel: delivery receipts', () => {
  it("keeps the code out of events: the receipt's text: field is not copied into the delivered report", async () => {
    const sim = await startGateway();
    const { tidings, events } = await startRuntime(sim);
    const end = await (await tidings.send('telegram', { ...code('482913'), text: 'Your code: {code}' })).settled;
    expect(end.type).toBe('delivered');
    expect(end.type === 'delivered' && end.report.extras?.text).toBeUndefined();
    const everything = JSON.stringify(events, (_key, value) => (typeof value === 'bigint' ? String(value) : value));
    expect(everything).not.toContain('482913');
  });

  it('reads ptag back from the receipt', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const settled = await (await tidings.send('telegram', { ...code('1234'), ptag: 'order.7' })).settled;
    expect(settled.type).toBe('delivered');
    expect(settled.type === 'delivered' && settled.report.extras?.ptag).toBe('order.7');
  });

  it('turns receipts the provider sends twice ("message reprocessing") into one event per message', async () => {
    const sim = await startGateway({ reprocessReceipts: true });
    const { tidings, events } = await startRuntime(sim);
    const handles = await Promise.all(
      Array.from({ length: 5 }, (_, i) => tidings.send('telegram', code(String(1000 + i)))),
    );
    const settled = await Promise.all(handles.map((handle) => handle.settled));
    expect(settled.map((event) => event.type)).toEqual(Array(5).fill('delivered'));
    expect(sim.stats.receiptsSent).toBe(10);
    for (const handle of handles) {
      expect(typesOf(events, handle.id)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
    }
  });

  it('ignores a receipt re-sent after the message settled', async () => {
    const sim = await startGateway();
    const { tidings, events } = await startRuntime(sim);
    const handle = await tidings.send('telegram', code('1234'));
    const settled = await handle.settled;
    const id = settled.type === 'delivered' ? settled.providerMessageId : '';
    const answer = await sim.sendReceipt({ messageId: id, stat: 'UNDELIV' });
    expect(answer.command_status).toBe(0);
    await sim.sendReceipt({ messageId: id });
    expect(events.filter((event: MessageEvent) => event.terminal)).toHaveLength(1);
  });
});

describe('telegram channel: no status query (the provider offers none)', () => {
  it('tidings.query("telegram", id) is refused as not supported, without a query_sm on the wire', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    const accepted = await (await tidings.send('telegram', code('1234'))).accepted;
    const error = await tidings.query('telegram', accepted.providerMessageId).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.Unsupported)).toBe(true);
    expect((error as TidingsError).message).toContain(
      'query_sm is not supported by this channel: delivery statuses arrive as receipts',
    );
    expect(error).toMatchObject({ channel: 'telegram', details: { command: 'query_sm' } });
    expect(sim.received.map((record) => record.pdu.command)).not.toContain('query_sm');
  });

  it("the channel's own query and queryMessage refuse too, without touching the wire", async () => {
    const sim = await startGateway();
    const channel = resolveChannel(telegramChannel(gatewayOptions(sim))) as TelegramChannel;
    await channel.start();
    onTestFinished(() => channel.stop());
    for (const query of [() => channel.query('1000000001'), () => channel.queryMessage('1000000001')]) {
      const error = await query().catch((e: unknown) => e);
      expect(TidingsError.is(error, ErrorCode.Unsupported)).toBe(true);
    }
    expect(sim.received.map((record) => record.pdu.command)).not.toContain('query_sm');
  });
});
