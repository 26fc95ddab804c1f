import { readFile } from 'node:fs/promises';
import { type ChannelState, createTidings, ErrorCode, TidingsError } from '@tidings/core';
import { ManualClock, resolveChannel } from '@tidings/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  cleanupList,
  optionsFor,
  otp,
  recordingLogger,
  sendContext,
  startEngageLab,
} from './engagelab.test-helper.js';
import { engagelabChannel } from './engagelab-plugin.js';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

describe('EngageLab session', () => {
  it('keep-alive: enquire_link every 30 s by default (ManualClock)', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const clock = new ManualClock(1_000_000);
    const channel = resolveChannel(engagelabChannel(optionsFor(sim)), { clock });
    await channel.start();
    cleanups.add(() => channel.stop());

    clock.advance(29_999);
    // A round trip after the advance: had an enquire_link been sent, it would be recorded first.
    await channel.send(otp, sendContext());
    expect(sim.pdus({ command: 'enquire_link' })).toHaveLength(0);

    clock.advance(1);
    await sim.waitFor({ command: 'enquire_link' });
    // The next one is 30 s after the answer to this one.
    await channel.send(otp, sendContext(2));
    clock.advance(30_000);
    await sim.waitFor({ command: 'enquire_link', count: 2 });
    expect(sim.sessions[0]?.state).toBe('bound');
  });

  it("keep-alive: the interval may be set within the page's tolerance (25 s)", async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const clock = new ManualClock(0);
    const channel = resolveChannel(engagelabChannel(optionsFor(sim, { enquireLinkIntervalMs: 25_000 })), { clock });
    await channel.start();
    cleanups.add(() => channel.stop());
    clock.advance(25_000);
    await sim.waitFor({ command: 'enquire_link' });
  });

  it('binds with bind_transceiver (0x00000009) and the issued system_id / password', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const channel = resolveChannel(engagelabChannel(optionsFor(sim)));
    await channel.start();
    cleanups.add(() => channel.stop());
    const binds = sim.received.filter((record) => record.pdu.command.startsWith('bind_'));
    expect(binds.map((record) => record.pdu)).toEqual([
      expect.objectContaining({ command: 'bind_transceiver', system_id: 'acme', password: ACCOUNT.password }),
    ]);
    expect(sim.sessions[0]?.bindMode).toBe('transceiver');
  });

  it('authentication failure: a silent close right after the bind is reported as such, reconnecting stops', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const logger = recordingLogger();
    const password = 'wrong-Pa55';
    const channel = resolveChannel(engagelabChannel(optionsFor(sim, { password, maxBindFailures: 2 })), { logger });
    const states: ChannelState[] = [];
    channel.state$.subscribe((state) => states.push(state));
    cleanups.add(() => channel.stop());

    const error = await channel.start().catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.AuthFailed)).toBe(true);
    expect((error as TidingsError).message).toBe(
      'engagelab channel "engagelab": authentication failed: EngageLab closed the connection right after bind_transceiver 2 times in a row without answering, which is how it refuses a system_id or password; check the credentials EngageLab issued. Reconnecting stopped.',
    );
    expect((error as TidingsError).retry).toEqual({ kind: 'never' });
    // Two connections, each closed by the server right after its bind_transceiver, then no more.
    expect(sim.stats.connections).toBe(2);
    expect(sim.stats.bindsRefused).toBe(2);
    expect(sim.pdus({ command: 'bind_transceiver' })).toHaveLength(2);
    expect(states.at(-1)).toMatchObject({ status: 'failed', error: { code: ErrorCode.AuthFailed } });
    // The password appears nowhere: error, state, logs.
    expect(logger.lines.some((line) => line.includes('could not bind'))).toBe(true);
    const seen = [JSON.stringify(error), (error as Error).message, JSON.stringify(states), ...logger.lines].join('\n');
    expect(seen).not.toContain(password);
  });

  it('authentication failure through the runtime: start fails naming the channel, with the cause', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const plugin = engagelabChannel(optionsFor(sim, { systemId: 'nobody', maxBindFailures: 1 }));
    const error = await createTidings({ plugins: [plugin] }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.StartFailed)).toBe(true);
    expect((error as TidingsError).message).toContain('authentication failed');
    expect(TidingsError.is((error as TidingsError).cause, ErrorCode.AuthFailed)).toBe(true);
    expect(sim.stats.connections).toBe(1);
  });

  it('TLS: speaks SMPP over TLS, verifying the server certificate against the given CA', async () => {
    // The transport's test-only pair (self-signed for 127.0.0.1 and localhost).
    const fixtures = new URL('../../transport-smpp/test/fixtures/tls/', import.meta.url);
    const [key, cert] = await Promise.all([
      readFile(new URL('key.pem', fixtures), 'utf8'),
      readFile(new URL('cert.pem', fixtures), 'utf8'),
    ]);
    const sim = await startEngageLab({}, { tls: { key, cert } });
    cleanups.add(() => sim.stop());
    const channel = resolveChannel(engagelabChannel(optionsFor(sim, { tls: { ca: cert } })));
    await channel.start();
    cleanups.add(() => channel.stop());
    const result = await channel.send(otp, sendContext());
    expect(result.providerMessageId).not.toBe('');
    expect(sim.sessions[0]).toMatchObject({ tls: true, bindMode: 'transceiver' });
  });
});
