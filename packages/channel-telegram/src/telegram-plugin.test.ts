import { readFileSync } from 'node:fs';
import {
  type ChannelRegistry,
  createTidings,
  ErrorCode,
  type LogFields,
  type Logger,
  type MessageFor,
  type RegisteredChannels,
  TidingsError,
} from '@tidings/core';
import { fakeChannel } from '@tidings/core/testing';
import { describe, expect, expectTypeOf, it, onTestFinished } from 'vitest';
import { gatewayOptions, startGateway, startRuntime } from './telegram.test-helper.js';
import type { TelegramMessage } from './telegram-message.js';
import { telegramChannel } from './telegram-plugin.js';

// A test-only self-signed pair for 127.0.0.1 (test/fixtures/tls).
const fixtures = new URL('../test/fixtures/tls/', import.meta.url);
const key = readFileSync(new URL('key.pem', fixtures), 'utf8');
const cert = readFileSync(new URL('cert.pem', fixtures), 'utf8');

describe('telegram plugin in a runtime', () => {
  it('speaks SMPP over TLS with option tls', async () => {
    const sim = await startGateway({}, { tls: { key, cert } });
    const { tidings } = await startRuntime(sim, { tls: { ca: cert } });
    expect((await (await tidings.send('telegram', { to: '+79036550550', code: '4821' })).settled).type).toBe(
      'delivered',
    );
    expect(sim.sessions.every((session) => session.tls)).toBe(true);
  });

  it('types send by its message shape: a code is required', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    // @ts-expect-error a Telegram message needs a code
    const refused = await tidings.send('telegram', { to: '+79036550550', text: 'hello' }).catch((e: unknown) => e);
    expect(TidingsError.is(refused, ErrorCode.InvalidMessage)).toBe(true);
    expectTypeOf<ChannelRegistry['telegram']>().toEqualTypeOf<TelegramMessage>();
    expectTypeOf<MessageFor<RegisteredChannels, 'telegram'>>().toExtend<TelegramMessage>();
  });

  it('falls back on the client side, as the provider offers no cascade: a refused code goes to the next channel', async () => {
    const sim = await startGateway({ blockedRecipients: ['79036550550'] });
    const sms = fakeChannel<'sms', TelegramMessage>({ name: 'sms' });
    const tidings = await createTidings({ plugins: [telegramChannel(gatewayOptions(sim)), sms] });
    onTestFinished(() => tidings.stop({ timeoutMs: 1_000 }));
    const handle = await tidings.send(['telegram', 'sms'], { to: '79036550550', code: '4821' });
    const end = await handle.settled;
    expect([end.type, end.channel]).toEqual(['delivered', 'sms']);
    expect(sms.control.sends.map((send) => send.message.code)).toEqual(['4821']);
  });

  it('warns once at start when maxPerSecond is unset: after 0x58 the channel could only resume at full speed', async () => {
    const sim = await startGateway();
    const warnings: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (message) => warnings.push(message),
      error: () => {},
    };
    const unset = await createTidings({ plugins: [telegramChannel(gatewayOptions(sim))], logger });
    onTestFinished(() => unset.stop({ timeoutMs: 1_000 }));
    expect(warnings.filter((message) => message.includes('"maxPerSecond" is not set'))).toHaveLength(1);
    warnings.length = 0;
    const set = await createTidings({ plugins: [telegramChannel(gatewayOptions(sim, { maxPerSecond: 10 }))], logger });
    onTestFinished(() => set.stop({ timeoutMs: 1_000 }));
    expect(warnings.filter((message) => message.includes('maxPerSecond'))).toEqual([]);
  });

  it('never shows the password: not in the start error, not in the logs', async () => {
    const sim = await startGateway();
    const lines: string[] = [];
    const record = (level: string) => (message: string, fields?: LogFields) =>
      lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const logger: Logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    const plugin = telegramChannel(gatewayOptions(sim, { password: 'pw-9Xq7', maxBindFailures: 1 }));
    const error = await createTidings({ plugins: [plugin], logger }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.StartFailed)).toBe(true);
    expect(TidingsError.is((error as Error).cause, ErrorCode.AuthFailed)).toBe(true);
    expect(String((error as Error).message)).toContain('telegram channel "telegram"');
    const everything = [
      JSON.stringify(error),
      String((error as Error).message),
      String((error as Error).cause),
      ...lines,
    ];
    expect(lines.length).toBeGreaterThan(0);
    expect(everything.join('\n')).not.toContain('pw-9Xq7');
    expect(sim.pdus({ command: 'bind_transceiver' }).length).toBeGreaterThan(0);
  });

  it('after a drop, maxBindFailures refused binds in a row stop reconnecting: the channel goes failed with TIDINGS_AUTH_FAILED', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim, { maxBindFailures: 2 });
    const failed = new Promise<void>((resolve) => {
      const subscription = tidings.state$('telegram').subscribe((state) => {
        if (state.status === 'failed') {
          queueMicrotask(() => subscription.unsubscribe());
          resolve();
        }
      });
    });
    sim.faults.set({ bindFailure: 0x0e });
    for (const session of sim.sessions) sim.closeSession(session.id, 'reset');
    await failed;
    expect(sim.stats.bindsRefused).toBe(2);
    const end = await (await tidings.send('telegram', { to: '+79036550550', code: '4821' })).settled;
    expect(end.type === 'failed' && end.error.code).toBe(ErrorCode.AuthFailed);
  });
});
