import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import {
  createTidings,
  ErrorCode,
  type InboundMessage,
  type MessageEvent,
  type Tidings,
  TidingsError,
} from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { describeChannelContract } from '@tidings/core/testing/vitest';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseUdh } from '../encoding/udh.js';
import { CommandStatus } from '../pdu/command-status.js';
import type { SubmitSm } from '../pdu/pdu.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { type ReceiptOptions, SmscSimulator, type SmscSimulatorOptions } from '../simulator/index.js';
import { connectionTo, type TestSmsChannel, type TestSmsOptions, testSms } from './test-sms-channel.test-helper.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start(options);
  cleanups.push(() => sim.stop());
  return sim;
}

async function runtime(
  sim: SmscSimulator,
  options: Partial<TestSmsOptions> = {},
): Promise<{ tidings: Tidings; events: MessageEvent[] }> {
  const plugin = testSms('sms', { connection: connectionTo(sim), sender: 'Tidings', ...options });
  const tidings = (await createTidings({ plugins: [plugin] })) as unknown as Tidings;
  cleanups.push(() => tidings.stop({ timeoutMs: 2_000 }));
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return { tidings, events };
}

const submits = (sim: SmscSimulator): SubmitSm[] =>
  sim.received.flatMap((record) => (record.pdu.command === 'submit_sm' ? [record.pdu] : []));

describeChannelContract('an SMPP channel built on SmppChannel, against the simulator', {
  setup: async () => {
    const sim = await SmscSimulator.start();
    return {
      plugin: testSms('contract', { connection: connectionTo(sim), sender: 'Tidings' }),
      teardown: () => sim.stop(),
    };
  },
  validMessage: (i) => ({ to: `+1555000${i}`, text: `Your code is ${1000 + i}` }),
  invalidMessages: [
    { label: 'no recipient', message: { text: 'hi' } },
    { label: 'a text longer than 255 parts', message: { to: '+15550000', text: 'x'.repeat(153 * 255 + 1) } },
    { label: 'a lone surrogate', message: { to: '+15550000', text: 'bad \ud800 text' } },
  ],
});

describe('SmppChannel: text on the wire', () => {
  it('sends a GSM text that fits one SMS as one submit_sm, data_coding 0, no UDH', async () => {
    const sim = await simulator();
    const { tidings } = await runtime(sim);
    const handle = await tidings.send('sms', { to: '+15550001', text: 'a'.repeat(160) });
    await handle.accepted;
    const [submit] = submits(sim);
    expect(submit?.data_coding).toBe(0);
    expect((submit?.esm_class ?? 0) & 0x40).toBe(0);
    expect(submit?.short_message).toHaveLength(160);
    expect(submit?.destination_addr).toBe('15550001');
    expect(submit?.registered_delivery).toBe(1);
  });

  it('splits a long text with an 8-bit reference UDH and settles only when every part is delivered', async () => {
    const sim = await simulator({ receipts: { delayMs: 5 } });
    const { tidings } = await runtime(sim);
    const handle = await tidings.send('sms', { to: '+15550001', text: 'b'.repeat(161) });
    const accepted = await handle.accepted;
    const parts = submits(sim);
    expect(parts).toHaveLength(2);
    const headers = parts.map((part) => parseUdh(part.short_message));
    expect(parts.every((part) => (part.esm_class & 0x40) === 0x40)).toBe(true);
    expect(headers.map((h) => [h?.concat?.total, h?.concat?.sequence, h?.concat?.referenceBits])).toEqual([
      [2, 1, 8],
      [2, 2, 8],
    ]);
    expect(headers[0]?.concat?.reference).toBe(headers[1]?.concat?.reference);
    expect(headers.map((h) => h?.payload.length)).toEqual([153, 8]);
    expect(accepted.type).toBe('accepted');
    const settled = await handle.settled;
    expect(settled.type).toBe('delivered');
  });

  it('uses SAR TLVs or one message_payload when the channel says so', async () => {
    const sim = await simulator();
    const sar = await runtime(sim, { encoding: { concatenation: 'sar' } });
    await (await sar.tidings.send('sms', { to: '+15550001', text: 'c'.repeat(200) })).accepted;
    const sarParts = submits(sim);
    expect(sarParts).toHaveLength(2);
    const tlvs = TlvRegistry.standard;
    expect(
      sarParts.map((p) => [tlvs.read(p.tlvs, 'sar_total_segments'), tlvs.read(p.tlvs, 'sar_segment_seqnum')]),
    ).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(sarParts.every((p) => (p.esm_class & 0x40) === 0)).toBe(true);
    sim.clearReceived();
    await sar.tidings.stop();
    const payload = await runtime(sim, { encoding: { concatenation: 'payload' } });
    await (await payload.tidings.send('sms', { to: '+15550001', text: 'Привет, '.repeat(30) })).accepted;
    const [one, ...rest] = submits(sim);
    expect(rest).toHaveLength(0);
    expect(one?.data_coding).toBe(8);
    expect(one?.short_message).toHaveLength(0);
    expect((tlvs.read(one?.tlvs, 'message_payload') as Uint8Array).length).toBe('Привет, '.length * 30 * 2);
  });

  it('picks UCS2 for text outside GSM and Latin-1, and refuses a text the pinned alphabet cannot carry before sending', async () => {
    const sim = await simulator();
    const { tidings } = await runtime(sim, { encoding: { allowed: ['gsm7', 'ucs2'] } });
    await (await tidings.send('sms', { to: '+15550001', text: 'Код 1234 🙂' })).accepted;
    expect(submits(sim)[0]?.data_coding).toBe(8);
    const pinned = await runtime(sim, { encoding: { pinned: 'gsm7' } });
    await expect(pinned.tidings.send('sms', { to: '+15550001', text: 'Код' })).rejects.toMatchObject({
      code: 'TIDINGS_INVALID_MESSAGE',
    });
    expect(submits(sim)).toHaveLength(1);
  });
});

describe('SmppChannel: message fields', () => {
  it('maps validitySeconds to a relative validity_period and priority to priority_flag', async () => {
    const sim = await simulator();
    const { tidings } = await runtime(sim);
    await (await tidings.send('sms', { to: '+15550001', text: 'hi', validitySeconds: 300, priority: 2 })).accepted;
    const [submit] = submits(sim);
    expect(submit?.validity_period).toBe('000000000500000R');
    expect(submit?.priority_flag).toBe(2);
    await expect(tidings.send('sms', { to: '+15550001', text: 'hi', priority: 7 })).rejects.toMatchObject({
      code: 'TIDINGS_INVALID_MESSAGE',
    });
    expect(submits(sim)).toHaveLength(1);
  });
});

describe('SmppChannel: refusals become retry decisions', () => {
  it('retries a throttled submit after a pause and delivers it; a permanent refusal ends the message', async () => {
    const sim = await simulator({ faults: { throttle: { submits: 2 } } });
    const { tidings, events } = await runtime(sim);
    const handle = await tidings.send('sms', { to: '+15550001', text: 'hello' });
    expect((await handle.settled).type).toBe('delivered');
    expect(events.filter((e) => e.type === 'retrying' && e.messageId === handle.id)).toHaveLength(2);
    sim.faults.set({ rejectEveryNth: { n: 1, status: CommandStatus.ESME_RINVDSTADR } });
    const refused = await tidings.send('sms', { to: '+15550002', text: 'hello' });
    const end = await refused.settled;
    expect(end.type).toBe('rejected');
    expect(end.type === 'rejected' && end.error.providerStatus).toBe(CommandStatus.ESME_RINVDSTADR);
  });
});

describe('SmppChannel: delivery receipts in every variant', () => {
  const variants: Array<[string, ReceiptOptions, Partial<TestSmsOptions>]> = [
    ['with TLVs (receipted_message_id, message_state)', {}, {}],
    ['text only', { withTlvs: false }, {}],
    ['before the submit_sm_resp', { early: true }, {}],
    ['twice', { duplicate: true }, {}],
    [
      'whose text gives the id in hex while submit_sm_resp and receipted_message_id gave it in decimal',
      { idFormat: 'hex' },
      { messageIds: { submit: 'decimal', receipt: 'hex' } },
    ],
    [
      'text only, with the id in hex while submit_sm_resp gave it in decimal',
      { idFormat: 'hex', withTlvs: false },
      { messageIds: { submit: 'decimal', receipt: 'hex' } },
    ],
    [
      'whose receipted_message_id is converted to hex too (a non-conforming SMSC, declared by the channel)',
      { idFormat: 'hex', tlvIdFormat: 'hex' },
      { messageIds: { submit: 'decimal', receipt: 'hex', receiptTlv: 'hex' } },
    ],
    ['with esm_class 0 and no TLVs (EngageLab)', { esmClass: 0, withTlvs: false }, {}],
    ['with its text in UCS2 (data_coding 8)', { dataCoding: 8, withTlvs: false }, {}],
    [
      'with Text: capitalised and seconds in dates',
      { textVariant: { textLabel: 'Text', seconds: true }, withTlvs: false },
      {},
    ],
  ];
  for (const [label, receipts, channel] of variants) {
    it(`settles a message delivered by a receipt ${label}`, async () => {
      const sim = await simulator({ receipts });
      const { tidings, events } = await runtime(sim, channel);
      const handles = await Promise.all(
        Array.from({ length: 5 }, (_, i) => tidings.send('sms', { to: `+1555000${i}`, text: `code ${i}` })),
      );
      const settled = await Promise.all(handles.map((handle) => handle.settled));
      expect(settled.map((event) => event.type)).toEqual(Array(5).fill('delivered'));
      for (const handle of handles) {
        expect(events.filter((e) => e.messageId === handle.id && 'terminal' in e && e.terminal)).toHaveLength(1);
      }
    });
  }

  it('reports an undelivered receipt with its error code', async () => {
    const sim = await simulator({ receipts: { stat: 'UNDELIV', err: 11 } });
    const { tidings } = await runtime(sim);
    const handle = await tidings.send('sms', { to: '+15550001', text: 'hello' });
    const end = await handle.settled;
    expect(end.type).toBe('undelivered');
  });
});

describe('SmppChannel: vendor TLVs are per channel', () => {
  it('reads one tag with two meanings in two channels of one process', async () => {
    // The same two bytes on the wire: '1' and a NUL.
    const bytes = Uint8Array.of(0x31, 0x00);
    const simA = await simulator({ receipts: { tlvs: [{ tag: 0x1401, value: bytes }] } });
    const simB = await simulator({ receipts: { tlvs: [{ tag: 0x1401, value: bytes }] } });
    const a = testSms('a', {
      connection: connectionTo(simA),
      sender: 'A',
      vendorTlvs: [{ tag: 0x1401, name: 'operator_id', type: 'uint16' }],
    });
    const b = testSms('b', {
      connection: connectionTo(simB),
      sender: 'B',
      vendorTlvs: [{ tag: 0x1401, name: 'price', type: 'cstring' }],
    });
    const tidings = await createTidings({ plugins: [a, b] });
    cleanups.push(() => tidings.stop({ timeoutMs: 2_000 }));
    const [ha, hb] = await Promise.all([
      tidings.send('a', { to: '+15550001', text: 'x' }),
      tidings.send('b', { to: '+15550001', text: 'x' }),
    ]);
    const [ea, eb] = await Promise.all([ha.settled, hb.settled]);
    const tlvsOf = (event: MessageEvent) =>
      ('report' in event ? (event.report.extras?.tlvs ?? {}) : {}) as Record<string, unknown>;
    expect(tlvsOf(ea).operator_id).toBe(0x3100);
    expect(tlvsOf(eb).price).toBe('1');
  });
});

describe('SmppChannel: inbound', () => {
  for (const concatenation of ['udh8', 'udh16', 'sar', 'payload'] as const) {
    it(`reassembles a long MO sent with ${concatenation}`, async () => {
      const sim = await simulator();
      const { tidings } = await runtime(sim);
      const text = `Ответ: ${'да '.repeat(60)}🙂`;
      const received = firstValueFrom(tidings.inbound$);
      const delivery = await sim.sendMo({ from: '15557654321', to: 'Tidings', text, concatenation });
      if (concatenation !== 'payload') expect(delivery.pdus.length).toBeGreaterThan(1);
      const inbound: InboundMessage = await received;
      expect(inbound.text).toBe(text);
      expect(inbound.from).toBe('15557654321');
      expect(inbound.to).toBe('Tidings');
      expect(delivery.responses.every((r) => r.command_status === 0)).toBe(true);
    });
  }
});

describe('SmppChannel: a shared rate (beforeNextPart)', () => {
  it('waits at beforeNextPart before each part after the first, so a shared rate counts every submit_sm', async () => {
    const sim = await simulator();
    const channel = resolveChannel(
      testSms('paced', { connection: connectionTo(sim), sender: 'Tidings' }),
    ) as TestSmsChannel;
    await channel.start();
    cleanups.push(() => channel.stop());
    const gates: Array<() => void> = [];
    const sending = channel.send(
      { to: '+15550001', text: 'x'.repeat(400) }, // three GSM-7 parts
      {
        messageId: 'm1',
        attempt: 1,
        signal: new AbortController().signal,
        beforeNextPart: () => new Promise<void>((resolve) => gates.push(resolve)),
      },
    );
    // The first part goes at once; the second waits for the gate.
    await sim.waitFor({ command: 'submit_sm', count: 1 });
    await expect.poll(() => gates.length).toBe(1);
    expect(submits(sim)).toHaveLength(1);
    gates[0]?.();
    await sim.waitFor({ command: 'submit_sm', count: 2 });
    await expect.poll(() => gates.length).toBe(2);
    expect(submits(sim)).toHaveLength(2);
    gates[1]?.();
    const result = await sending;
    expect(result.parts).toBe(3);
    expect(gates).toHaveLength(2);
  });
});

describe('SmppChannel: query_sm', () => {
  it('asks the provider for a message state, and fails clearly for an unknown id', async () => {
    const sim = await simulator({ receipts: { stat: 'UNDELIV' } });
    const channel = resolveChannel(
      testSms('q', { connection: connectionTo(sim), sender: 'Tidings' }),
    ) as TestSmsChannel;
    await channel.start();
    cleanups.push(() => channel.stop());
    const reports = firstValueFrom(channel.reports$);
    const controller = new AbortController();
    const result = await channel.send(
      { to: '+15550001', text: 'hi' },
      { messageId: 'm1', attempt: 1, signal: controller.signal },
    );
    await reports;
    const state = await channel.queryMessage(result.providerMessageId);
    expect(state.providerMessageId).toBe(result.providerMessageId);
    expect(state.state).toBe('undelivered');
    expect(state.messageState).toBe(5);
    await expect(channel.queryMessage('no-such-id')).rejects.toMatchObject({
      code: 'TIDINGS_REJECTED',
      providerStatus: CommandStatus.ESME_RQUERYFAIL,
    });
    expect(sim.received.filter((r) => r.pdu.command === 'query_sm')).toHaveLength(2);
  });

  it('answers the runtime’s query() with a delivery report, without settling the message', async () => {
    const sim = await simulator({ receipts: { delayMs: 60_000 } });
    const { tidings, events } = await runtime(sim);
    const handle = await tidings.send('sms', { to: '+15550001', text: 'hi' });
    const { providerMessageId } = await handle.accepted;
    const report = await tidings.query('sms', providerMessageId);
    expect(report).toMatchObject({ providerMessageId, state: 'enroute', extras: { messageState: 1 } });
    const query = sim.received.find((r) => r.pdu.command === 'query_sm')?.pdu;
    expect(query && 'message_id' in query ? query.message_id : undefined).toBe(providerMessageId);
    expect(events.filter((e) => e.messageId === handle.id).map((e) => e.type)).toEqual([
      'queued',
      'submitted',
      'accepted',
    ]);
  });
});

describe('SmppChannel: start', () => {
  /** A port on 127.0.0.1 nothing listens on: connecting is refused at once (ECONNREFUSED). */
  async function closedPort(): Promise<number> {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  }

  it('connection.startTimeoutMs (the host’s) bounds start over the channel’s default: closed port → TIDINGS_START_FAILED', async () => {
    const port = await closedPort();
    // The channel's own default is 5 s; the host's option wins.
    const plugin = testSms('sms', {
      connection: { host: '127.0.0.1', port, systemId: 'test', password: 'secret', startTimeoutMs: 300 },
      sender: 'Tidings',
      startTimeoutMs: 5_000,
    });
    const error = await createTidings({ plugins: [plugin] }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(TidingsError.is(error, ErrorCode.StartFailed), String(error)).toBe(true);
    const cause = (error as TidingsError).cause;
    expect(TidingsError.is(cause, ErrorCode.ConnectionLost), String(cause)).toBe(true);
    expect((cause as TidingsError).message).toMatch(/no SMPP session bound within 300 ms \(last error: .*ECONNREFUSED/);
  });
});
