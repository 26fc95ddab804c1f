import { type Channel, type ChannelState, ErrorCode, TidingsError } from '@tidings/core';
import { ManualClock, resolveChannel } from '@tidings/core/testing';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { smsorgSimulatorProfile } from './simulator/index.js';
import { ACCOUNT, type Overrides, optionsFor, startRuntime, startSmsorg } from './smsorg.test-helper.js';
import type { SmsorgMessage } from './smsorg-message.js';
import { smsorgChannel } from './smsorg-plugin.js';

/** A channel outside the runtime, driven by `clock`; stopped (time moved along) when the test ends. */
function channelOn(sim: SmscSimulator, clock: ManualClock, overrides: Overrides = {}): Channel<SmsorgMessage> {
  const channel = resolveChannel(smsorgChannel(optionsFor(sim, overrides)), { clock });
  onTestFinished(async () => {
    const stopped = channel.stop();
    let done = false;
    void stopped.finally(() => {
      done = true;
    });
    // Unbind and drain deadlines run on the manual clock: move it until stop() is through.
    while (!done) {
      clock.advance(1_000);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  });
  return channel;
}

/** A few turns of the event loop, for I/O that would follow at once if it were going to. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('smsorg bind deadline: the bind within 10 s of the TCP connect', () => {
  it('the channel sends its bind as the first PDU, with no time passing after the connect', async () => {
    const sim = await startSmsorg();
    const clock = new ManualClock(0);
    const channel = channelOn(sim, clock);
    // The clock never moves: start() can only resolve if the bind went out on connect.
    await channel.start();
    expect(clock.now()).toBe(0);
    const [first] = sim.received;
    expect(first?.pdu).toMatchObject({ command: 'bind_transceiver', system_id: ACCOUNT.systemId });
    expect(sim.sessions[0]?.state).toBe('bound');
  });

  it('binds in time against a profile whose bind deadline is shortened', async () => {
    const sim = await startSmsorg({ bindDeadlineMs: 1_000 });
    const { tidings } = await startRuntime(sim);
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
    expect((await handle.settled).type).toBe('delivered');
    expect(sim.sessions).toHaveLength(1);
  });

  it('bind_transmitter with bindMode "transmitter"', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim, { bindMode: 'transmitter', receipts: false });
    await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(sim.received[0]?.pdu.command).toBe('bind_transmitter');
    expect(sim.sessions[0]?.bindMode).toBe('transmitter');
  });

  it('an unanswered bind is given up after 8 s, before the server would close at 10 s', async () => {
    const sim = await SmscSimulator.start({
      // A server that takes the bind and never answers it.
      profile: { ...smsorgSimulatorProfile(), onBind: () => new Promise(() => {}) },
      accounts: [ACCOUNT],
    });
    onTestFinished(() => sim.stop());
    const clock = new ManualClock(0);
    const channel = channelOn(sim, clock);
    void channel.start().catch(() => {});
    await sim.waitFor({ command: 'bind_transceiver' });
    clock.advance(7_999);
    await settle();
    expect(sim.sessions[0]?.state).not.toBe('closed');
    clock.advance(1);
    await vi.waitFor(() => expect(sim.sessions[0]?.state).toBe('closed'));
  });
});

describe('smsorg response deadline: every server PDU answered within 1 minute', () => {
  it('the channel answers enquire_link, receipts, MO and unreadable deliver_sm with no time passing', async () => {
    const sim = await startSmsorg({ responseDeadlineMs: 1_000 });
    const clock = new ManualClock(0);
    const channel = channelOn(sim, clock);
    await channel.start();
    const [link] = await sim.sendEnquireLink(undefined, 5_000);
    expect(link?.answered).toBe(true);
    const mo = await sim.sendMo({ from: '79001112233', to: 'MyShop', text: 'STOP' });
    expect(mo.responses.map((response) => [response.command, response.command_status])).toEqual([
      ['deliver_sm_resp', 0],
    ]);
    const receipt = await sim.sendReceipt({ messageId: '123456789', stat: 'DELIVRD' });
    expect(receipt).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    const garbled = await sim.sendPdu(ACCOUNT.systemId, {
      command: 'deliver_sm',
      service_type: '',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '79001112233',
      dest_addr_ton: 5,
      dest_addr_npi: 0,
      destination_addr: 'MyShop',
      esm_class: 0x04,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: 0x01,
      sm_default_msg_id: 0,
      short_message: new TextEncoder().encode('this is no receipt'),
    });
    expect(garbled).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    expect(clock.now()).toBe(0);
    expect(sim.sessions.map((session) => session.state)).toEqual(['bound']);
  });

  it('answers a request it does not know (cancel_sm) with generic_nack ESME_RINVCMDID and stays bound', async () => {
    const sim = await startSmsorg({ responseDeadlineMs: 1_000 });
    const clock = new ManualClock(0);
    const channel = channelOn(sim, clock);
    await channel.start();
    const answer = await sim.sendPdu(ACCOUNT.systemId, {
      command: 'cancel_sm',
      service_type: '',
      message_id: '100000001',
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'MyShop',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '79123456789',
    });
    expect(answer).toMatchObject({ command: 'generic_nack', command_status: 0x03 });
    expect(sim.sessions.map((session) => session.state)).toEqual(['bound']);
  });

  it('answers a server unbind with unbind_resp, then binds again', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    sim.faults.set({ serverUnbind: true });
    await sim.waitFor({ command: 'unbind_resp' });
    await vi.waitFor(() => expect(sim.sessions.filter((s) => s.state === 'bound')).toHaveLength(1));
    expect(sim.sessions).toHaveLength(2);
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
    expect((await handle.settled).type).toBe('delivered');
  });

  it('the channel never sends unbind when the server closes: the close is a connection loss', async () => {
    const sim = await startSmsorg();
    const clock = new ManualClock(0);
    const channel = channelOn(sim, clock, { responseTimeoutMs: 60_000 });
    const states: ChannelState[] = [];
    channel.state$.subscribe((state) => states.push(state));
    await channel.start();
    sim.faults.set({ noResponse: true });
    const sending = channel.send(
      { to: '+79123456789', text: 'hi' },
      { messageId: 'm1', attempt: 1, signal: new AbortController().signal },
    );
    await sim.waitFor({ command: 'submit_sm' });
    // Closed by the server without unbind, as smsorg does after its response deadline.
    sim.closeSession(sim.sessions[0]?.id ?? 0);
    const error = await sending.catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.ConnectionLost)).toBe(true);
    expect(error).toMatchObject({ ambiguous: true, retry: { kind: 'retry' } });
    sim.faults.clear();
    clock.advance(1_000);
    await vi.waitFor(() => expect(sim.sessions.filter((s) => s.state === 'bound')).toHaveLength(1));
    await vi.waitFor(() => expect(states.at(-1)?.status).toBe('ready'));
    expect(states.map((state) => state.status)).toContain('reconnecting');
    expect(sim.pdus({ command: 'unbind' })).toEqual([]);
  });
});

describe('smsorg server close without unbind, through the runtime', () => {
  it('the in-flight message is reported (retrying, connection lost, ambiguous) and delivered after the reconnect', async () => {
    const sim = await startSmsorg();
    const { tidings, events } = await startRuntime(sim);
    // The next submit is left unanswered and the connection closed, once.
    sim.faults.set({ dropAfter: { submits: 0, mode: 'close', times: 1 } });
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
    expect((await handle.settled).type).toBe('delivered');
    const retrying = events.find((event) => event.type === 'retrying');
    expect(retrying?.type === 'retrying' && retrying.error).toMatchObject({
      code: ErrorCode.ConnectionLost,
      ambiguous: true,
    });
    expect(sim.sessions).toHaveLength(2);
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(2);
  });

  it('a refused bind (wrong password) is not retried in a hot loop: the channel fails to start', async () => {
    const sim = await startSmsorg();
    await expect(startRuntime(sim, { password: 'wrong' })).rejects.toMatchObject({
      code: ErrorCode.StartFailed,
      cause: { code: ErrorCode.AuthFailed },
    });
    const refusals = sim.received.filter((record) => record.pdu.command === 'bind_transceiver');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.length).toBeLessThanOrEqual(3);
  });

  it('maxBindFailures caps the refused binds in a row per session', async () => {
    const sim = await startSmsorg();
    await expect(startRuntime(sim, { password: 'wrong', maxBindFailures: 1, binds: 2 })).rejects.toMatchObject({
      code: ErrorCode.StartFailed,
      cause: { code: ErrorCode.AuthFailed },
    });
    const binds = sim.received.filter((record) => record.pdu.command === 'bind_transceiver');
    expect(binds.length).toBeLessThanOrEqual(2);
  });
});
