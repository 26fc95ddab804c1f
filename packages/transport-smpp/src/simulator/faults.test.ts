import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../pdu/command-status.js';
import type { MessageIdResp, Pdu } from '../pdu/pdu.js';
import { boundClient, connectClient, type RawClient, startSimulator } from './raw-client.test-helper.js';
import { SmscSimulator } from './smsc-simulator.js';

const { ESME_RMSGQFUL, ESME_RSYSERR, ESME_RTHROTTLED } = CommandStatus;

/** Sends `count` submits at once and returns their statuses in order. */
async function submitStatuses(client: RawClient, count: number): Promise<number[]> {
  const answers: Promise<Pdu>[] = [];
  for (let index = 0; index < count; index++) answers.push(client.request(client.submitPdu()));
  return (await Promise.all(answers)).map((answer) => answer.command_status);
}

function enquireLink(client: RawClient): Promise<Pdu> {
  return client.request({ command: 'enquire_link', command_status: 0, sequence_number: client.nextSequence() });
}

describe('faults', () => {
  it('rejectEveryNth answers every nth submit with the status', async () => {
    const sim = await startSimulator({ faults: { rejectEveryNth: { n: 3, status: ESME_RSYSERR } } });
    const client = await boundClient(sim);
    expect(await submitStatuses(client, 6)).toEqual([0, 0, ESME_RSYSERR, 0, 0, ESME_RSYSERR]);
    expect(sim.stats.submitResponses.get(ESME_RSYSERR)).toBe(2);
  });

  it('queueFull refuses the next N submits with ESME_RMSGQFUL, then recovers', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    sim.faults.set({ queueFull: { submits: 2 } });
    expect(await submitStatuses(client, 3)).toEqual([ESME_RMSGQFUL, ESME_RMSGQFUL, 0]);
    expect(sim.faults.active.queueFull).toBeUndefined();
  });

  it('throttle refuses with ESME_RTHROTTLED until cleared, or for a duration', async () => {
    const sim = await startSimulator({ faults: { throttle: true } });
    const client = await boundClient(sim);
    expect(await submitStatuses(client, 2)).toEqual([ESME_RTHROTTLED, ESME_RTHROTTLED]);
    sim.faults.clear('throttle');
    expect(await submitStatuses(client, 1)).toEqual([0]);
    sim.faults.set({ throttle: { durationMs: 60_000 } });
    expect(await submitStatuses(client, 1)).toEqual([ESME_RTHROTTLED]);
    sim.faults.set({ throttle: { durationMs: 0 } });
    expect(await submitStatuses(client, 1)).toEqual([0]);
  });

  it('responseDelayMs holds submit responses (an enquire_link sent later is answered first)', async () => {
    const sim = await startSimulator({ faults: { responseDelayMs: 200 } });
    const client = await boundClient(sim);
    const submit = client.request(client.submitPdu());
    await enquireLink(client);
    expect(client.received.some((pdu) => pdu.command === 'submit_sm_resp')).toBe(false);
    expect((await submit).command_status).toBe(0);
  });

  it('noResponse swallows submits: all, or every nth', async () => {
    const sim = await startSimulator({ faults: { noResponse: { everyNth: 2 } } });
    const client = await boundClient(sim);
    const sequences = [1, 2, 3, 4].map(() => client.send(client.submitPdu()));
    await enquireLink(client);
    const answered = client.received
      .filter((pdu) => pdu.command === 'submit_sm_resp')
      .map((pdu) => pdu.sequence_number);
    expect(answered).toEqual([sequences[0], sequences[2]]);
    sim.faults.set({ noResponse: true });
    client.send(client.submitPdu());
    await enquireLink(client);
    expect(client.received.filter((pdu) => pdu.command === 'submit_sm_resp')).toHaveLength(2);
    expect(sim.stats.submits).toBe(5);
  });

  it('dropAfter close: answers N submits, then closes on the next one, leaving it unanswered', async () => {
    const sim = await startSimulator({ faults: { dropAfter: { submits: 2, mode: 'close', times: 1 } } });
    const client = await boundClient(sim);
    const sequences = [1, 2, 3].map(() => client.send(client.submitPdu()));
    const { error } = await client.closed;
    expect(error).toBeUndefined();
    const answered = client.received
      .filter((pdu) => pdu.command === 'submit_sm_resp')
      .map((pdu) => pdu.sequence_number);
    expect(answered).toEqual(sequences.slice(0, 2));
    // times: 1 — the next connection is not dropped.
    expect(sim.faults.active.dropAfter).toBeUndefined();
    const again = await boundClient(sim);
    expect(await submitStatuses(again, 3)).toEqual([0, 0, 0]);
  });

  it('dropAfter reset: the client sees ECONNRESET', async () => {
    const sim = await startSimulator({ faults: { dropAfter: { submits: 0, mode: 'reset' } } });
    const client = await boundClient(sim);
    client.send(client.submitPdu());
    const { error } = await client.closed;
    expect(error?.code).toBe('ECONNRESET');
    expect(client.received.some((pdu) => pdu.command === 'submit_sm_resp')).toBe(false);
  });

  it('garbage: writes a malformed frame to every session now', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    sim.faults.set({ garbage: true });
    await client.closed;
    expect(TidingsError.is(client.protocolError, ErrorCode.ProtocolError)).toBe(true);
  });

  it('garbage afterSubmits: writes its bytes after answering the nth submit', async () => {
    const sim = await startSimulator({ faults: { garbage: { afterSubmits: 2, bytes: Uint8Array.of(0, 0, 0, 1) } } });
    const client = await boundClient(sim);
    client.send(client.submitPdu());
    client.send(client.submitPdu());
    await client.closed;
    expect(client.received.filter((pdu) => pdu.command === 'submit_sm_resp')).toHaveLength(2);
    expect(client.protocolError?.message).toContain('command_length 1');
    expect(sim.faults.active.garbage).toBeUndefined();
  });

  it('serverUnbind: sends unbind, and closes on the client’s unbind_resp', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    sim.faults.set({ serverUnbind: true });
    expect(await client.next('unbind')).toMatchObject({ command: 'unbind' });
    await client.closed;
    await sim.waitFor({ command: 'unbind_resp' });
    expect(sim.faults.active).toEqual({});
  });

  it('serverEnquireLink: sends enquire_link now and records the answers', async () => {
    const sim = await startSimulator();
    await boundClient(sim);
    const silent = await boundClient(sim, 'transceiver', { answerServerRequests: false });
    sim.faults.set({ serverEnquireLink: true });
    await sim.waitFor({ command: 'enquire_link_resp' });
    await silent.next('enquire_link');
    expect(
      sim.sessions.map(({ enquireLinksSent, enquireLinksAnswered }) => [enquireLinksSent, enquireLinksAnswered]),
    ).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });

  it('serverEnquireLink everyMs: keeps sending until cleared', async () => {
    const sim = await startSimulator({ faults: { serverEnquireLink: { everyMs: 10 } } });
    const client = await boundClient(sim);
    await client.take('enquire_link', 3);
    sim.faults.clear('serverEnquireLink');
    expect(sim.faults.active.serverEnquireLink).toBeUndefined();
  });

  it('sendEnquireLink resolves per session with whether it answered', async () => {
    const sim = await startSimulator();
    await boundClient(sim);
    await boundClient(sim, 'transceiver', { answerServerRequests: false });
    expect(await sim.sendEnquireLink(undefined, 100)).toEqual([
      { sessionId: 1, answered: true },
      { sessionId: 2, answered: false },
    ]);
  });

  it('stopReading: requests wait until reading resumes', async () => {
    const sim = await startSimulator();
    const client = await boundClient(sim);
    sim.faults.set({ stopReading: true });
    let resumed = false;
    const answer = client.request(client.submitPdu()).then((response) => ({ response, resumed }));
    // Give a paused server the chance to misbehave; the assertion is on order, not on time.
    await sleep(50);
    resumed = true;
    sim.faults.clear('stopReading');
    const { response, resumed: answeredAfterResume } = await answer;
    expect(answeredAfterResume).toBe(true);
    expect((response as MessageIdResp).command_status).toBe(0);
  });

  it('ignoreEnquireLink: enquire_link goes unanswered while submits are answered', async () => {
    const sim = await startSimulator({ faults: { ignoreEnquireLink: true } });
    const client = await boundClient(sim);
    client.send({ command: 'enquire_link', command_status: 0, sequence_number: client.nextSequence() });
    expect(await submitStatuses(client, 1)).toEqual([0]);
    expect(client.received.some((pdu) => pdu.command === 'enquire_link_resp')).toBe(false);
    expect(sim.stats.enquireLinks).toBe(1);
  });

  it('blackHole: reads and records every PDU, answers none, not even the bind', async () => {
    const sim = await startSimulator({ faults: { blackHole: true } });
    const client = await connectClient(sim);
    void client.bind('transceiver').catch(() => {});
    await sim.waitFor({ command: 'bind_transceiver' });
    sim.faults.clear('blackHole');
    // The first answer after the black hole ends is the one to the enquire_link: the bind got none.
    await enquireLink(client);
    expect(client.received.map((pdu) => pdu.command)).toEqual(['enquire_link_resp']);
  });

  it('genericNack: answers submits with generic_nack, echoing the sequence or with sequence_number 0', async () => {
    const sim = await startSimulator({ faults: { genericNack: { everyNth: 2, status: ESME_RSYSERR } } });
    const client = await boundClient(sim);
    const first = await client.submit();
    const second = await client.request(client.submitPdu());
    expect(first.command).toBe('submit_sm_resp');
    expect(second).toMatchObject({ command: 'generic_nack', command_status: ESME_RSYSERR });
    sim.faults.set({ genericNack: { withoutSequence: true } });
    const sequence = client.send(client.submitPdu());
    const nack = await client.next('generic_nack');
    expect(nack).toMatchObject({ command_status: ESME_RSYSERR, sequence_number: 0 });
    expect(sequence).not.toBe(0);
    sim.faults.clear('genericNack');
    expect((await client.submit()).command_status).toBe(0);
  });

  it('ignoreUnbind: the client’s unbind gets no unbind_resp and the session stays open', async () => {
    const sim = await startSimulator({ faults: { ignoreUnbind: true } });
    const client = await boundClient(sim);
    client.send({ command: 'unbind', command_status: 0, sequence_number: client.nextSequence() });
    await sim.waitFor({ command: 'unbind' });
    expect(await submitStatuses(client, 1)).toEqual([0]);
    expect(client.received.some((pdu) => pdu.command === 'unbind_resp')).toBe(false);
    expect(sim.sessions[0]?.state).toBe('bound');
  });

  it('deliverBeforeBind: a deliver_sm reaches the client before its bind response', async () => {
    const sim = await startSimulator({ faults: { deliverBeforeBind: true } });
    const client = await connectClient(sim);
    expect((await client.bind('transceiver')).command_status).toBe(0);
    const order = client.received.map((pdu) => pdu.command);
    expect(order.slice(0, 2)).toEqual(['deliver_sm', 'bind_transceiver_resp']);
    await sim.waitFor({ command: 'deliver_sm_resp' });
  });

  it('clear() removes every fault', async () => {
    const sim = await startSimulator({ faults: { throttle: true, responseDelayMs: 10, ignoreEnquireLink: true } });
    sim.faults.clear();
    expect(sim.faults.active).toEqual({});
    const client = await boundClient(sim);
    expect(await submitStatuses(client, 1)).toEqual([0]);
  });

  it('refuses invalid faults with TIDINGS_INVALID_OPTIONS', async () => {
    const sim = await startSimulator();
    expect(() => sim.faults.set({ rejectEveryNth: { n: 0, status: 8 } })).toThrow(/rejectEveryNth\.n/);
    await expect(SmscSimulator.start({ faults: { responseDelayMs: -1 } })).rejects.toSatisfy((error: unknown) =>
      TidingsError.is(error, ErrorCode.InvalidOptions),
    );
  });
});
