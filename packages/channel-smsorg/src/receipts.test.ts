import { Buffer } from 'node:buffer';
import type { DeliverSm } from '@tidings/transport-smpp';
import { type QueryDecision, SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { smsorgSimulatorProfile } from './simulator/index.js';
import { ACCOUNT, startRuntime, startSmsorg } from './smsorg.test-helper.js';

const MESSAGE_STATE_DELIVERED = 2;
const MESSAGE_STATE_UNDELIVERABLE = 5;

describe('smsorg passive receipts (registered_delivery 1 + deliver_sm)', () => {
  it("asks for a receipt and reads the provider's text (`Text:` with a capital T) to settle the message delivered", async () => {
    const sim = await startSmsorg();
    const receipts: DeliverSm[] = [];
    sim.on('receipt', (event) => receipts.push(event.pdu));
    const { tidings } = await startRuntime(sim);
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'Your code: 4829' });
    const end = await handle.settled;
    expect(end.type).toBe('delivered');
    expect(sim.pdus({ command: 'submit_sm' })[0]?.registered_delivery).toBe(0x01);
    const text = Buffer.from(receipts[0]?.short_message ?? []).toString('latin1');
    // The provider's layout, text only: no receipted_message_id / message_state TLVs to lean on.
    expect(text).toMatch(
      /^id:\d{9} sub:001 dlvrd:001 submit date:\d{10} done date:\d{10} stat:DELIVRD err:0 Text:Your code: 4829$/,
    );
    expect(receipts[0]?.tlvs ?? []).toEqual([]);
    expect(end.type === 'delivered' && end.report).toMatchObject({
      providerMessageId: text.slice(3, 12),
      state: 'delivered',
      errorCode: '0',
      extras: { stat: 'DELIVRD' },
    });
    // The receipt's `Text:` echoes the message (a code): it never reaches the report.
    expect(JSON.stringify(end)).not.toContain('4829');
  });

  it('an UNDELIV receipt ends the message undelivered with its err: code', async () => {
    const sim = await startSmsorg({}, { receipts: { stat: 'UNDELIV', err: '5' } });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type).toBe('undelivered');
    expect(end.type === 'undelivered' && end.error).toMatchObject({
      code: 'TIDINGS_UNDELIVERED',
      providerStatus: '5',
    });
  });

  it('an EXPIRED receipt ends the message expired', async () => {
    const sim = await startSmsorg({}, { receipts: { stat: 'EXPIRED' } });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type).toBe('expired');
  });

  it('reads the fields before `Text:`, whatever the echoed text says', async () => {
    const sim = await startSmsorg({}, { receipts: { text: 'stat:UNDELIV err:9 id:1' } });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type).toBe('delivered');
    // The echoed text is the message's own start (a code, personal data): never on events.
    expect(end.type === 'delivered' && end.report.extras).not.toHaveProperty('text');
  });

  it('reads receipt dates in the zone of receiptUtcOffsetMinutes', async () => {
    const sim = await startSmsorg({}, { receipts: { textVariant: { textLabel: 'Text', utcOffsetMinutes: 180 } } });
    const { tidings } = await startRuntime(sim, { receiptUtcOffsetMinutes: 180 });
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type).toBe('delivered');
    if (end.type !== 'delivered') return;
    const stored = sim.message(end.providerMessageId);
    expect(stored).toBeDefined();
    // YYMMDDhhmm: minute precision, written in UTC+3 and read back as UTC.
    expect(end.report.doneAt).toBe(Math.floor((stored?.doneAt ?? 0) / 60_000) * 60_000);
  });

  it('receipts false (mode "none"): registered_delivery 0, the message ends when accepted', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim, { receipts: false });
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type).toBe('accepted');
    expect(sim.pdus({ command: 'submit_sm' })[0]?.registered_delivery).toBe(0x00);
    expect(sim.stats.receiptsSent).toBe(0);
  });
});

/**
 * A simulator whose messages stay ENROUTE (the profile's own answer while the delivery delay
 * runs) until the test says `final`: then query_sm answers that state.
 */
async function gatedSimulator(): Promise<{ sim: SmscSimulator; final: (messageState: number) => void }> {
  let state: QueryDecision;
  const profile = smsorgSimulatorProfile({ deliveryDelayMs: 3_600_000 });
  const sim = await SmscSimulator.start({
    profile: {
      ...profile,
      onQuery: (query, message, ctx) => {
        const own = profile.onQuery?.(query, message, ctx);
        return own ?? state;
      },
    },
    accounts: [ACCOUNT],
  });
  onTestFinished(() => sim.stop());
  return {
    sim,
    final: (messageState) => {
      state = { messageState, finalDate: '261122120000000+', errorCode: messageState === 2 ? 0 : 11 };
    },
  };
}

describe('smsorg active receipts (query_sm polling)', () => {
  it('polls query_sm until a final state, over a bind_transmitter session, then the message is delivered', async () => {
    const { sim, final } = await gatedSimulator();
    const { tidings } = await startRuntime(sim, {
      bindMode: 'transmitter',
      receipts: { mode: 'active', intervalMs: 10 },
    });
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
    const accepted = await handle.accepted;
    // Still ENROUTE for two polls: the channel keeps asking.
    await sim.waitFor({ command: 'query_sm', count: 2 });
    final(MESSAGE_STATE_DELIVERED);
    const end = await handle.settled;
    expect(end.type).toBe('delivered');
    expect(end.type === 'delivered' && end.report).toMatchObject({
      providerMessageId: accepted.type === 'accepted' ? accepted.providerMessageId : '',
      state: 'delivered',
      extras: { source: 'query_sm', messageState: MESSAGE_STATE_DELIVERED, finalDate: '261122120000000+' },
    });
    expect(sim.pdus({ command: 'submit_sm' })[0]?.registered_delivery).toBe(0x00);
    expect(sim.stats.receiptsSent).toBe(0);
    expect(sim.sessions[0]?.bindMode).toBe('transmitter');
  });

  it('query_sm names the message by its id and its original sender (source_addr, TON/NPI)', async () => {
    const { sim, final } = await gatedSimulator();
    const { tidings } = await startRuntime(sim, { receipts: { mode: 'active', intervalMs: 10 } });
    const handle = await tidings.send('sms', { to: '+79123456789', from: '+79001112233', text: 'hi' });
    const accepted = await handle.accepted;
    final(MESSAGE_STATE_DELIVERED);
    await handle.settled;
    const [query] = sim.pdus({ command: 'query_sm' });
    expect(query).toMatchObject({
      message_id: accepted.type === 'accepted' ? accepted.providerMessageId : '-',
      source_addr: '79001112233',
      source_addr_ton: 0x01,
      source_addr_npi: 0x01,
    });
  });

  it('an UNDELIVERABLE query_sm_resp ends the message undelivered with its error_code', async () => {
    const { sim, final } = await gatedSimulator();
    const { tidings } = await startRuntime(sim, { receipts: { mode: 'active', intervalMs: 10 } });
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
    final(MESSAGE_STATE_UNDELIVERABLE);
    const end = await handle.settled;
    expect(end.type).toBe('undelivered');
    expect(end.type === 'undelivered' && end.error.providerStatus).toBe(11);
  });

  const states: Array<[number, string, string]> = [
    [3, 'EXPIRED', 'expired'],
    [4, 'DELETED', 'undelivered'],
    [7, 'UNKNOWN', 'undelivered'],
    [8, 'REJECTED', 'undelivered'],
  ];
  for (const [messageState, name, type] of states) {
    it(`a query_sm_resp message_state ${messageState} (${name}) ends the message ${type}`, async () => {
      const { sim, final } = await gatedSimulator();
      const { tidings } = await startRuntime(sim, { receipts: { mode: 'active', intervalMs: 10 } });
      const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
      final(messageState);
      const end = await handle.settled;
      expect(end.type).toBe(type);
      expect('report' in end && end.report.extras?.messageState).toBe(messageState);
    });
  }

  it('a long message: every part is polled, the message is delivered once all are final', async () => {
    const { sim, final } = await gatedSimulator();
    const { tidings } = await startRuntime(sim, { receipts: { mode: 'active', intervalMs: 10 } });
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'z'.repeat(200) });
    final(MESSAGE_STATE_DELIVERED);
    expect((await handle.settled).type).toBe('delivered');
    const queried = new Set(sim.pdus({ command: 'query_sm' }).map((query) => query.message_id));
    expect(queried.size).toBe(2);
  });

  it("reaches the final state with the profile's own answers, which advance with time", async () => {
    const sim = await startSmsorg({ deliveryDelayMs: 30 });
    const { tidings } = await startRuntime(sim, { receipts: { mode: 'active', intervalMs: 10 } });
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type).toBe('delivered');
    expect(sim.pdus({ command: 'query_sm' }).length).toBeGreaterThan(0);
  });

  it('gives up after maxAttempts without a final state: the message ends with TIDINGS_RECEIPT_TIMEOUT', async () => {
    const { sim } = await gatedSimulator();
    const { tidings } = await startRuntime(sim, {
      receipts: { mode: 'active', intervalMs: 10, maxAttempts: 3 },
      responseTimeoutMs: 1_000,
    });
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type).toBe('failed');
    expect(end.type === 'failed' && end.error.code).toBe('TIDINGS_RECEIPT_TIMEOUT');
    const queries = sim.pdus({ command: 'query_sm' }).length;
    expect(queries).toBeGreaterThan(0);
    expect(queries).toBeLessThanOrEqual(3);
  });
});

describe('smsorg two-way: inbound MO', () => {
  it('delivers an MO to inbound$', async () => {
    const sim = await startSmsorg();
    const { inbound } = await startRuntime(sim);
    await sim.sendMo({ from: '79001112233', to: 'MyShop', text: 'STOP', alphabet: 'ascii' });
    expect(inbound).toMatchObject([{ channel: 'sms', from: '79001112233', to: 'MyShop', text: 'STOP' }]);
  });

  it('reassembles a long UCS2 MO sent in UDH parts', async () => {
    const sim = await startSmsorg();
    const { inbound } = await startRuntime(sim);
    const text = 'Здравствуйте! '.repeat(10);
    const delivery = await sim.sendMo({ from: '79001112233', to: 'MyShop', text, alphabet: 'ucs2' });
    expect(delivery.pdus.length).toBeGreaterThan(1);
    expect(inbound.map((message) => message.text)).toEqual([text]);
  });
});
