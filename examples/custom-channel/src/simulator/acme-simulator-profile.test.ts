import { silentLogger, systemClock } from '@tidings/core';
import {
  type BindMode,
  CommandStatus,
  defaultReconnectPolicy,
  defaultSessionTimeouts,
  defaultStatusTable,
  extendStatusTable,
  SmppClient,
  type SubmitSm,
  submitSm,
} from '@tidings/transport-smpp';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startAcme, tlvs } from '../acme.test-helper.js';
import { AcmeStatus, acmeStatusTable } from '../acme-statuses.js';
import { type AcmeSimulatorProfileOptions, acmeSimulatorProfile } from './index.js';

/** A raw SMPP client of the simulator (no channel rules in between), closed when the test ends. */
async function clientOf(sim: SmscSimulator, mode: BindMode = 'transceiver', statusTable = acmeStatusTable) {
  const client = new SmppClient({
    label: 'profile test',
    endpoints: [{ host: sim.host, port: sim.port }],
    credentials: { systemId: 'test', password: 'secret' },
    mode,
    binds: 1,
    window: 10,
    timeouts: { ...defaultSessionTimeouts, enquireLinkIntervalMs: 0, unbindTimeoutMs: 200 },
    reconnect: { ...defaultReconnectPolicy, initialDelayMs: 10, maxDelayMs: 10 },
    maxBindFailures: 1,
    statusTable,
    clock: systemClock,
    logger: silentLogger,
    onServerRequest: () => CommandStatus.ESME_ROK,
  });
  onTestFinished(() => client.close({ drainTimeoutMs: 100 }));
  await client.connect();
  return client;
}

/** The simulator's answer, over TCP, to one submit_sm built from a well-formed one. */
async function answer(submit: Partial<SubmitSm>, options: AcmeSimulatorProfileOptions = {}): Promise<number> {
  const sim = await SmscSimulator.start({ profile: acmeSimulatorProfile(options) });
  onTestFinished(() => sim.stop());
  const client = await clientOf(sim);
  const response = await client.request(
    submitSm(
      {
        source_addr: 'Acme',
        source_addr_ton: 5,
        source_addr_npi: 0,
        destination_addr: '4915112345678',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        short_message: new Uint8Array([0x48, 0x69]),
        ...submit,
      },
      0,
    ),
  );
  return response.command_status;
}

describe('acme simulator profile', () => {
  it('accepts a well-formed submit', async () => {
    expect(await answer({})).toBe(0);
  });

  it.each([
    ['a sender whose TON does not match its form', { source_addr_ton: 1 }, AcmeStatus.invalidSender],
    ['a long-number sender with "+"', { source_addr: '+4930123456', source_addr_ton: 1, source_addr_npi: 1 }, 0x0a],
    ['a local recipient', { destination_addr: '015112345678x' }, AcmeStatus.invalidRecipient],
    ['a recipient with TON 0', { dest_addr_ton: 0 }, AcmeStatus.invalidRecipient],
    ['Latin-1 (data_coding 3)', { data_coding: 3 }, AcmeStatus.invalidDataCoding],
    ['a service_type other than OTP', { service_type: 'WAP' }, CommandStatus.ESME_RINVSERTYP],
    ['a validity of 59 s', { validity_period: '000000000059000R' }, AcmeStatus.invalidValidity],
    ['an absolute validity', { validity_period: '261122120000000+' }, AcmeStatus.invalidValidity],
    [
      'a part of a 7-part message',
      { esm_class: 0x40, short_message: new Uint8Array([5, 0, 3, 9, 7, 1, 0x48]) },
      CommandStatus.ESME_RINVMSGLEN,
    ],
    ['a malformed campaign', { tlvs: [tlvs.encode('acme_campaign', 'a b')] }, AcmeStatus.unknownCampaign],
  ])('answers %s with its status', async (_label, submit, status) => {
    expect(await answer(submit)).toBe(status);
  });

  it('takes a UDH message of 6 parts, flash codings and validities of 60 s and 72 h', async () => {
    expect(await answer({ esm_class: 0x40, short_message: new Uint8Array([5, 0, 3, 9, 6, 1, 0x48]) })).toBe(0);
    expect(await answer({ data_coding: 0x10 })).toBe(0);
    expect(await answer({ data_coding: 0x18, short_message: new Uint8Array([0, 0x48]) })).toBe(0);
    expect(await answer({ validity_period: '000000000100000R' })).toBe(0);
    expect(await answer({ validity_period: '000003000000000R' })).toBe(0);
  });

  it('refuses the 11th submit within one second with 0x58, and takes it again a second later', async () => {
    let now = 1_000_000;
    const sim = await SmscSimulator.start({ profile: acmeSimulatorProfile({ now: () => now }) });
    onTestFinished(() => sim.stop());
    // 0x58 as a plain refusal, so the client hands it back instead of pausing its sends.
    const client = await clientOf(
      sim,
      'transceiver',
      extendStatusTable(defaultStatusTable, { 88: { class: 'permanent' } }),
    );
    const submit = submitSm(
      {
        source_addr: 'Acme',
        source_addr_ton: 5,
        destination_addr: '4915112345678',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        short_message: new Uint8Array([0x48, 0x69]),
      },
      0,
    );
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await client.request(submit)).command_status);
    expect(statuses).toEqual([...Array(10).fill(0), AcmeStatus.throttled]);
    now += 1_000;
    expect((await client.request(submit)).command_status).toBe(0);
  });

  it('binds transceivers only: a transmitter bind is refused', async () => {
    const sim = await startAcme();
    const refused: Array<number | 'closed'> = [];
    sim.on('bindRefused', (event) => refused.push(event.status));
    await expect(clientOf(sim, 'transmitter')).rejects.toThrow();
    expect(refused).toEqual([CommandStatus.ESME_RBINDFAIL]);
    await clientOf(sim, 'transceiver');
    expect(sim.pdus({ command: 'bind_transceiver' })).toHaveLength(1);
  });

  it('answers data_sm with generic_nack: Acme takes submit_sm only', async () => {
    const sim = await startAcme();
    const client = await clientOf(sim);
    const dataSm = await client.request({
      command: 'data_sm',
      service_type: '',
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'Acme',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '4915112345678',
      esm_class: 0,
      registered_delivery: 0,
      data_coding: 0,
    });
    expect([dataSm.command, dataSm.command_status]).toEqual(['generic_nack', CommandStatus.ESME_RINVCMDID]);
  });
});
