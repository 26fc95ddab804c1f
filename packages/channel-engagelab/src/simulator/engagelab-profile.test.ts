import { Buffer } from 'node:buffer';
import { ErrorCode, silentLogger, systemClock, TidingsError } from '@tidings/core';
import {
  type BindMode,
  type DeliverSm,
  defaultSessionTimeouts,
  encodeText,
  type Pdu,
  SmppSession,
  type SubmitSm,
  submitSm,
  TlvRegistry,
} from '@tidings/transport-smpp';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { engagelabSimulatorProfile } from './engagelab-profile.js';

const account = { systemId: 'acme', password: 'pw' };
let stops: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

async function simulator(options: Parameters<typeof engagelabSimulatorProfile>[0] = {}): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start({ accounts: [account], profile: engagelabSimulatorProfile(options) });
  stops.push(() => sim.stop());
  return sim;
}

/** A bare SMPP session to the simulator: whatever the test sends goes on the wire as is. */
async function session(
  sim: SmscSimulator,
  { mode = 'transceiver', password = account.password }: { mode?: BindMode; password?: string } = {},
  onRequest: (pdu: Pdu) => void = () => {},
): Promise<SmppSession> {
  const opened = await SmppSession.open(
    {
      endpoint: { host: sim.host, port: sim.port },
      credentials: { systemId: account.systemId, password },
      mode,
      window: 10,
      timeouts: { ...defaultSessionTimeouts, enquireLinkIntervalMs: 0, unbindTimeoutMs: 500 },
      clock: systemClock,
      logger: silentLogger,
      label: 'test',
    },
    (pdu) => {
      onRequest(pdu);
      return 0;
    },
  );
  stops.push(() => opened.close());
  return opened;
}

const json = (value: unknown): string => JSON.stringify(value);

function submit(fields: Partial<SubmitSm> & { body?: string }): Omit<SubmitSm, 'sequence_number'> {
  const { body = json({ id: 'otp', language: 'default', code: '1234' }), ...rest } = fields;
  return submitSm(
    {
      service_type: 'CODE',
      destination_addr: '+6598765432',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      data_coding: 0x08,
      registered_delivery: 1,
      short_message: encodeText(body, 'ucs2'),
      ...rest,
    },
    0,
  );
}

async function statusOf(sim: SmscSimulator, fields: Partial<SubmitSm> & { body?: string }): Promise<number> {
  const client = await session(sim);
  const response = await client.request(submit(fields));
  expect(response.command).toBe('submit_sm_resp');
  return response.command_status;
}

describe('engagelabSimulatorProfile', () => {
  it('accepts bind_transceiver; answers bind_transmitter and bind_receiver with generic_nack', async () => {
    const sim = await simulator();
    for (const mode of ['transmitter', 'receiver'] as const) {
      const error = await session(sim, { mode }).catch((e: unknown) => e);
      expect(error).toMatchObject({ providerStatus: 0x03 });
      expect((error as Error).message).toContain('ESME_RINVCMDID');
    }
    const bound = await session(sim);
    expect(sim.sessions.filter((s) => s.state === 'bound').map((s) => s.bindMode)).toEqual(['transceiver']);
    // bind_transceiver_resp echoes the client's system_id.
    expect(bound.serverSystemId).toBe('acme');
  });

  it('closes the TCP connection without a bind response on a wrong password', async () => {
    const sim = await simulator();
    const error = await session(sim, { password: 'nope' }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.ConnectionLost)).toBe(true);
    expect((error as TidingsError).details).toMatchObject({ phase: 'bind' });
    expect(sim.stats.bindsRefused).toBe(1);
  });

  it('answers query_sm and data_sm with generic_nack ESME_RINVCMDID', async () => {
    const sim = await simulator();
    const client = await session(sim);
    const query = await client.request({
      command: 'query_sm',
      message_id: '1',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '',
    });
    expect(query).toMatchObject({ command: 'generic_nack', command_status: 0x03 });
    const dataSm = await client.request({
      command: 'data_sm',
      service_type: 'CODE',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '+6598765432',
      esm_class: 0,
      registered_delivery: 1,
      data_coding: 0x08,
      tlvs: [TlvRegistry.standard.encode('message_payload', encodeText(json({ id: 'otp', code: '1' }), 'ucs2'))],
    });
    expect(dataSm).toMatchObject({ command: 'generic_nack', command_status: 0x03 });
    expect((await client.request(submit({}))).command_status).toBe(0);
  });

  it("accepts the page's JSON in UCS2 for MSG, CODE and MRKT (empty service_type reads MSG)", async () => {
    const sim = await simulator();
    expect(await statusOf(sim, {})).toBe(0);
    for (const service_type of ['MSG', 'MRKT', '']) {
      expect(await statusOf(sim, { service_type, body: json({ id: 't', params: { k: 'v' } }) })).toBe(0);
    }
  });

  it('0x32 ESME_RINVPARAM: no + in destination_addr, an unknown service_type, CODE without code', async () => {
    const sim = await simulator();
    expect(await statusOf(sim, { destination_addr: '6598765432' })).toBe(0x32);
    expect(await statusOf(sim, { service_type: 'OTP' })).toBe(0x32);
    expect(await statusOf(sim, { body: json({ id: 'otp' }) })).toBe(0x32);
    expect(await statusOf(sim, { data_coding: 0x03 })).toBe(0x32);
  });

  it('0x55 ESME_RINVNUMMSGS: short_message that is not the JSON, or params that are not strings', async () => {
    const sim = await simulator();
    expect(await statusOf(sim, { body: 'id=otp&code=1234' })).toBe(0x55);
    expect(await statusOf(sim, { body: json(['otp']) })).toBe(0x55);
    expect(await statusOf(sim, { body: json({ language: 'default', code: '1' }) })).toBe(0x55);
    expect(await statusOf(sim, { body: json({ id: 'otp', code: '1', params: { n: 1 } }) })).toBe(0x55);
  });

  it('data_coding 0x00: passes {} on an ascii route; breaks them on a gsm7 route (0x55)', async () => {
    const body = Buffer.from(json({ id: 'otp', code: '1' }), 'latin1');
    const ascii = await simulator({ defaultCoding: 'ascii' });
    expect(await statusOf(ascii, { data_coding: 0, short_message: body })).toBe(0);
    const gsm7 = await simulator({ defaultCoding: 'gsm7' });
    expect(await statusOf(gsm7, { data_coding: 0, short_message: body })).toBe(0x55);
  });

  it('0x45 ESME_RSUBMITFAIL: a template the account does not have', async () => {
    const sim = await simulator({ templates: ['otp'] });
    expect(await statusOf(sim, {})).toBe(0);
    expect(await statusOf(sim, { body: json({ id: 'other', code: '1' }) })).toBe(0x45);
  });

  it("delivery reports: deliver_sm with service_type MSG, empty source, the submit's destination, esm_class 0, data_coding 0, TLVs", async () => {
    const sim = await simulator();
    const received: DeliverSm[] = [];
    const client = await session(sim, {}, (pdu) => {
      if (pdu.command === 'deliver_sm') received.push(pdu);
    });
    const response = await client.request(submit({}));
    const id = response.command === 'submit_sm_resp' ? response.message_id : '';
    await sim.waitFor({ command: 'deliver_sm_resp' });
    const [report] = received;
    expect(report).toMatchObject({
      service_type: 'MSG',
      source_addr: '',
      destination_addr: '+6598765432',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      esm_class: 0,
      data_coding: 0,
    });
    expect(TlvRegistry.standard.read(report?.tlvs, 'receipted_message_id')).toBe(id);
    expect(TlvRegistry.standard.read(report?.tlvs, 'message_state')).toBe(2);
    expect(Buffer.from(report?.short_message ?? []).toString('latin1')).toMatch(new RegExp(`^id:${id} .*stat:DELIVRD`));
  });
});
