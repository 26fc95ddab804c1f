import { Buffer } from 'node:buffer';
import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../pdu/command-status.js';
import type { Pdu, QuerySmResp } from '../pdu/pdu.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { boundClient, connectClient, type RawClient, startSimulator } from './raw-client.test-helper.js';
import type { SimulatorProfile, SubmitDecision } from './simulator-profile.js';
import { SmscSimulator } from './smsc-simulator.js';

function query(client: RawClient, messageId: string): Promise<QuerySmResp> {
  return client.request({
    command: 'query_sm',
    command_status: 0,
    sequence_number: client.nextSequence(),
    message_id: messageId,
    source_addr_ton: 0,
    source_addr_npi: 0,
    source_addr: '',
  }) as Promise<QuerySmResp>;
}

describe('simulator profiles', () => {
  it('answers commands outside `commands` with generic_nack ESME_RINVCMDID (EngageLab)', async () => {
    const profile: SimulatorProfile = {
      name: 'engagelab-like',
      commands: ['bind_transceiver', 'submit_sm', 'enquire_link', 'unbind'],
    };
    const sim = await startSimulator({ profile });
    const client = await connectClient(sim);
    expect(await client.bind('transmitter')).toMatchObject({
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
    });
    expect((await client.bind('transceiver')).command_status).toBe(0);
    const { message_id } = await client.submit();
    expect(await query(client, message_id)).toMatchObject({
      command: 'generic_nack',
      command_status: CommandStatus.ESME_RINVCMDID,
    });
  });

  it('onBind may name the system_id of the bind response (EngageLab echoes the client’s)', async () => {
    const sim = await startSimulator({
      profile: { name: 'echo', onBind: (bind) => ({ systemId: bind.system_id }) },
    });
    const client = await connectClient(sim);
    expect(await client.bind('transceiver', 'test')).toMatchObject({ command_status: 0, system_id: 'test' });
    const plain = await startSimulator({ systemId: 'SMSC' });
    expect(await (await connectClient(plain)).bind('transceiver', 'test')).toMatchObject({ system_id: 'SMSC' });
  });

  it('narrows bind modes and closes silently on bad credentials', async () => {
    const sim = await startSimulator({
      profile: { name: 'strict', bindModes: ['transceiver'], silentCloseOnBadCredentials: true },
    });
    const client = await connectClient(sim);
    expect((await client.bind('receiver')).command_status).toBe(CommandStatus.ESME_RBINDFAIL);
    await expect(client.bind('transceiver', 'test', 'nope')).rejects.toThrow('connection closed');
  });

  it('onBind may refuse, close, or act on other sessions (a new bind ends the older one)', async () => {
    const profile: SimulatorProfile = {
      name: 'smsc-like',
      onBind(bind, ctx) {
        if (bind.system_type === 'REFUSE') return { status: CommandStatus.ESME_RINVSYSTYP };
        if (bind.system_type === 'CLOSE') return 'close';
        for (const other of ctx.simulator.sessions) {
          if (other.id !== ctx.session.id && other.state === 'bound' && other.systemId === bind.system_id) {
            ctx.simulator.closeSession(other.id);
          }
        }
        return undefined;
      },
    };
    const sim = await startSimulator({ profile });
    const refused = await connectClient(sim);
    expect((await refused.bind('transceiver', 'test', 'secret', 'REFUSE')).command_status).toBe(
      CommandStatus.ESME_RINVSYSTYP,
    );
    await expect(refused.bind('transceiver', 'test', 'secret', 'CLOSE')).rejects.toThrow('connection closed');
    const older = await boundClient(sim);
    await boundClient(sim);
    await older.closed;
    expect(sim.sessions.filter((session) => session.state === 'bound')).toHaveLength(1);
  });

  it('onSubmit decides status, id, receipt (with vendor TLVs echoed) and no-response', async () => {
    const profile: SimulatorProfile = {
      name: 'telegram-like',
      tlvs: [{ tag: 0x1411, name: 'ptag', type: 'cstring' }],
      onSubmit(submit, ctx): SubmitDecision {
        if (submit.destination_addr === 'invalid') return { status: CommandStatus.ESME_RINVDSTADR };
        if (submit.destination_addr === 'silent') return 'no-response';
        const ptag = ctx.tlvs.read(submit.tlvs, 'ptag');
        return {
          messageId: `tg-${ctx.session.submits}`,
          receipt: { tlvs: typeof ptag === 'string' ? [ctx.tlvs.encode('ptag', ptag)] : [] },
        };
      },
    };
    const sim = await startSimulator({ profile });
    expect(sim.tlvs.byName('ptag')?.tag).toBe(0x1411);
    const client = await boundClient(sim);
    expect((await client.submit({ destination_addr: 'invalid' })).command_status).toBe(CommandStatus.ESME_RINVDSTADR);
    client.send(client.submitPdu({ destination_addr: 'silent' }));
    const accepted = await client.submit({ registered_delivery: 1, tlvs: [sim.tlvs.encode('ptag', 'order-42')] });
    expect(accepted.message_id).toBe('tg-3');
    const receipt = await client.deliverSm();
    expect(sim.tlvs.read(receipt.tlvs, 'ptag')).toBe('order-42');
    expect(TlvRegistry.standard.read(receipt.tlvs, 'receipted_message_id')).toBe('tg-3');
    expect(client.received.filter((pdu) => pdu.command === 'submit_sm_resp')).toHaveLength(2);
  });

  it('onSubmit may answer later (a Promise); faults still come first', async () => {
    const profile: SimulatorProfile = {
      name: 'async',
      onSubmit: async () => ({ status: CommandStatus.ESME_RSUBMITFAIL }),
    };
    const sim = await startSimulator({
      profile,
      faults: { rejectEveryNth: { n: 2, status: CommandStatus.ESME_RTHROTTLED } },
    });
    const client = await boundClient(sim);
    expect((await client.submit()).command_status).toBe(CommandStatus.ESME_RSUBMITFAIL);
    expect((await client.submit()).command_status).toBe(CommandStatus.ESME_RTHROTTLED);
  });

  it('a hook that throws is answered with ESME_RSYSERR and the server keeps going', async () => {
    let calls = 0;
    const profile: SimulatorProfile = {
      name: 'broken',
      onSubmit() {
        calls++;
        if (calls === 1) throw new Error('bug in profile');
        return Promise.reject(new Error('async bug'));
      },
    };
    const sim = await startSimulator({ profile });
    const client = await boundClient(sim);
    expect((await client.submit()).command_status).toBe(CommandStatus.ESME_RSYSERR);
    expect((await client.submit()).command_status).toBe(CommandStatus.ESME_RSYSERR);
  });

  it('maxWindow: submits beyond the unanswered limit get overWindowStatus', async () => {
    const release: (() => void)[] = [];
    const profile: SimulatorProfile = {
      name: 'window-2',
      maxWindow: 2,
      overWindowStatus: CommandStatus.ESME_RMSGQFUL,
      onSubmit: () => new Promise<SubmitDecision>((resolve) => release.push(() => resolve(undefined))),
    };
    const sim = await startSimulator({ profile });
    const client = await boundClient(sim);
    const answers = [1, 2, 3].map(() => client.request(client.submitPdu()));
    expect((await answers[2])?.command_status).toBe(CommandStatus.ESME_RMSGQFUL);
    for (const resume of release) resume();
    expect((await Promise.all(answers)).map((answer: Pdu) => answer.command_status)).toEqual([
      0,
      0,
      CommandStatus.ESME_RMSGQFUL,
    ]);
  });

  it('maxPerSecond: 10 submits within a second are taken, the 11th gets 0x58; a second later one is taken again', async () => {
    let now = 1_000_000;
    const sim = await startSimulator({ profile: { name: 'rate-10', maxPerSecond: 10, now: () => now } });
    const client = await boundClient(sim);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await client.submit()).command_status);
    expect(statuses).toEqual([...Array<number>(10).fill(0), CommandStatus.ESME_RTHROTTLED]);
    expect(CommandStatus.ESME_RTHROTTLED).toBe(0x58);
    now += 999;
    expect((await client.submit()).command_status).toBe(CommandStatus.ESME_RTHROTTLED);
    now += 1;
    expect((await client.submit()).command_status).toBe(0);
    expect(sim.stats.submitResponses).toEqual(
      new Map([
        [0, 11],
        [CommandStatus.ESME_RTHROTTLED, 2],
      ]),
    );
  });

  it('maxPerSecond counts per account over all its sessions; overRateStatus names the refusal', async () => {
    const now = 5_000;
    let seen = 0;
    const sim = await startSimulator({
      accounts: [
        { systemId: 'test', password: 'secret' },
        { systemId: 'other', password: 'secret' },
      ],
      profile: {
        name: 'rate-2',
        maxPerSecond: 2,
        overRateStatus: CommandStatus.ESME_RMSGQFUL,
        now: () => now,
        onSubmit: () => {
          seen++;
          return undefined;
        },
      },
    });
    const first = await boundClient(sim);
    const second = await boundClient(sim);
    const other = await connectClient(sim);
    expect((await other.bind('transceiver', 'other')).command_status).toBe(0);
    const statuses = [
      (await first.submit()).command_status,
      (await second.submit()).command_status,
      (await first.submit()).command_status,
      (await other.submit()).command_status,
    ];
    expect(statuses).toEqual([0, 0, CommandStatus.ESME_RMSGQFUL, 0]);
    // The refused submit never reached the profile's onSubmit.
    expect(seen).toBe(3);
  });

  it('refuses a maxPerSecond or overRateStatus that cannot work, naming it', async () => {
    await expect(SmscSimulator.start({ profile: { name: 'bad', maxPerSecond: 0 } })).rejects.toThrow(
      /profile\.maxPerSecond must be a whole number/,
    );
    await expect(SmscSimulator.start({ profile: { name: 'bad', maxPerSecond: 2.5 } })).rejects.toThrow(
      /profile\.maxPerSecond/,
    );
    await expect(SmscSimulator.start({ profile: { name: 'bad', overRateStatus: 0 } })).rejects.toThrow(
      /profile\.overRateStatus must be a non-zero command_status/,
    );
  });

  it('maxPerSecond: Infinity is no limit', async () => {
    const sim = await startSimulator({ profile: { name: 'unlimited', maxPerSecond: Number.POSITIVE_INFINITY } });
    const client = await boundClient(sim);
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.submit()));
    expect(answers.every((answer) => answer.command_status === 0)).toBe(true);
  });

  it('onQuery overrides the answer; messageIds and receipts come from the profile', async () => {
    const profile: SimulatorProfile = {
      name: 'custom',
      messageIds: 'hex',
      receipts: { esmClass: 0, textVariant: { textLabel: 'Text' } },
      onQuery: (_query, message) => (message === undefined ? undefined : { messageState: 8, errorCode: 99 }),
    };
    const sim = await startSimulator({ profile, receipts: { dataCoding: 8 } });
    const client = await boundClient(sim);
    const { message_id } = await client.submit({ registered_delivery: 1 });
    expect(message_id).toMatch(/^[0-9a-f]+$/);
    const receipt = await client.deliverSm();
    expect(receipt).toMatchObject({ esm_class: 0, data_coding: 8 });
    expect(Buffer.from(receipt.short_message).swap16().toString('utf16le')).toContain(' Text:');
    expect(await query(client, message_id)).toMatchObject({ command_status: 0, message_state: 8, error_code: 99 });
    expect((await query(client, 'unknown')).command_status).toBe(CommandStatus.ESME_RQUERYFAIL);
  });

  it('bindTimeoutMs closes a connection that does not bind (smsorg)', async () => {
    const sim = await startSimulator({ profile: { name: 'smsorg-like', bindTimeoutMs: 20 } });
    const client = await connectClient(sim);
    await client.closed;
    expect(client.received).toEqual([]);
  });

  it('responseTimeoutMs closes, without unbind, a session that leaves a server request unanswered', async () => {
    const sim = await startSimulator({ profile: { name: 'smsorg-like', responseTimeoutMs: 20 } });
    const client = await boundClient(sim, 'transceiver', { answerDeliverSm: false });
    const delivery = sim.sendMo({ from: '1', to: '2', text: 'hi' });
    await expect(delivery).rejects.toSatisfy((error: unknown) => TidingsError.is(error, ErrorCode.ConnectionLost));
    await client.closed;
    expect(client.received.some((pdu) => pdu.command === 'unbind')).toBe(false);
  });

  it('idleTimeoutMs closes a session without traffic (SMSC)', async () => {
    const sim = await startSimulator({ profile: { name: 'smsc-like', idleTimeoutMs: 20 } });
    const client = await boundClient(sim);
    await client.closed;
    expect(sim.sessions[0]?.bindMode).toBe('transceiver');
  });
});
