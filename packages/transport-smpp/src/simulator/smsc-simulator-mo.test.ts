import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../encoding/text-codec.js';
import { parseUdh } from '../encoding/udh.js';
import { CommandStatus } from '../pdu/command-status.js';
import type { DeliverSm } from '../pdu/pdu.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { boundClient, connectClient, startSimulator } from './raw-client.test-helper.js';

const tlvs = TlvRegistry.standard;
const LONG_TEXT = 'The quick brown fox jumps over the lazy dog. '.repeat(8).trim(); // 359 GSM characters: 3 parts

describe('MO injection (sendMo)', () => {
  it('delivers a short text as one deliver_sm and resolves with the answer', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const delivery = await sim.sendMo({ from: '+15550009', to: '4242', text: 'STOP' });
    const [pdu] = client.received.filter((received) => received.command === 'deliver_sm') as DeliverSm[];
    expect(pdu).toMatchObject({
      source_addr: '+15550009',
      source_addr_ton: 1,
      destination_addr: '4242',
      esm_class: 0,
      data_coding: 0,
    });
    expect(decodeText(pdu?.short_message ?? new Uint8Array(), 0)).toBe('STOP');
    expect(delivery.sessionId).toBe(1);
    expect(delivery.responses).toEqual([expect.objectContaining({ command: 'deliver_sm_resp', command_status: 0 })]);
    expect(sim.stats.moSent).toBe(1);
  });

  it.each(['udh8', 'udh16'] as const)(
    'splits a long text with %s headers that reassemble to the text',
    async (concatenation) => {
      const sim = await startSimulator();
      const client = await boundClient(sim);
      await sim.sendMo({ from: 'Alice', to: '4242', text: LONG_TEXT, concatenation });
      const parts = client.received.filter((pdu) => pdu.command === 'deliver_sm') as DeliverSm[];
      expect(parts).toHaveLength(3);
      const headers = parts.map((part) => parseUdh(part.short_message));
      expect(parts.every((part) => part.esm_class === 0x40 && part.source_addr_ton === 5)).toBe(true);
      expect(headers.map((header) => header?.concat?.sequence)).toEqual([1, 2, 3]);
      expect(new Set(headers.map((header) => header?.concat?.reference)).size).toBe(1);
      expect(headers[0]?.concat?.referenceBits).toBe(concatenation === 'udh8' ? 8 : 16);
      expect(headers.map((header) => decodeText(header?.payload ?? new Uint8Array(), 0)).join('')).toBe(LONG_TEXT);
    },
  );

  it('splits with SAR TLVs', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    await sim.sendMo({ from: '15550009', to: '4242', text: LONG_TEXT, concatenation: 'sar' });
    const parts = client.received.filter((pdu) => pdu.command === 'deliver_sm') as DeliverSm[];
    expect(parts.map((part) => tlvs.read(part.tlvs, 'sar_segment_seqnum'))).toEqual([1, 2, 3]);
    expect(parts.map((part) => tlvs.read(part.tlvs, 'sar_total_segments'))).toEqual([3, 3, 3]);
    expect(parts.every((part) => part.esm_class === 0)).toBe(true);
    expect(parts.map((part) => decodeText(part.short_message, 0)).join('')).toBe(LONG_TEXT);
  });

  it('sends one PDU with message_payload, in UCS2 when asked', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    const text = `Привет ${LONG_TEXT}`;
    await sim.sendMo({ from: '15550009', to: '4242', text, concatenation: 'payload', alphabet: 'ucs2' });
    const parts = client.received.filter((pdu) => pdu.command === 'deliver_sm') as DeliverSm[];
    expect(parts).toHaveLength(1);
    expect(parts[0]?.data_coding).toBe(8);
    expect(parts[0]?.short_message).toHaveLength(0);
    expect(decodeText(tlvs.read(parts[0]?.tlvs, 'message_payload') as Uint8Array, 8)).toBe(text);
  });

  it('rejects with TIDINGS_REJECTED when the client answers a part with an error', async () => {
    const sim = await startSimulator();
    await boundClient(sim, 'transceiver', { answerDeliverSm: CommandStatus.ESME_RSYSERR });
    await expect(sim.sendMo({ from: '1', to: '2', text: 'hi' })).rejects.toSatisfy(
      (error: unknown) =>
        TidingsError.is(error, ErrorCode.Rejected) && error.providerStatus === CommandStatus.ESME_RSYSERR,
    );
    expect(sim.stats.moSent).toBe(0);
  });

  it('rejects with TIDINGS_CONNECTION_LOST when no receiver is bound', async () => {
    const sim = await startSimulator();
    await boundClient(sim, 'transmitter');
    await connectClient(sim);
    await expect(sim.sendMo({ from: '1', to: '2', text: 'hi' })).rejects.toSatisfy((error: unknown) =>
      TidingsError.is(error, ErrorCode.ConnectionLost),
    );
  });

  it('rejects when the session closes before the client answered', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim, 'receiver', { answerDeliverSm: false });
    const delivery = sim.sendMo({ from: '1', to: '2', text: 'hi' });
    await client.deliverSm();
    client.close();
    await expect(delivery).rejects.toSatisfy((error: unknown) => TidingsError.is(error, ErrorCode.ConnectionLost));
  });

  it('delivers to the account named by systemId', async () => {
    const sim = await startSimulator({
      accounts: [
        { systemId: 'a', password: 'pw' },
        { systemId: 'b', password: 'pw' },
      ],
    });
    const a = await connectClient(sim);
    await a.bind('receiver', 'a', 'pw');
    const b = await connectClient(sim);
    await b.bind('receiver', 'b', 'pw');
    const delivery = await sim.sendMo({ from: '1', to: '2', text: 'for b', systemId: 'b' });
    expect(delivery.sessionId).toBe(2);
    expect(b.received.some((pdu) => pdu.command === 'deliver_sm')).toBe(true);
    expect(a.received.some((pdu) => pdu.command === 'deliver_sm')).toBe(false);
  });

  it('keeps at most `window` deliver_sm unanswered per session', async () => {
    const sim = await startSimulator({ window: 2 });
    const client = await boundClient(sim, 'receiver', { answerDeliverSm: false });
    const delivery = sim.sendMo({ from: '1', to: '2', text: LONG_TEXT });
    const firstTwo = (await client.take('deliver_sm', 2)) as DeliverSm[];
    // The server answers this after writing anything it could: the third part is held back.
    await client.request({ command: 'enquire_link', command_status: 0, sequence_number: client.nextSequence() });
    expect(client.received.filter((pdu) => pdu.command === 'deliver_sm')).toHaveLength(2);
    for (const part of firstTwo) {
      client.send({
        command: 'deliver_sm_resp',
        command_status: 0,
        sequence_number: part.sequence_number,
        message_id: '',
      });
    }
    const third = (await client.deliverSm()) as DeliverSm;
    client.send({
      command: 'deliver_sm_resp',
      command_status: 0,
      sequence_number: third.sequence_number,
      message_id: '',
    });
    expect((await delivery).responses).toHaveLength(3);
  });
});
