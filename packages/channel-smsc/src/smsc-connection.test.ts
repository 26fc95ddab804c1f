import { type ChannelMap, createTidings, silentLogger, systemClock, type Tidings } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { CommandStatus, SmppSession } from '@tidings/transport-smpp';
import type { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { filter, firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmscOptions } from './options.js';
import {
  onCleanup,
  optionsFor,
  runCleanups,
  runtime,
  startSmsc,
  submits,
  tlsCert,
  tlsKey,
} from './smsc.test-helper.js';
import type { SmscChannel } from './smsc-channel.js';
import { smscChannel } from './smsc-channel-plugin.js';

afterEach(runCleanups);

const to = '+77011234567';

async function started(sim: SmscSimulator, overrides: Partial<SmscOptions> = {}): Promise<SmscChannel> {
  const channel = resolveChannel(smscChannel(optionsFor(sim, overrides))) as unknown as SmscChannel;
  await channel.start();
  onCleanup(() => channel.stop());
  return channel;
}

const context = (messageId: string) => ({ messageId, attempt: 1, signal: new AbortController().signal });
const bound = (sim: SmscSimulator) => sim.sessions.filter((session) => session.state === 'bound');

describe('SMSC connection: the bind', () => {
  const combinations: ReadonlyArray<[Partial<SmscOptions>, string]> = [
    [{}, ''],
    [{ binds: 2 }, 'MCON2'],
    [{ iso: true }, 'ISO'],
    [{ single: true }, 'SINGLE'],
    [{ iso: true, single: true }, 'ISO,SINGLE'],
    [{ maxConnections: 9, iso: true }, 'MCON9,ISO'],
    [{ binds: 2, single: true }, 'MCON2,SINGLE'],
    [{ binds: 3, iso: true, single: true }, 'MCON3,ISO,SINGLE'],
  ];
  for (const [options, systemType] of combinations) {
    it(`binds as a transceiver, interface version 3.4, system_type ${JSON.stringify(systemType)} for ${JSON.stringify(options)}`, async () => {
      const sim = await startSmsc();
      await started(sim, options);
      const binds = await sim.waitFor({ command: 'bind_transceiver', count: options.binds ?? 1 });
      for (const bind of binds) {
        expect(bind).toMatchObject({
          system_id: 'test',
          password: 'secret',
          system_type: systemType,
          interface_version: 0x34,
        });
      }
    });
  }

  it('refuses bad credentials without a reconnect loop, and never shows the password', async () => {
    const sim = await startSmsc();
    const error = await createTidings({ plugins: [smscChannel(optionsFor(sim, { password: 'wrong-pw' }))] }).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'TIDINGS_START_FAILED', cause: { code: 'TIDINGS_AUTH_FAILED' } });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('wrong-pw');
    expect(sim.stats.bindsRefused).toBe(3);
  });

  it('stops after maxBindFailures refused binds in a row', async () => {
    const sim = await startSmsc();
    const error = await createTidings({
      plugins: [smscChannel(optionsFor(sim, { password: 'wrong-pw', maxBindFailures: 1 }))],
    }).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'TIDINGS_START_FAILED', cause: { code: 'TIDINGS_AUTH_FAILED' } });
    expect(sim.stats.bindsRefused).toBe(1);
  });
});

describe('SMSC connection: one connection per login unless MCON', () => {
  it('a new bind with the same login ends the older connection', async () => {
    const sim = await startSmsc();
    // A long reconnect delay keeps the kicked channel from kicking back during the test.
    await started(sim, { reconnect: { initialDelayMs: 60_000, jitter: 0 } });
    const closed = firstValueFrom(sim.events$.pipe(filter((event) => event.type === 'close')));
    await started(sim, { reconnect: { initialDelayMs: 60_000, jitter: 0 } });
    await closed;
    expect(sim.sessions.map((session) => session.state)).toEqual(['closed', 'bound']);
  });

  it('with MCON3 (binds: 3) all three stay bound', async () => {
    const sim = await startSmsc();
    await started(sim, { binds: 3 });
    await sim.waitFor({ command: 'bind_transceiver', count: 3 });
    expect(bound(sim).map((session) => session.systemType)).toEqual(['MCON3', 'MCON3', 'MCON3']);
    expect(sim.sessions.every((session) => session.state === 'bound')).toBe(true);
  });

  it('MCONn allows n: one more connection ends the oldest', async () => {
    const sim = await startSmsc();
    await started(sim, { binds: 2, reconnect: { initialDelayMs: 60_000, jitter: 0 } });
    await sim.waitFor({ command: 'bind_transceiver', count: 2 });
    const closed = firstValueFrom(sim.events$.pipe(filter((event) => event.type === 'close')));
    await started(sim, { maxConnections: 2, reconnect: { initialDelayMs: 60_000, jitter: 0 } });
    await closed;
    expect(sim.sessions.map((session) => session.state)).toEqual(['closed', 'bound', 'bound']);
  });

  it('other logins (sub-accounts) bind in parallel', async () => {
    const sim = await startSmsc(
      {},
      {
        accounts: [
          { systemId: 'main', password: 'secret' },
          { systemId: 'sub1', password: 'secret' },
        ],
      },
    );
    await started(sim, { systemId: 'main' });
    await started(sim, { systemId: 'sub1' });
    expect(bound(sim).map((session) => session.systemId)).toEqual(['main', 'sub1']);
  });
});

describe('SMSC connection: transport', () => {
  it('speaks SMPP over TLS', async () => {
    const sim = await startSmsc({}, { tls: { key: tlsKey, cert: tlsCert } });
    const { tidings } = await runtime(sim, { tls: { ca: tlsCert } });
    expect((await (await tidings.send('smsc', { to, text: 'over TLS' })).settled).type).toBe('delivered');
    expect(sim.sessions[0]).toMatchObject({ tls: true, state: 'bound' });
  });

  it('fails over to the backup host when the primary cannot be reached', async () => {
    const sim = await startSmsc();
    // 127.0.0.2 is loopback too, but nothing listens there on this port; the backup takes the primary's port.
    const { tidings } = await runtime(sim, { host: '127.0.0.2', backupHosts: [{ host: sim.host }] });
    expect((await (await tidings.send('smsc', { to, text: 'via the backup' })).settled).type).toBe('delivered');
  });

  it('keeps the connection alive with enquire_link under the idle limit', async () => {
    const sim = await startSmsc({ idleTimeoutMs: 400 });
    await started(sim, { enquireLinkIntervalMs: 100 });
    await sim.waitFor({ command: 'enquire_link', count: 5 });
    expect(sim.sessions.map((session) => session.state)).toEqual(['bound']);
  });

  it('is dropped by the server after the idle limit without traffic (2 minutes, shortened here)', async () => {
    const sim = await startSmsc({ idleTimeoutMs: 100 });
    await started(sim, { enquireLinkIntervalMs: 100_000 });
    await firstValueFrom(sim.events$.pipe(filter((event) => event.type === 'close')));
    expect(sim.sessions[0]?.state).toBe('closed');
  });

  it('answers submit_multi with generic_nack ESME_RINVCMDID: SMSC has not implemented it', async () => {
    const sim = await startSmsc();
    const session = await SmppSession.open(
      {
        endpoint: { host: sim.host, port: sim.port },
        credentials: { systemId: 'test', password: 'secret' },
        mode: 'transceiver',
        window: 1,
        timeouts: {
          connectTimeoutMs: 2_000,
          bindTimeoutMs: 2_000,
          responseTimeoutMs: 2_000,
          enquireLinkIntervalMs: 0,
          enquireLinkTimeoutMs: 2_000,
          serverRequestTimeoutMs: 2_000,
          unbindTimeoutMs: 500,
        },
        clock: systemClock,
        logger: silentLogger,
        label: 'raw',
      },
      () => CommandStatus.ESME_ROK,
    );
    onCleanup(() => session.close());
    const response = await session.request({ command: 'other', command_id: 0x21, body: new Uint8Array(0) });
    expect(response).toMatchObject({ command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDID });
  });
});

describe('SMSC throughput: throttling above the account speed', () => {
  it('the simulator throttles above maxPerSecond; the channel pauses, retries and delivers everything', async () => {
    const sim = await startSmsc({ maxPerSecond: 20 });
    const { tidings, events } = await runtime(sim, { maxPerSecond: 100, throttlePauseMs: 250 });
    const handles = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        tidings.send('smsc', { to: `+7701000${String(i).padStart(4, '0')}`, text: `n${i}` }),
      ),
    );
    const ends = await Promise.all(handles.map((handle) => handle.settled));
    expect(ends.filter((end) => end.type !== 'delivered')).toEqual([]);
    expect(sim.stats.submitResponses.get(CommandStatus.ESME_RTHROTTLED)).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'retrying' && event.channelPaused)).toBe(true);
  });

  it('with the defaults on both sides (30/s), a burst never trips the speed error', async () => {
    const sim = await startSmsc();
    const { tidings } = await runtime(sim);
    const handles = await Promise.all(
      Array.from({ length: 45 }, (_, i) =>
        tidings.send('smsc', { to: `+7701000${String(i).padStart(4, '0')}`, text: `n${i}` }),
      ),
    );
    await Promise.all(handles.map((handle) => handle.accepted));
    expect(sim.stats.submitResponses.get(CommandStatus.ESME_RTHROTTLED) ?? 0).toBe(0);
  }, 20_000);

  it("lowers its rate on the provider's speed error, then climbs back while sends succeed", async () => {
    const sim = await startSmsc();
    const channel = await started(sim, { maxPerSecond: 200, throttlePauseMs: 20 });
    expect(channel.currentRate).toBe(200);
    sim.faults.set({ throttle: { submits: 1 } });
    await expect(channel.send({ to, text: 'first' }, context('a'))).rejects.toMatchObject({
      code: 'TIDINGS_THROTTLED',
      retry: { kind: 'pause', pauseMs: 20 },
      providerStatus: CommandStatus.ESME_RTHROTTLED,
    });
    const lowered = channel.currentRate ?? 0;
    expect(lowered).toBeLessThan(200);
    await channel.send({ to, text: 'second' }, context('b'));
    expect(channel.currentRate).toBeGreaterThan(lowered);
    expect(submits(sim)).toHaveLength(2);
  });
});

describe('SMSC with several accounts', () => {
  it('runs two named instances side by side', async () => {
    const sim = await startSmsc(
      {},
      {
        accounts: [
          { systemId: 'otp', password: 'secret' },
          { systemId: 'bulk', password: 'secret' },
        ],
      },
    );
    const tidings = (await createTidings({
      plugins: [
        smscChannel(optionsFor(sim, { name: 'otp', systemId: 'otp' })),
        smscChannel(optionsFor(sim, { name: 'bulk', systemId: 'bulk', window: 2000 })),
      ],
    })) as unknown as Tidings<ChannelMap>;
    onCleanup(() => tidings.stop({ timeoutMs: 2_000 }));
    await (await tidings.send('otp', { to, text: 'Code 1' })).accepted;
    await (await tidings.send('bulk', { to, text: 'Sale' })).accepted;
    expect(sim.received.filter((r) => r.pdu.command === 'submit_sm').map((r) => r.systemId)).toEqual(['otp', 'bulk']);
  });
});
