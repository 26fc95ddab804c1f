import type { SendContext } from '@tidings/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CommandStatus } from '../pdu/command-status.js';
import type { SubmitSm } from '../pdu/pdu.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { defaultStatusTable, extendStatusTable } from '../status/status-table.js';
import { context, DirectChannel, simulator, startedChannel } from './edge-cases.test-helper.js';
import { connectionTo } from './test-sms-channel.test-helper.js';

const submits = (sim: { received: readonly { pdu: { command: string } }[] }): SubmitSm[] =>
  sim.received.flatMap((record) => (record.pdu.command === 'submit_sm' ? [record.pdu as SubmitSm] : []));

describe('SmppChannel: edge cases', () => {
  it('queryMessage(providerMessageId) finds a message whose provider writes ids in hex', async () => {
    const sim = await simulator({ messageIds: 'hex' });
    const channel = await startedChannel(sim, { messageIds: { submit: 'hex', receipt: 'hex' } });
    const result = await channel.send({ to: '+15550001', text: 'hi' }, context());
    // The id the host got back is the canonical (decimal) form; the SMSC only knows its hex id.
    const state = await channel.queryMessage(result.providerMessageId);
    expect(state.state).toBe('delivered');
  });

  it('validate() refuses what send() can only refuse: a sender address that does not encode', async () => {
    const sim = await simulator();
    const channel = await startedChannel(sim);
    const message = { to: '+15550001', text: 'hi', from: 'Тидингс' };
    const sent = channel.send(message, context()).then(
      () => 'accepted',
      (error: { code?: string }) => error.code,
    );
    expect(await sent).toBe('TIDINGS_INVALID_MESSAGE');
    // The channel contract: validate() throws TIDINGS_INVALID_MESSAGE for a message that cannot be sent as is.
    expect(() => channel.validate(message)).toThrow();
  });

  it('validate() refuses a plan whose TLVs do not encode (send() always throws for it)', async () => {
    const sim = await simulator();
    class WithTlv extends DirectChannel {
      protected override toSubmit(message: Parameters<DirectChannel['validate']>[0]) {
        return { ...super.toSubmit(message), tlvs: { user_message_reference: 70_000 } };
      }
    }
    const channel = new WithTlv({
      connection: { host: sim.host, port: sim.port, systemId: 'test', password: 'secret' },
    });
    const message = { to: '+15550001', text: 'hi' };
    expect(() => channel.validate(message)).toThrow();
  });

  it('an MO whose text happens to contain "id:" and "stat:" reaches inbound$, not reports$', async () => {
    const sim = await simulator();
    const channel = await startedChannel(sim);
    const delivery = await sim.sendMo({
      from: '15557654321',
      to: 'Tidings',
      text: 'My id: 4471 stat: please call back',
    });
    expect(delivery.responses.every((response) => response.command_status === 0)).toBe(true);
    expect(channel.reports).toEqual([]);
    expect(channel.inbound.map((message) => message.text)).toEqual(['My id: 4471 stat: please call back']);
  });

  it('a UCS2 receipt (data_coding 8) whose text: field is not ASCII is still read', async () => {
    const sim = await simulator({ receipts: { dataCoding: 8, withTlvs: false } });
    const channel = await startedChannel(sim);
    const result = await channel.send({ to: '+15550001', text: 'Ваш код 1234' }, context());
    await sim.waitFor({ command: 'deliver_sm_resp' });
    expect(channel.reports.map((report) => [report.providerMessageId, report.state])).toEqual([
      [result.providerMessageId, 'delivered'],
    ]);
  });

  it('a throttled part 2 of a long message is retried alone: part 1 is not sent twice', async () => {
    let throttledOnce = false;
    const sim = await simulator({
      profile: {
        name: 'throttle-part-2-once',
        onSubmit(submit) {
          const sm = (submit as SubmitSm).short_message;
          // UDH 05 00 03 ref total seq: throttle the first sight of part 2.
          if (!throttledOnce && sm[5] === 2) {
            throttledOnce = true;
            return { status: CommandStatus.ESME_RTHROTTLED };
          }
          return undefined;
        },
      },
    });
    const channel = await startedChannel(sim, {
      statusTable: extendStatusTable(defaultStatusTable, {
        [CommandStatus.ESME_RTHROTTLED]: { class: 'throttled', pauseMs: 20 },
      }),
    });
    const result = await channel.send({ to: '+15550001', text: 'p'.repeat(200) }, context());
    expect(result.parts).toBe(2);
    expect(result.partIds).toHaveLength(2);
    const parts = submits(sim).map((submit) => [submit.short_message[3], submit.short_message[5]]);
    // One part 1, part 2 twice (refused, then accepted), all with one reference.
    expect(parts.map(([, seq]) => seq)).toEqual([1, 2, 2]);
    expect(new Set(parts.map(([ref]) => ref)).size).toBe(1);
  });

  it('correlates a receipt whose receipted_message_id keeps the submit_sm_resp form (hex) while its text is decimal', async () => {
    const registry = TlvRegistry.standard;
    const sim = await simulator({
      profile: {
        name: 'hex-resp-decimal-text',
        onSubmit: () => ({
          messageId: 'a1b2c3',
          receipt: {
            // The text says id:10597059 (decimal); receipted_message_id says a1b2c3, as submit_sm_resp did.
            idFormat: 'decimal',
            withTlvs: false,
            tlvs: [registry.encode('receipted_message_id', 'a1b2c3'), registry.encode('message_state', 2)],
          },
        }),
      },
    });
    const channel = await startedChannel(sim, { messageIds: { submit: 'hex', receipt: 'decimal' } });
    const result = await channel.send({ to: '+15550001', text: 'hi' }, context());
    await sim.waitFor({ command: 'deliver_sm_resp' });
    expect(channel.reports.map((report) => report.providerMessageId)).toEqual([result.providerMessageId]);
  });

  it('send() after validate() builds from the plan toSubmit gives with the send context, when that differs', async () => {
    const sim = await simulator();
    class ByAttempt extends DirectChannel {
      protected override toSubmit(message: Parameters<DirectChannel['validate']>[0], sendContext?: SendContext) {
        // validate() sees no context; send() does: the text on the wire must be send()'s.
        return { ...super.toSubmit(message), text: `${message.text} #${sendContext?.attempt ?? 0}` };
      }
    }
    const channel = new ByAttempt({ connection: connectionTo(sim) });
    await channel.start();
    onTestFinished(() => channel.stop());
    const message = { to: '+15550001', text: 'code 1234' };
    channel.validate(message);
    await channel.send(message, { ...context(), attempt: 3 });
    const texts = submits(sim).map((submit) => Buffer.from(submit.short_message).toString('latin1'));
    expect(texts).toEqual(['code 1234 #3']);
  });

  it('a message sent again after validate() is sent as validated, and a changed message as changed', async () => {
    const sim = await simulator();
    const channel = await startedChannel(sim);
    const message: { to: string; text: string; priority?: number } = { to: '+15550001', text: 'code 1234' };
    channel.validate(message);
    await channel.send(message, context());
    message.text = 'code 5678';
    message.priority = 2;
    channel.validate(message);
    await channel.send(message, context());
    await channel.send(message, context());
    const sent = submits(sim).map((submit) => [
      Buffer.from(submit.short_message).toString('latin1'),
      submit.priority_flag,
    ]);
    expect(sent).toEqual([
      ['code 1234', 0],
      ['code 5678', 2],
      ['code 5678', 2],
    ]);
  });

  it('a long message validated once and sent twice gets a new concatenation reference each time', async () => {
    const sim = await simulator();
    const channel = await startedChannel(sim);
    const message = { to: '+15550001', text: 'p'.repeat(200) };
    channel.validate(message);
    await channel.send(message, context('m1'));
    await channel.send(message, context('m2'));
    // UDH 05 00 03 ref total seq.
    const parts = submits(sim).map((submit) => [submit.short_message[3], submit.short_message[5]]);
    expect(parts.map(([, seq]) => seq)).toEqual([1, 2, 1, 2]);
    expect(parts[0]?.[0]).toBe(parts[1]?.[0]);
    expect(parts[2]?.[0]).toBe(parts[3]?.[0]);
    expect(parts[0]?.[0]).not.toBe(parts[2]?.[0]);
  });
});
