import { readFileSync } from 'node:fs';
import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../pdu/command-status.js';
import type { SimulatorProfile } from '../simulator/index.js';
import {
  countByType,
  expectExactlyOneTerminal,
  firstEvent,
  quickSettings,
  sendMany,
  settleAll,
  startHarness,
  startRuntime,
  startSimulator,
} from './runtime.test-helper.js';

/**
 * The faulty-SMSC matrix: one fault per test, over real TCP, through the full runtime. Each name
 * says the expected outcome; each test checks that every accepted message ends in exactly one
 * terminal event (none lost, none twice) and that the session recovers or stops as it should.
 */

// A test-only pair committed under test/fixtures/tls (a fresh CI machine may lack openssl).
const fixtures = new URL('../../test/fixtures/tls/', import.meta.url);
const key = readFileSync(new URL('key.pem', fixtures), 'utf8');
const cert = readFileSync(new URL('cert.pem', fixtures), 'utf8');

const { ESME_RINVDSTADR, ESME_RSYSERR, ESME_RBINDFAIL, ESME_RINVBNDSTS, ESME_RINVCMDID } = CommandStatus;

/** A frame header alone: command_length 16, the given command_id, status 0, `sequence`. */
function headerOnly(commandId: number, sequence: number): Uint8Array {
  const frame = Buffer.alloc(16);
  frame.writeUInt32BE(16, 0);
  frame.writeUInt32BE(commandId, 4);
  frame.writeUInt32BE(sequence, 12);
  return frame;
}

async function expectStartFailure(promise: Promise<unknown>, causeCode: string): Promise<TidingsError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(TidingsError.is(error, ErrorCode.StartFailed), String(error)).toBe(true);
  const failure = error as TidingsError;
  expect(TidingsError.is(failure.cause, causeCode), String(failure.cause)).toBe(true);
  return failure;
}

describe('faulty SMSC matrix', () => {
  describe('connecting and binding', () => {
    it('black hole (accepts TCP, never answers): each bind times out, the client redials, start fails TIDINGS_START_FAILED', async () => {
      const sim = await startSimulator({ faults: { blackHole: true } });
      await expectStartFailure(
        startRuntime(sim, { connection: { bindTimeoutMs: 50 }, channel: { startTimeoutMs: 400 } }),
        ErrorCode.ConnectionLost,
      );
      // Several binds went unanswered: the client kept redialling (with backoff) until start gave up.
      expect(sim.pdus({ command: 'bind_transceiver' }).length).toBeGreaterThanOrEqual(2);
      expect(sim.stats.binds).toBe(0);
    });

    it('server turns into a black hole: submits time out, are retried until TIDINGS_RETRIES_EXHAUSTED, each message once; new messages flow when it recovers', async () => {
      const harness = await startHarness({
        connection: { responseTimeoutMs: 50 },
        settings: { ...quickSettings, retry: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts: 3 } },
      });
      const { sim, tidings, events } = harness;
      sim.faults.set({ blackHole: true });
      const lost = await sendMany(tidings, 10);
      const settled = await settleAll(lost);
      expect(countByType(settled)).toEqual({ 'failed:TIDINGS_RETRIES_EXHAUSTED': 10 });
      // Three attempts each, every one written and left unanswered.
      expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(30);
      sim.faults.clear('blackHole');
      const later = await sendMany(tidings, 10, 100);
      expect(countByType(await settleAll(later))).toEqual({ delivered: 10 });
      expectExactlyOneTerminal([...lost, ...later], events);
    });

    it('bind error (ESME_RBINDFAIL): three refused binds, no hot loop, start fails with TIDINGS_AUTH_FAILED', async () => {
      const sim = await startSimulator({ faults: { bindFailure: ESME_RBINDFAIL } });
      const failure = await expectStartFailure(startRuntime(sim), ErrorCode.AuthFailed);
      expect((failure.cause as TidingsError).providerStatus).toBe(ESME_RBINDFAIL);
      expect(sim.stats.bindsRefused).toBe(3);
    });

    it('bind silently closed: counted as a refused bind, three tries, start fails with TIDINGS_AUTH_FAILED', async () => {
      const profile: SimulatorProfile = { name: 'closes-binds', onBind: () => 'close' };
      const sim = await startSimulator({ profile });
      await expectStartFailure(startRuntime(sim), ErrorCode.AuthFailed);
      expect(sim.stats.bindsRefused).toBe(3);
      expect(sim.stats.binds).toBe(0);
    });

    it('deliver_sm before bound: answered ESME_RINVBNDSTS and not taken as inbound; the session binds and delivers', async () => {
      const harness = await startHarness({ simulator: { faults: { deliverBeforeBind: true } } });
      const { sim, tidings, events } = harness;
      const inbound: unknown[] = [];
      tidings.inbound$.subscribe((message) => inbound.push(message));
      const handles = await sendMany(tidings, 5);
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 5 });
      const early = sim.pdus({ command: 'deliver_sm_resp' })[0];
      expect(early?.command_status).toBe(ESME_RINVBNDSTS);
      expect(inbound).toEqual([]);
      expectExactlyOneTerminal(handles, events);
    });

    it('TLS handshake failure (the server speaks plain TCP): start fails TIDINGS_START_FAILED, nothing is sent', async () => {
      const sim = await startSimulator();
      await expectStartFailure(
        startRuntime(sim, { connection: { tls: { ca: cert } }, channel: { startTimeoutMs: 300 } }),
        ErrorCode.ConnectionLost,
      );
      expect(sim.received).toEqual([]);
    });

    it('TLS with an untrusted certificate: refused by default (rejectUnauthorized), start fails naming the certificate', async () => {
      const sim = await startSimulator({ tls: { key, cert } });
      const failure = await expectStartFailure(
        startRuntime(sim, { connection: { tls: true }, channel: { startTimeoutMs: 300 } }),
        ErrorCode.ConnectionLost,
      );
      expect(failure.message).toMatch(/certificate/i);
      expect(sim.received).toEqual([]);
      // The same server with its CA trusted: binds and delivers.
      const { tidings } = await startRuntime(sim, { connection: { tls: { ca: cert } } });
      const [handle] = await sendMany(tidings, 1);
      expect((await handle?.settled)?.type).toBe('delivered');
    });
  });

  describe('answers to submits', () => {
    it('no response to submit: the submit times out as ambiguous, is retried and delivered, each message once', async () => {
      const { sim, tidings, events } = await startHarness({
        simulator: { faults: { noResponse: { everyNth: 4 } } },
        connection: { responseTimeoutMs: 50 },
      });
      const handles = await sendMany(tidings, 40);
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 40 });
      const retries = events.filter((event) => event.type === 'retrying');
      expect(retries.length).toBeGreaterThan(0);
      expect(retries.every((event) => event.type === 'retrying' && event.error.ambiguous)).toBe(true);
      expect(sim.pdus({ command: 'submit_sm' }).length).toBeGreaterThan(40);
      expectExactlyOneTerminal(handles, events);
    });

    it('generic_nack with the submit’s sequence: that message fails once with TIDINGS_PROTOCOL_ERROR, never retried; the others are delivered', async () => {
      const { sim, tidings, events } = await startHarness({
        simulator: { faults: { genericNack: { everyNth: 5 } } },
      });
      const handles = await sendMany(tidings, 20);
      const settled = await settleAll(handles);
      expect(countByType(settled)).toEqual({ delivered: 16, 'failed:TIDINGS_PROTOCOL_ERROR': 4 });
      expect(events.some((event) => event.type === 'retrying')).toBe(false);
      expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(20);
      expectExactlyOneTerminal(handles, events);
    });

    it('generic_nack without a sequence number (0): matches no request, the submit times out as ambiguous, is retried and delivered once', async () => {
      const { sim, tidings, events } = await startHarness({
        simulator: { faults: { genericNack: { everyNth: 5, withoutSequence: true } } },
        connection: { responseTimeoutMs: 50 },
      });
      const handles = await sendMany(tidings, 20);
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 20 });
      expect(events.some((event) => event.type === 'retrying' && event.error.ambiguous)).toBe(true);
      expect(sim.stats.connections).toBe(1);
      expectExactlyOneTerminal(handles, events);
    });

    it('error status on submit: a permanent one (ESME_RINVDSTADR) is rejected once, a transient one (ESME_RSYSERR) is retried and delivered', async () => {
      const { sim, tidings, events } = await startHarness({
        simulator: { faults: { rejectEveryNth: { n: 5, status: ESME_RINVDSTADR } } },
      });
      const permanent = await sendMany(tidings, 10);
      const settled = await settleAll(permanent);
      expect(countByType(settled)).toEqual({ delivered: 8, rejected: 2 });
      expect(
        settled.filter((end) => end.type === 'rejected').map((end) => 'error' in end && end.error.providerStatus),
      ).toEqual([ESME_RINVDSTADR, ESME_RINVDSTADR]);
      sim.faults.set({ rejectEveryNth: { n: 5, status: ESME_RSYSERR } });
      const transient = await sendMany(tidings, 10, 100);
      expect(countByType(await settleAll(transient))).toEqual({ delivered: 10 });
      expect(events.some((event) => event.type === 'retrying' && event.error.providerStatus === ESME_RSYSERR)).toBe(
        true,
      );
      expectExactlyOneTerminal([...permanent, ...transient], events);
    });
  });

  describe('the server ends the session', () => {
    for (const answered of [true, false]) {
      it(`server unbind right after a submit ${answered ? 'it answered' : 'it left unanswered'}: the client answers unbind_resp, re-binds, and every message ends once`, async () => {
        let submits = 0;
        const profile: SimulatorProfile = {
          name: 'unbinds-after-a-submit',
          onSubmit: (_submit, ctx) => {
            if (++submits !== 5) return undefined;
            void ctx.simulator.sendUnbind(ctx.session.id);
            return answered ? undefined : 'no-response';
          },
        };
        const { sim, tidings, events } = await startHarness({ simulator: { profile } });
        const handles = await sendMany(tidings, 20);
        expect(countByType(await settleAll(handles))).toEqual({ delivered: 20 });
        expect(sim.pdus({ command: 'unbind_resp' })).toHaveLength(1);
        expect(sim.stats.binds).toBeGreaterThanOrEqual(2);
        expectExactlyOneTerminal(handles, events);
      });
    }

    it('unbind without response: stop() closes on its own deadline and every message still ends once', async () => {
      const { sim, tidings, events } = await startHarness({
        simulator: { faults: { ignoreUnbind: true }, receipts: { delayMs: 60_000 } },
        connection: { unbindTimeoutMs: 50 },
      });
      const handles = await sendMany(tidings, 10);
      await Promise.all(handles.map((handle) => handle.accepted));
      await tidings.stop({ timeoutMs: 500 });
      const settled = await settleAll(handles);
      expect(settled).toHaveLength(10);
      expect(sim.pdus({ command: 'unbind' })).toHaveLength(1);
      expect(sim.pdus({ command: 'unbind_resp' })).toEqual([]);
      expectExactlyOneTerminal(handles, events);
    });

    for (const mode of ['close', 'reset'] as const) {
      it(`server killed mid-window (${mode === 'close' ? 'FIN' : 'RST'}): what was in flight is retried as ambiguous, the client re-binds, all delivered once`, async () => {
        const { sim, tidings, events } = await startHarness({
          simulator: { faults: { dropAfter: { submits: 30, mode, times: 2 } } },
        });
        const handles = await sendMany(tidings, 100);
        expect(countByType(await settleAll(handles))).toEqual({ delivered: 100 });
        expect(sim.stats.connections).toBeGreaterThanOrEqual(3);
        expect(events.some((event) => event.type === 'retrying' && event.error.ambiguous)).toBe(true);
        expectExactlyOneTerminal(handles, events);
      });
    }
  });

  describe('the whole server goes away', () => {
    it('server process stopped mid-window and started again on its port: the client redials, everything ends once', async () => {
      // It answers nothing, so every message is in flight (written, unanswered) when it stops.
      const first = await startSimulator({ faults: { noResponse: true } });
      const port = first.port;
      const { tidings, events } = await startRuntime(first);
      const handles = await sendMany(tidings, 50);
      await first.waitFor({ command: 'submit_sm' }, { count: 50 });
      await first.stop();
      const second = await startSimulator({ port });
      const later = await sendMany(tidings, 10, 100);
      expect(countByType(await settleAll([...handles, ...later]))).toEqual({ delivered: 60 });
      expect(second.stats.binds).toBeGreaterThanOrEqual(1);
      expectExactlyOneTerminal([...handles, ...later], events);
    });
  });

  describe('broken frames', () => {
    it('command_length too short (8): protocol error, the session closes and re-binds; in-flight retried, all delivered once', async () => {
      const { sim, tidings, events } = await startHarness({ simulator: { faults: { garbage: { afterSubmits: 10 } } } });
      const handles = await sendMany(tidings, 40);
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 40 });
      expect(sim.stats.connections).toBe(2);
      expectExactlyOneTerminal(handles, events);
    });

    it('command_length too long (16 MiB announced): protocol error before buffering it, re-binds, all delivered once', async () => {
      const tooLong = Uint8Array.of(0x01, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x04, 0, 0, 0, 0, 0, 0, 0, 1);
      const { sim, tidings, events } = await startHarness({
        simulator: { faults: { garbage: { afterSubmits: 10, bytes: tooLong } } },
      });
      const handles = await sendMany(tidings, 40);
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 40 });
      expect(sim.stats.connections).toBe(2);
      expectExactlyOneTerminal(handles, events);
    });

    it('invalid command id from the server: answered generic_nack ESME_RINVCMDID, the session carries on', async () => {
      const { sim, tidings, events } = await startHarness();
      sim.sendRaw(headerOnly(0x000000ff, 4242));
      const nack = await sim.waitFor({ command: 'generic_nack' });
      expect(nack[0]).toMatchObject({ command_status: ESME_RINVCMDID, sequence_number: 4242 });
      // An unknown response id matches no request and is ignored.
      sim.sendRaw(headerOnly(0x800000ff, 4243));
      const handles = await sendMany(tidings, 10);
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 10 });
      expect(sim.stats.connections).toBe(1);
      expectExactlyOneTerminal(handles, events);
    });
  });

  describe('receipts', () => {
    it('receipt before the submit response: each message accepted then delivered, once', async () => {
      const { tidings, events } = await startHarness({ simulator: { receipts: { early: true } } });
      const handles = await sendMany(tidings, 30);
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 30 });
      for (const handle of handles) {
        const own = events.filter((event) => event.messageId === handle.id).map((event) => event.type);
        expect(own.indexOf('accepted')).toBeLessThan(own.indexOf('delivered'));
      }
      expectExactlyOneTerminal(handles, events);
    });

    it('duplicate receipts: the second one is acknowledged and ignored, one delivered event each', async () => {
      const { sim, tidings, events } = await startHarness({ simulator: { receipts: { duplicate: true } } });
      const handles = await sendMany(tidings, 30);
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 30 });
      await sim.waitFor({ command: 'deliver_sm_resp' }, { count: 60 });
      expect(sim.pdus({ command: 'deliver_sm_resp' }).every((pdu) => pdu.command_status === 0)).toBe(true);
      expectExactlyOneTerminal(handles, events);
    });

    it('receipt for an unknown id: acknowledged (so the SMSC stops resending) and changes no message', async () => {
      const { sim, tidings, events } = await startHarness({ simulator: { receipts: { delayMs: 60_000 } } });
      const handles = await sendMany(tidings, 3);
      const accepted = await Promise.all(handles.map((handle) => handle.accepted));
      const before = events.length;
      const now = { delayMs: 0 };
      const answer = await sim.sendReceipt({ messageId: '999999999', systemId: 'test', stat: 'UNDELIV', options: now });
      expect(answer).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
      expect(events.slice(before)).toEqual([]);
      for (const { providerMessageId } of accepted) {
        await sim.sendReceipt({ messageId: providerMessageId, systemId: 'test', options: now });
      }
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 3 });
      expectExactlyOneTerminal(handles, events);
    });
  });

  describe('a server that stops answering', () => {
    it('server stops reading (our submits pile up unread): they time out as ambiguous and are retried; once it reads again all are delivered once', async () => {
      const harness = await startHarness({ connection: { responseTimeoutMs: 50 } });
      const { sim, tidings, events } = harness;
      sim.faults.set({ stopReading: true });
      const handles = await sendMany(tidings, 20);
      await firstEvent(harness, (event) => event.type === 'retrying');
      sim.faults.clear('stopReading');
      expect(countByType(await settleAll(handles))).toEqual({ delivered: 20 });
      expectExactlyOneTerminal(handles, events);
    });

    it('enquire_link unanswered: the session is taken for dead, closed and re-bound; messages delivered once', async () => {
      const harness = await startHarness({
        simulator: { faults: { ignoreEnquireLink: true } },
        connection: { enquireLinkIntervalMs: 20, enquireLinkTimeoutMs: 50 },
      });
      const { sim, tidings, events } = harness;
      const handles = await sendMany(tidings, 20);
      await sim.waitFor({ command: 'bind_transceiver' }, { count: 2 });
      sim.faults.clear('ignoreEnquireLink');
      const later = await sendMany(tidings, 20, 100);
      expect(countByType(await settleAll([...handles, ...later]))).toEqual({ delivered: 40 });
      expectExactlyOneTerminal([...handles, ...later], events);
    });
  });
});
