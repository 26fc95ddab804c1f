import { Buffer } from 'node:buffer';
import { createTidings, type DeliveryReport, type MessageEvent, type Tidings } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { TlvRegistry } from '@tidings/transport-smpp';
import type { SimulatorEventOf, SmscSimulator } from '@tidings/transport-smpp/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanupList,
  notice,
  optionsFor,
  otp,
  recordingLogger,
  sendContext,
  startEngageLab,
} from './engagelab.test-helper.js';
import { engagelabChannel } from './engagelab-plugin.js';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

async function runtime(sim: SmscSimulator): Promise<Tidings> {
  const tidings = (await createTidings({ plugins: [engagelabChannel(optionsFor(sim))] })) as unknown as Tidings;
  cleanups.add(() => tidings.stop({ timeoutMs: 1000 }));
  return tidings;
}

describe('EngageLab delivery reports (deliver_sm, esm_class 0)', () => {
  it('DELIVRD: the report is shaped as the page says and the message ends delivered', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const receipts: SimulatorEventOf<'receipt'>[] = [];
    sim.on('receipt', (event) => receipts.push(event));
    const tidings = await runtime(sim);

    const handle = await tidings.send('engagelab', otp);
    const terminal = await handle.settled;
    expect(terminal.type).toBe('delivered');

    const [receipt] = receipts;
    expect(receipt?.pdu).toMatchObject({
      service_type: 'MSG',
      source_addr: '',
      destination_addr: '+6598765432',
      data_coding: 0,
      esm_class: 0x00,
    });
    const tlvs = TlvRegistry.standard;
    expect(tlvs.read(receipt?.pdu.tlvs, 'receipted_message_id')).toBe(receipt?.messageId);
    expect(tlvs.read(receipt?.pdu.tlvs, 'message_state')).toBe(2);
    expect(Buffer.from(receipt?.pdu.short_message ?? []).toString('latin1')).toMatch(/^id:\S+ .*stat:DELIVRD/);
    expect(terminal.type === 'delivered' && terminal.providerMessageId).toBe(receipt?.messageId);
    // Every deliver_sm is answered with deliver_sm_resp.
    const answers = await sim.waitFor({ command: 'deliver_sm_resp' });
    expect(answers).toEqual([
      expect.objectContaining({ command_status: 0, sequence_number: receipt?.pdu.sequence_number }),
    ]);
  });

  it('UNDELIV: the message ends undelivered', async () => {
    const sim = await startEngageLab({}, { receipts: { stat: 'UNDELIV', err: 1 } });
    cleanups.add(() => sim.stop());
    const tidings = await runtime(sim);
    const events: MessageEvent[] = [];
    tidings.events$.subscribe((event) => events.push(event));
    const terminal = await (await tidings.send('engagelab', notice)).settled;
    expect(terminal.type).toBe('undelivered');
    expect(terminal.type === 'undelivered' && terminal.report).toMatchObject({
      state: 'undelivered',
      errorCode: '001',
    });
    expect(events.map((event) => event.type)).toEqual(['queued', 'submitted', 'accepted', 'undelivered']);
  });

  it('a report recognised by its text alone (esm_class 0, no TLVs): DELIVRD and UNDELIV mapped', async () => {
    const sim = await startEngageLab({}, { receipts: { withTlvs: false } });
    cleanups.add(() => sim.stop());
    const channel = resolveChannel(engagelabChannel(optionsFor(sim)));
    const reports: DeliveryReport[] = [];
    channel.reports$.subscribe((report) => reports.push(report));
    await channel.start();
    cleanups.add(() => channel.stop());

    const first = await channel.send(otp, sendContext());
    const second = await channel.send(otp, sendContext(2));
    await sim.waitFor({ command: 'deliver_sm_resp', count: 2 });
    await sim.sendReceipt({ messageId: second.providerMessageId, stat: 'UNDELIV', options: { withTlvs: false } });
    expect(reports.map((report) => [report.providerMessageId, report.state])).toEqual([
      [first.providerMessageId, 'delivered'],
      [second.providerMessageId, 'delivered'],
      [second.providerMessageId, 'undelivered'],
    ]);
    expect(reports.every((report) => report.extras?.esmClass === 0)).toBe(true);
  });

  it('a report recognised by its TLVs alone (receipted_message_id, message_state)', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const channel = resolveChannel(engagelabChannel(optionsFor(sim)));
    const reports: DeliveryReport[] = [];
    channel.reports$.subscribe((report) => reports.push(report));
    await channel.start();
    cleanups.add(() => channel.stop());
    const { providerMessageId } = await channel.send(otp, sendContext());
    await sim.waitFor({ command: 'deliver_sm_resp' });
    const answer = await sim.sendPdu(sim.sessions[0]?.id ?? 0, {
      command: 'deliver_sm',
      service_type: 'MSG',
      source_addr_ton: 0,
      source_addr_npi: 0,
      source_addr: '',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '+6598765432',
      esm_class: 0,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: 0,
      sm_default_msg_id: 0,
      short_message: new Uint8Array(0),
      tlvs: [
        TlvRegistry.standard.encode('receipted_message_id', providerMessageId),
        TlvRegistry.standard.encode('message_state', 5),
      ],
    });
    expect(answer).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    expect(reports.at(-1)).toMatchObject({ providerMessageId, state: 'undelivered' });
  });

  it('a deliver_sm that is no report is answered and dropped with a warning (EngageLab sends no MO)', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const logger = recordingLogger();
    const channel = resolveChannel(engagelabChannel(optionsFor(sim)), { logger });
    const inbound: unknown[] = [];
    const reports: unknown[] = [];
    channel.inbound$.subscribe((message) => inbound.push(message));
    channel.reports$.subscribe((report) => reports.push(report));
    await channel.start();
    cleanups.add(() => channel.stop());
    const delivery = await sim.sendMo({ from: '+6598765432', to: 'ACME', text: 'my id: 4471 stat: call me' });
    expect(delivery.responses.map((response) => response.command_status)).toEqual([0]);
    expect(inbound).toEqual([]);
    expect(reports).toEqual([]);
    expect(logger.lines.some((line) => line.includes('not a delivery report'))).toBe(true);
  });
});
