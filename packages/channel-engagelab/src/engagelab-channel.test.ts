import { Buffer } from 'node:buffer';
import { createTidings, ErrorCode, TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupList, notice, optionsFor, otp, sendContext, startEngageLab, ucs2 } from './engagelab.test-helper.js';
import type { EngageLabChannel } from './engagelab-channel.js';
import type { EngageLabOptions } from './engagelab-options.js';
import { engagelabChannel } from './engagelab-plugin.js';
import type { EngageLabSimulatorProfileOptions } from './simulator/engagelab-profile.js';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

async function started(profile: EngageLabSimulatorProfileOptions = {}, overrides: Partial<EngageLabOptions> = {}) {
  const sim = await startEngageLab(profile);
  cleanups.add(() => sim.stop());
  const channel = resolveChannel(engagelabChannel(optionsFor(sim, overrides))) as EngageLabChannel;
  await channel.start();
  cleanups.add(() => channel.stop());
  return { sim, channel };
}

describe('EngageLab submit_sm over TCP', () => {
  it('MSG (default): the template as the provider JSON in UCS2 (data_coding 0x08), + recipient, header status 0', async () => {
    const { sim, channel } = await started();
    const result = await channel.send(notice, sendContext());
    expect(result.providerMessageId).not.toBe('');
    expect(result.receiptExpected).toBe(true);
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit).toMatchObject({
      command_status: 0,
      service_type: 'MSG',
      source_addr: '',
      destination_addr: '+6598765432',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      esm_class: 0,
      data_coding: 0x08,
      registered_delivery: 1,
    });
    expect(ucs2(submit?.short_message ?? new Uint8Array())).toBe(
      '{"id":"order-shipped","language":"default","params":{"order":"A-1001"}}',
    );
  });

  it("the sender option is the source_addr; a message's text is ignored (not in the JSON), not refused", async () => {
    const { sim, channel } = await started({}, { sender: 'AcmeBank' });
    await channel.send({ ...notice, text: 'Your order A-1001 shipped' }, sendContext());
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit?.source_addr).toBe('AcmeBank');
    expect(ucs2(submit?.short_message ?? new Uint8Array())).toBe(
      '{"id":"order-shipped","language":"default","params":{"order":"A-1001"}}',
    );
  });

  it('CODE: service_type CODE and the code in the JSON', async () => {
    const { sim, channel } = await started();
    await channel.send(otp, sendContext());
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit?.service_type).toBe('CODE');
    expect(ucs2(submit?.short_message ?? new Uint8Array())).toBe(
      '{"id":"login-otp","language":"default","code":"123456"}',
    );
  });

  it('MRKT: service_type MRKT, the language as given, no code', async () => {
    const { sim, channel } = await started();
    await channel.send(
      {
        to: '+6598765432',
        serviceType: 'MRKT',
        template: { id: 'black-friday', language: 'en', params: { off: '30%' } },
      },
      sendContext(),
    );
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit?.service_type).toBe('MRKT');
    expect(JSON.parse(ucs2(submit?.short_message ?? new Uint8Array()))).toEqual({
      id: 'black-friday',
      language: 'en',
      params: { off: '30%' },
    });
  });

  it('dataCoding "default": data_coding 0x00 with the JSON bytes as they are, where the route passes {}', async () => {
    const { sim, channel } = await started({ defaultCoding: 'ascii' }, { dataCoding: 'default' });
    await channel.send({ ...otp, template: { id: 'login-otp', params: { name: 'Zoë' } } }, sendContext());
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit?.data_coding).toBe(0x00);
    expect(Buffer.from(submit?.short_message ?? new Uint8Array()).toString('latin1')).toBe(
      '{"id":"login-otp","language":"default","code":"123456","params":{"name":"Zo\\u00eb"}}',
    );
  });

  it('dataCoding "default" on a route that mangles {}: ESME_RINVNUMMSGS, a fix pointing at UCS2', async () => {
    const { channel } = await started({ defaultCoding: 'gsm7' }, { dataCoding: 'default' });
    const error = await channel.send(otp, sendContext()).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.Rejected)).toBe(true);
    expect((error as TidingsError).providerStatus).toBe(0x55);
    expect((error as TidingsError).retry).toEqual({ kind: 'fix' });
    expect((error as TidingsError).message).toContain('use UCS2');
  });

  it('a body up to 254 octets travels whole in one short_message: no UDH, no message_payload', async () => {
    const { sim, channel } = await started();
    // 120 characters of JSON: 240 octets in UCS2, more than one SMS (140) but one short_message.
    const params = { note: 'x'.repeat(120 - '{"id":"t","language":"default","params":{"note":""}}'.length) };
    await channel.send({ to: '+6598765432', template: { id: 't', params } }, sendContext());
    const submits = sim.pdus({ command: 'submit_sm' });
    expect(submits).toHaveLength(1);
    expect(submits[0]).toMatchObject({ esm_class: 0, data_coding: 0x08 });
    expect(submits[0]?.short_message.length).toBe(240);
    expect(submits[0]?.tlvs ?? []).toEqual([]);
    expect(JSON.parse(ucs2(submits[0]?.short_message ?? new Uint8Array()))).toEqual({
      id: 't',
      language: 'default',
      params,
    });
  });

  it('maps the sender, priority and validity onto the submit_sm', async () => {
    const { sim, channel } = await started();
    await channel.send({ ...otp, from: 'Acme', priority: 1, validitySeconds: 300 }, sendContext());
    expect(sim.pdus({ command: 'submit_sm' })[0]).toMatchObject({
      source_addr: 'Acme',
      priority_flag: 1,
      validity_period: '000000000500000R',
    });
    expect(() => channel.validate({ ...otp, priority: 4 })).toThrowError(
      expect.objectContaining({ code: ErrorCode.InvalidMessage }),
    );
  });

  it('the + rule: a number without + is refused before anything is sent', async () => {
    const { sim, channel } = await started();
    const message = { ...otp, to: '6598765432' };
    expect(() => channel.validate(message)).toThrowError(
      expect.objectContaining({ code: ErrorCode.InvalidMessage, details: { field: 'to' } }),
    );
    await channel.send(notice, sendContext());
    expect(sim.pdus({ command: 'submit_sm' }).map((pdu) => pdu.destination_addr)).toEqual(['+6598765432']);
  });

  it('the + rule: normalizeRecipients puts the + (and drops 00 and separators) on the wire', async () => {
    const { sim, channel } = await started({}, { normalizeRecipients: true });
    await channel.send({ ...otp, to: '0065 9876-5432' }, sendContext());
    await channel.send({ ...otp, to: '6598765432' }, sendContext());
    expect(sim.pdus({ command: 'submit_sm' }).map((pdu) => pdu.destination_addr)).toEqual([
      '+6598765432',
      '+6598765432',
    ]);
  });

  it('binds with bind_transceiver only and sends none of the commands EngageLab does not support', async () => {
    const { sim, channel } = await started();
    await channel.send(otp, sendContext());
    for (const query of [() => channel.queryMessage('1000000001'), () => channel.query('1000000001')]) {
      const error = await query().catch((e: unknown) => e);
      expect(TidingsError.is(error, ErrorCode.Unsupported)).toBe(true);
      expect((error as TidingsError).message).toContain('query_sm is not supported by this channel');
    }
    await channel.stop();
    const supported = new Set(['bind_transceiver', 'enquire_link', 'unbind', 'submit_sm', 'deliver_sm_resp']);
    const commands = sim.received.map((record) => record.pdu.command);
    expect(commands[0]).toBe('bind_transceiver');
    expect(commands).toContain('unbind');
    expect(commands.filter((command) => !supported.has(command))).toEqual([]);
  });

  it('tidings.query("engagelab", id) is refused as not supported, without a query_sm on the wire', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const tidings = await createTidings({ plugins: [engagelabChannel(optionsFor(sim))] });
    cleanups.add(() => tidings.stop({ timeoutMs: 1000 }));
    const accepted = await (await tidings.send('engagelab', otp)).accepted;
    const error = await tidings.query('engagelab', accepted.providerMessageId).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.Unsupported)).toBe(true);
    expect(error).toMatchObject({ channel: 'engagelab', details: { command: 'query_sm' } });
    expect(sim.received.map((record) => record.pdu.command)).not.toContain('query_sm');
  });

  it('generic_nack answering submit_sm is a typed error, never retried', async () => {
    // A server that lacks submit_sm answers it with generic_nack, as EngageLab does for any command it lacks.
    const sim = await startEngageLab({}, {}, { commands: ['bind_transceiver', 'enquire_link', 'unbind'] });
    cleanups.add(() => sim.stop());
    const channel = resolveChannel(engagelabChannel(optionsFor(sim)));
    await channel.start();
    cleanups.add(() => channel.stop());
    const error = await channel.send(otp, sendContext()).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.ProtocolError)).toBe(true);
    expect(error).toMatchObject({
      providerStatus: 0x03,
      retry: { kind: 'never' },
      channel: 'engagelab',
      details: { command: 'submit_sm', response: 'generic_nack' },
    });
    expect((error as TidingsError).message).toContain('answered submit_sm with generic_nack');
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
  });
});
