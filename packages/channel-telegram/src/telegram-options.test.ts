import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { TelegramMessage } from './telegram-message.js';
import {
  connectionOptions,
  type ResolvedTelegramOptions,
  type TelegramOptions,
  telegramOptionsSchema,
} from './telegram-options.js';
import { telegramChannel } from './telegram-plugin.js';

const base: TelegramOptions = {
  host: 'smpp.example.net',
  port: 2775,
  systemId: 'partner',
  password: 'hunter22',
  serviceName: 'MyService',
};

function refusal(options: unknown): TidingsError {
  try {
    telegramChannel(options as TelegramOptions);
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('expected the options to be refused');
}

describe('telegramChannel options', () => {
  it('builds a plugin named "telegram" by default, or as named, typed by its name', () => {
    const plugin = telegramChannel(base);
    expect([plugin.name, plugin.kind]).toEqual(['telegram', 'telegram']);
    const named = telegramChannel({ ...base, name: 'tg-backup' });
    expect(named.name).toBe('tg-backup');
    expectTypeOf(named.name).toEqualTypeOf<'tg-backup'>();
    expectTypeOf<NonNullable<(typeof named)['~message']>>().toEqualTypeOf<TelegramMessage>();
  });

  it('takes plain JSON (a config file)', () => {
    const fromJson = JSON.parse(JSON.stringify({ ...base, tls: true, lifetimeSeconds: 300, priority: 2 }));
    expect(telegramChannel(fromJson).name).toBe('telegram');
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['no service name', { serviceName: undefined }, 'serviceName'],
    ['a service name of 21 characters', { serviceName: 'S'.repeat(21) }, 'serviceName'],
    ['a non-ASCII service name', { serviceName: 'Сервис' }, 'serviceName'],
    ['a lifetime of 29 s', { lifetimeSeconds: 29 }, 'lifetimeSeconds'],
    ['a lifetime of 3601 s', { lifetimeSeconds: 3601 }, 'lifetimeSeconds'],
    ['priority 3', { priority: 3 }, 'priority'],
    ['encoding latin1', { encoding: 'latin1' }, 'encoding'],
    ['port 0', { port: 0 }, 'port'],
    ['an empty host', { host: ' ' }, 'host'],
    ['bind mode receiver', { bindMode: 'receiver' }, 'bindMode'],
    ['a transmitter without a receiving bind while receipts are on', { bindMode: 'transmitter' }, 'receiverBinds'],
    ['receiver binds on a transceiver', { receiverBinds: 1 }, 'receiverBinds'],
    ['throughput 0', { throughput: 0 }, 'throughput'],
    ['a window of 0', { window: 0 }, 'window'],
    ['an unknown option', { sevriceName: 'typo' }, ''],
  ];
  for (const [label, change, option] of bad) {
    it(`refuses ${label}, naming the option`, () => {
      const error = refusal({ ...base, ...change });
      expect(error.code).toBe(ErrorCode.InvalidOptions);
      expect(error.message).toContain('telegram channel "telegram"');
      if (option !== '') expect(error.message).toContain(`option "${option}"`);
    });
  }

  it('accepts a transmitter with a receiver bind, or without receipts', () => {
    expect(() => telegramChannel({ ...base, bindMode: 'transmitter', receiverBinds: 1 })).not.toThrow();
    expect(() => telegramChannel({ ...base, bindMode: 'transmitter', receipts: false })).not.toThrow();
  });

  it('never shows the password in an error', () => {
    for (const password of ['x'.repeat(65), 'пароль-secret']) {
      const error = refusal({ ...base, password });
      expect(error.message).toContain('option "password"');
      expect(JSON.stringify(error)).not.toContain(password);
    }
  });

  it('checks runtime settings at creation too', () => {
    const error = refusal({ ...base, settings: { maxInFlight: 0 } });
    expect(error.message).toContain('maxInFlight');
  });

  it('checks the instance name', () => {
    expect(refusal({ ...base, name: 'bad name' }).message).toContain('option "name"');
  });

  it('fills in the defaults and maps the connection onto the SMPP transport', () => {
    const resolved = telegramOptionsSchema.parse({
      ...base,
      tls: { servername: 'smpp.example.net' },
      throughput: 10,
      window: 50,
    }) as ResolvedTelegramOptions;
    expect(resolved).toMatchObject({
      name: 'telegram',
      bindMode: 'transceiver',
      encoding: 'ucs2',
      concatenation: 'payload',
      receipts: true,
      sendPtag: true,
      pauseMs: 5_000,
    });
    expect(resolved.priority).toBeUndefined();
    expect(resolved.lifetimeSeconds).toBeUndefined();
    expect(connectionOptions(resolved)).toMatchObject({
      host: 'smpp.example.net',
      port: 2775,
      tls: { servername: 'smpp.example.net' },
      systemId: 'partner',
      password: 'hunter22',
      bindMode: 'transceiver',
      window: 50,
      maxPerSecond: 10,
    });
  });
});
