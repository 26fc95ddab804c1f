import { Buffer } from 'node:buffer';
import { ErrorCode, type Logger, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { encodePdu } from '../pdu/codec.js';
import { CommandStatus } from '../pdu/command-status.js';
import type { BindResp, MessageIdResp, Pdu, QuerySmResp } from '../pdu/pdu.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { boundClient, connectClient, RawClient, startSimulator } from './raw-client.test-helper.js';
import type { SimulatorEvent } from './simulator-events.js';
import { SmscSimulator } from './smsc-simulator.js';

function query(client: RawClient, messageId: string): Promise<QuerySmResp> {
  return client.request({
    command: 'query_sm',
    command_status: 0,
    sequence_number: client.nextSequence(),
    message_id: messageId,
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '15550001',
  }) as Promise<QuerySmResp>;
}

function enquireLink(client: RawClient): Promise<Pdu> {
  return client.request({ command: 'enquire_link', command_status: 0, sequence_number: client.nextSequence() });
}

describe('SmscSimulator lifecycle', () => {
  it('listens on 127.0.0.1 and a free port by default', async () => {
    const sim = await startSimulator();
    expect(sim.host).toBe('127.0.0.1');
    expect(sim.port).toBeGreaterThan(0);
    expect(sim.address).toBe(`127.0.0.1:${sim.port}`);
    expect(sim.tls).toBe(false);
  });

  it('refuses invalid options, naming each problem', async () => {
    const attempt = SmscSimulator.start({ port: -1, window: 0, accounts: [{ systemId: '', password: 'x' }] });
    await expect(attempt).rejects.toSatisfy(
      (error: unknown) =>
        TidingsError.is(error, ErrorCode.InvalidOptions) &&
        error.message.includes('port') &&
        error.message.includes('window') &&
        error.message.includes('systemId'),
    );
  });

  it('refuses options of the wrong type from a JavaScript caller with TIDINGS_INVALID_OPTIONS, not a TypeError', async () => {
    const start = SmscSimulator.start as unknown as (options: unknown) => Promise<SmscSimulator>;
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [null, 'expected an object'],
      ['127.0.0.1:2775', 'expected an object'],
      [{ port: '2775' }, 'port'],
      [{ host: 5 }, 'host'],
      [{ accounts: 'test' }, 'accounts'],
      [{ accounts: [null] }, 'accounts[0]'],
      [{ faults: 'throttle' }, 'faults'],
      [{ receipts: 'fast' }, 'receipts'],
      [{ profile: 'engagelab' }, 'profile'],
      [{ maxFrameBytes: 3 }, 'maxFrameBytes'],
      [{ tls: { key: 'not a PEM key', cert: 'not a PEM cert' } }, 'tls'],
    ];
    for (const [options, named] of cases) {
      const error = await start(options).then(
        async (sim) => {
          await sim.stop();
          return undefined;
        },
        (thrown: unknown) => thrown,
      );
      expect(TidingsError.is(error, ErrorCode.InvalidOptions), `${JSON.stringify(options)}: ${String(error)}`).toBe(
        true,
      );
      expect((error as TidingsError).message).toContain(named);
    }
  });

  it('fails to start with TIDINGS_START_FAILED when the port is taken', async () => {
    const first = await startSimulator();
    await expect(SmscSimulator.start({ port: first.port })).rejects.toSatisfy((error: unknown) =>
      TidingsError.is(error, ErrorCode.StartFailed),
    );
  });

  it('stop closes every session, is idempotent, and completes events$', async () => {
    const sim = await SmscSimulator.start();
    const client = await RawClient.connect(sim);
    await client.bind();
    let completed = false;
    sim.events$.subscribe({ complete: () => (completed = true) });
    const first = sim.stop();
    expect(sim.stop()).toBe(first);
    await first;
    await client.closed;
    expect(client.isClosed).toBe(true);
    expect(completed).toBe(true);
    expect(sim.sessions[0]?.state).toBe('closed');
  });
});

describe('bind', () => {
  it.each(['transmitter', 'receiver', 'transceiver'] as const)(
    'accepts bind_%s with the default account',
    async (mode) => {
      const sim = await startSimulator();
      const binds: SimulatorEvent[] = [];
      sim.on('bind', (event) => binds.push(event));
      const client = await connectClient(sim);
      const response = await client.bind(mode);
      expect(response.command).toBe(`bind_${mode}_resp`);
      expect(response.command_status).toBe(CommandStatus.ESME_ROK);
      expect(response.system_id).toBe('TidingsSMSC');
      expect(TlvRegistry.standard.read(response.tlvs, 'sc_interface_version')).toBe(0x34);
      const [session] = sim.sessions;
      expect(session).toMatchObject({ id: 1, state: 'bound', bindMode: mode, systemId: 'test', tls: false });
      expect(binds).toEqual([expect.objectContaining({ type: 'bind', systemId: 'test', mode })]);
      expect(sim.stats.binds).toBe(1);
    },
  );

  it('reports the remote port of each session', async () => {
    const sim = await startSimulator();
    await boundClient(sim);
    const [session] = sim.sessions;
    expect(session?.remoteAddress).toBe('127.0.0.1');
    expect(session?.remotePort).toBeGreaterThan(0);
  });

  it.each([
    ['a wrong password', 'test', 'wrong', CommandStatus.ESME_RINVPASWD],
    ['an unknown system_id', 'nobody', 'secret', CommandStatus.ESME_RINVSYSID],
  ])('refuses %s', async (_case, systemId, password, status) => {
    const sim = await startSimulator();
    const client = await connectClient(sim);
    const response = await client.bind('transceiver', systemId, password);
    expect(response.command_status).toBe(status);
    expect(sim.sessions[0]?.state).toBe('open');
    expect(sim.stats.bindsRefused).toBe(1);
  });

  it('refuses a bind mode the account does not allow with ESME_RBINDFAIL', async () => {
    const sim = await startSimulator({ accounts: [{ systemId: 'tx', password: 'pw', bindModes: ['transmitter'] }] });
    const client = await connectClient(sim);
    expect((await client.bind('receiver', 'tx', 'pw')).command_status).toBe(CommandStatus.ESME_RBINDFAIL);
    expect((await client.bind('transmitter', 'tx', 'pw')).command_status).toBe(CommandStatus.ESME_ROK);
  });

  it('refuses binds beyond maxBinds, and accepts again once a session closed', async () => {
    const sim = await startSimulator({ accounts: [{ systemId: 'one', password: 'pw', maxBinds: 1 }] });
    const first = await connectClient(sim);
    expect((await first.bind('transceiver', 'one', 'pw')).command_status).toBe(0);
    const second = await connectClient(sim);
    expect((await second.bind('transceiver', 'one', 'pw')).command_status).toBe(CommandStatus.ESME_RBINDFAIL);
    await first.unbind();
    expect((await second.bind('transceiver', 'one', 'pw')).command_status).toBe(0);
  });

  it('answers a second bind on a bound session with ESME_RALYBND', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    expect((await client.bind()).command_status).toBe(CommandStatus.ESME_RALYBND);
  });

  it('refuses every bind with the bindFailure fault', async () => {
    const sim = await startSimulator({ faults: { bindFailure: CommandStatus.ESME_RSYSERR } });
    const client = await connectClient(sim);
    expect((await client.bind()).command_status).toBe(CommandStatus.ESME_RSYSERR);
    sim.faults.clear('bindFailure');
    expect((await client.bind()).command_status).toBe(0);
  });

  it('closes the socket without a response on bad credentials with silentCloseOnBadCredentials', async () => {
    const sim = await startSimulator({ faults: { silentCloseOnBadCredentials: true } });
    const refused: SimulatorEvent[] = [];
    sim.on('bindRefused', (event) => refused.push(event));
    const client = await connectClient(sim);
    await expect(client.bind('transceiver', 'test', 'wrong')).rejects.toThrow('connection closed');
    expect(client.received).toEqual([]);
    expect(refused).toEqual([expect.objectContaining({ systemId: 'test', status: 'closed' })]);
    // Good credentials still bind.
    await boundClient(sim);
  });

  it('never logs passwords', async () => {
    const lines: string[] = [];
    const record = (message: string, fields?: object): void => {
      lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    };
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const sim = await startSimulator({ logger, accounts: [{ systemId: 'acct', password: 'pw12345' }] });
    const client = await connectClient(sim);
    await client.bind('transceiver', 'acct', 'wrongpw');
    await client.bind('transceiver', 'acct', 'pw12345');
    expect(lines.some((line) => line.includes('bound'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/pw12345|wrongpw/);
  });
});

describe('submit_sm and data_sm', () => {
  it('answers a submit with a decimal message id by default', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const first = await client.submit();
    const second = await client.submit();
    expect(first).toMatchObject({ command: 'submit_sm_resp', command_status: 0, message_id: '1000000001' });
    expect(second.message_id).toBe('1000000002');
    expect(sim.message('1000000001')).toMatchObject({ systemId: 'test', destinationAddr: '15550002', stat: 'DELIVRD' });
    expect(sim.stats.submitResponses.get(0)).toBe(2);
  });

  it.each([
    ['hex', /^[0-9a-f]+$/],
    ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/],
  ] as const)('writes %s ids when asked', async (messageIds, pattern) => {
    const sim = await startSimulator({ messageIds });
    const client = await boundClient(sim);
    expect((await client.submit()).message_id).toMatch(pattern);
  });

  it('takes ids from a function of the message count', async () => {
    const sim = await startSimulator({ messageIds: (n) => `msg-${n}` });
    const client = await boundClient(sim);
    expect((await client.submit()).message_id).toBe('msg-1');
    expect((await client.submit()).message_id).toBe('msg-2');
  });

  it('answers data_sm with data_sm_resp', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const response = (await client.request({
      command: 'data_sm',
      command_status: 0,
      sequence_number: client.nextSequence(),
      service_type: '',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '15550001',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '15550002',
      esm_class: 0,
      registered_delivery: 0,
      data_coding: 0,
      tlvs: [TlvRegistry.standard.encode('message_payload', Buffer.from('hi'))],
    })) as MessageIdResp;
    expect(response).toMatchObject({ command: 'data_sm_resp', command_status: 0, message_id: '1000000001' });
  });

  it('answers a submit before bind with ESME_RINVBNDSTS', async () => {
    const sim = await startSimulator();
    const client = await connectClient(sim);
    expect((await client.submit()).command_status).toBe(CommandStatus.ESME_RINVBNDSTS);
    expect(sim.stats.submits).toBe(0);
  });

  it('answers a submit on a receiver session with ESME_RINVBNDSTS', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim, 'receiver');
    expect((await client.submit()).command_status).toBe(CommandStatus.ESME_RINVBNDSTS);
  });

  it('handles thousands of pipelined submits on one connection, in order', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const count = 5000;
    const sequences: number[] = [];
    for (let index = 0; index < count; index++) sequences.push(client.send(client.submitPdu()));
    const responses = await client.take('submit_sm_resp', count, 20_000);
    expect(responses.map((response) => response.sequence_number)).toEqual(sequences);
    expect(new Set(responses.map((response) => (response as MessageIdResp).message_id)).size).toBe(count);
    expect(sim.stats.submits).toBe(count);
  });
});

describe('query_sm', () => {
  it('reports the final state of a delivered message', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const { message_id } = await client.submit();
    const response = await query(client, message_id);
    expect(response).toMatchObject({ command_status: 0, message_id, message_state: 2, error_code: 0 });
    expect(response.final_date).toMatch(/^\d{12}\d00\+$/);
  });

  it('reports ENROUTE before the receipt is due', async () => {
    const sim = await startSimulator({ receipts: { delayMs: 60_000 } });
    const client = await boundClient(sim);
    const { message_id } = await client.submit({ registered_delivery: 1 });
    expect(await query(client, message_id)).toMatchObject({ command_status: 0, message_state: 1, final_date: '' });
  });

  it('reports the stat and err of an undelivered message', async () => {
    const sim = await startSimulator({ receipts: { stat: 'UNDELIV', err: 11 } });
    const client = await boundClient(sim);
    const { message_id } = await client.submit();
    expect(await query(client, message_id)).toMatchObject({ message_state: 5, error_code: 11 });
  });

  it('answers ESME_RQUERYFAIL for an unknown id and for another account’s message', async () => {
    const sim = await startSimulator({
      accounts: [
        { systemId: 'a', password: 'pw' },
        { systemId: 'b', password: 'pw' },
      ],
    });
    const a = await connectClient(sim);
    await a.bind('transceiver', 'a', 'pw');
    const b = await connectClient(sim);
    await b.bind('transceiver', 'b', 'pw');
    const { message_id } = await a.submit();
    expect((await query(a, 'no-such-id')).command_status).toBe(CommandStatus.ESME_RQUERYFAIL);
    expect((await query(b, message_id)).command_status).toBe(CommandStatus.ESME_RQUERYFAIL);
    expect((await query(a, message_id)).command_status).toBe(0);
  });
});

describe('session commands', () => {
  it('answers enquire_link, also before bind', async () => {
    const sim = await startSimulator();
    const client = await connectClient(sim);
    expect(await enquireLink(client)).toMatchObject({ command: 'enquire_link_resp', command_status: 0 });
    expect(sim.stats.enquireLinks).toBe(1);
  });

  it('answers unbind with unbind_resp, then closes the connection', async () => {
    const sim = await startSimulator();
    const closed = new Promise((resolve) => sim.on('close', resolve));
    const client = await boundClient(sim);
    const response = await client.unbind();
    expect(response).toMatchObject({ command: 'unbind_resp', command_status: 0 });
    await closed;
    expect(client.isClosed).toBe(true);
    expect(sim.sessions[0]?.state).toBe('closed');
  });

  it('answers an unknown command id with generic_nack ESME_RINVCMDID', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const frame = Buffer.alloc(16);
    frame.writeUInt32BE(16, 0);
    frame.writeUInt32BE(0x00000099, 4);
    frame.writeUInt32BE(77, 12);
    client.writeRaw(frame);
    const nack = await client.next('generic_nack');
    expect(nack).toMatchObject({ command_status: CommandStatus.ESME_RINVCMDID, sequence_number: 77 });
  });

  it('answers cancel_sm (not supported) with generic_nack ESME_RINVCMDID', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const response = await client.request({
      command: 'cancel_sm',
      command_status: 0,
      sequence_number: client.nextSequence(),
      service_type: '',
      message_id: '1',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '',
      dest_addr_ton: 0,
      dest_addr_npi: 0,
      destination_addr: '',
    });
    expect(response).toMatchObject({ command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDID });
  });
});

describe('garbage from clients', () => {
  it('closes a connection whose command_length is impossible, records it, and keeps serving', async () => {
    const sim = await startSimulator();
    const errors: SimulatorEvent[] = [];
    sim.on('protocolError', (event) => errors.push(event));
    const bad = await boundClient(sim);
    bad.writeRaw(Buffer.from([0x00, 0x00, 0x00, 0x05, 0xff, 0xff, 0xff, 0xff]));
    await bad.closed;
    expect(sim.protocolErrors).toHaveLength(1);
    expect(sim.protocolErrors[0]?.error.code).toBe(ErrorCode.ProtocolError);
    expect(sim.stats.protocolErrors).toBe(1);
    expect(errors).toHaveLength(1);
    const good = await boundClient(sim);
    expect((await good.submit()).command_status).toBe(0);
  });

  it('answers a frame with a malformed body with generic_nack and keeps the session', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    // A submit_sm whose body stops in the middle of service_type (no NUL).
    const frame = Buffer.alloc(20);
    frame.writeUInt32BE(20, 0);
    frame.writeUInt32BE(0x00000004, 4);
    frame.writeUInt32BE(9, 12);
    frame.write('ABCD', 16, 'latin1');
    client.writeRaw(frame);
    expect(await client.next('generic_nack')).toMatchObject({
      command_status: CommandStatus.ESME_RINVCMDLEN,
      sequence_number: 9,
    });
    expect(sim.stats.protocolErrors).toBe(1);
    expect((await client.submit()).command_status).toBe(0);
  });

  it('survives a client that sends random bytes and vanishes', async () => {
    const sim = await startSimulator();
    for (let round = 0; round < 5; round++) {
      const client = await connectClient(sim);
      client.writeRaw(Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\n\r\n${round}`));
      client.close();
    }
    const client = await boundClient(sim);
    expect((await client.submit()).command_status).toBe(0);
  });
});

describe('recording', () => {
  it('records every PDU received, in order, with session and system_id', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    await client.submit({ destination_addr: '111' });
    await enquireLink(client);
    await client.submit({ destination_addr: '222' });
    expect(sim.received.map((record) => record.pdu.command)).toEqual([
      'bind_transceiver',
      'submit_sm',
      'enquire_link',
      'submit_sm',
    ]);
    expect(sim.received.every((record) => record.sessionId === 1 && record.systemId === 'test')).toBe(true);
    expect(sim.pdus({ command: 'submit_sm' }).map((submit) => submit.destination_addr)).toEqual(['111', '222']);
    expect(sim.pdus({ command: 'submit_sm', where: (submit) => submit.destination_addr === '222' })).toHaveLength(1);
    sim.clearReceived();
    expect(sim.received).toEqual([]);
  });

  it('waitFor resolves once enough matching PDUs arrived, counting earlier ones', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    await client.submit({ destination_addr: '1' });
    const waiting = sim.waitFor({ command: 'submit_sm', count: 3 });
    client.send(client.submitPdu({ destination_addr: '2' }));
    client.send(client.submitPdu({ destination_addr: '3' }));
    const submits = await waiting;
    expect(submits.map((submit) => submit.destination_addr)).toEqual(['1', '2', '3']);
  });

  it('waitFor takes a predicate on the records', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const waiting = sim.waitFor((record) => record.pdu.command === 'enquire_link' && record.systemId === 'test');
    await enquireLink(client);
    const [record] = await waiting;
    expect(record?.sessionId).toBe(1);
  });

  it('waitFor rejects with TIDINGS_TIMEOUT saying how many matched', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    await client.submit();
    await expect(sim.waitFor({ command: 'submit_sm', count: 2 }, { timeoutMs: 50 })).rejects.toSatisfy(
      (error: unknown) => TidingsError.is(error, ErrorCode.Timeout) && error.message.includes('1 of 2'),
    );
  });

  it('keeps only the most recent maxRecordedPdus', async () => {
    const sim = await startSimulator({ maxRecordedPdus: 3 });
    const client = await boundClient(sim);
    for (let index = 0; index < 5; index++) await client.submit({ destination_addr: String(index) });
    expect(sim.pdus({ command: 'submit_sm' }).map((submit) => submit.destination_addr)).toEqual(['2', '3', '4']);
  });

  it('lists sessions open and closed, and counts', async () => {
    const sim = await startSimulator();
    const first = await boundClient(sim, 'transmitter');
    await first.submit();
    await first.unbind();
    await boundClient(sim, 'receiver');
    expect(sim.sessions.map(({ id, state, bindMode, submits }) => ({ id, state, bindMode, submits }))).toEqual([
      { id: 1, state: 'closed', bindMode: 'transmitter', submits: 1 },
      { id: 2, state: 'bound', bindMode: 'receiver', submits: 0 },
    ]);
    expect(sim.stats).toMatchObject({ connections: 2, binds: 2, submits: 1 });
  });

  it('emits submit events with the decision', async () => {
    const sim = await startSimulator();
    const submits: SimulatorEvent[] = [];
    const off = sim.on('submit', (event) => submits.push(event));
    const client = await boundClient(sim);
    const { message_id } = await client.submit();
    off();
    await client.submit();
    expect(submits).toEqual([expect.objectContaining({ type: 'submit', status: 0, messageId: message_id })]);
  });
});

describe('sending to clients', () => {
  it('sendPdu sends a request and resolves with the answer', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const answer = await sim.sendPdu('test', { command: 'enquire_link' });
    expect(answer).toMatchObject({ command: 'enquire_link_resp', command_status: 0 });
    expect(await client.next('enquire_link')).toBeDefined();
  });

  it('sendPdu sends a response as is', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    await expect(
      sim.sendPdu(1, { command: 'generic_nack', command_status: CommandStatus.ESME_RSYSERR, sequence_number: 42 }),
    ).resolves.toBeUndefined();
    expect(await client.next('generic_nack')).toMatchObject({
      command_status: CommandStatus.ESME_RSYSERR,
      sequence_number: 42,
    });
  });

  it('sendPdu rejects when no session matches', async () => {
    const sim = await startSimulator();
    await expect(sim.sendPdu('nobody', { command: 'enquire_link' })).rejects.toSatisfy((error: unknown) =>
      TidingsError.is(error, ErrorCode.ConnectionLost),
    );
  });

  it('sendRaw writes bytes as they are', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    sim.sendRaw(encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: 5 }), 1);
    expect(await client.next('enquire_link')).toMatchObject({ sequence_number: 5 });
  });

  it('bind responses carry the configured system_id', async () => {
    const sim = await startSimulator({ systemId: 'MySMSC' });
    const client = await connectClient(sim);
    expect(((await client.bind()) as BindResp).system_id).toBe('MySMSC');
  });
});
