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
  sender: 'MyService',
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
    const fromJson = JSON.parse(JSON.stringify({ ...base, tls: true, validitySeconds: 300, priority: 2 }));
    expect(telegramChannel(fromJson).name).toBe('telegram');
  });

  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['no service name', { sender: undefined }, 'sender'],
    ['a service name of 21 characters', { sender: 'S'.repeat(21) }, 'sender'],
    ['a non-ASCII service name', { sender: 'Сервис' }, 'sender'],
    ['a lifetime of 29 s', { validitySeconds: 29 }, 'validitySeconds'],
    ['a lifetime of 3601 s', { validitySeconds: 3601 }, 'validitySeconds'],
    ['priority 3', { priority: 3 }, 'priority'],
    ['encoding latin1', { encoding: 'latin1' }, 'encoding'],
    ['port 0', { port: 0 }, 'port'],
    ['an empty host', { host: ' ' }, 'host'],
    ['bind mode receiver', { bindMode: 'receiver' }, 'bindMode'],
    ['a transmitter without a receiving bind while receipts are on', { bindMode: 'transmitter' }, 'receiverBinds'],
    ['receiver binds on a transceiver', { receiverBinds: 1 }, 'receiverBinds'],
    ['maxPerSecond 0', { maxPerSecond: 0 }, 'maxPerSecond'],
    ['a window of 0', { window: 0 }, 'window'],
    ['an enquire_link timeout of 0', { enquireLinkTimeoutMs: 0 }, 'enquireLinkTimeoutMs'],
    ['a reconnect multiplier below 1', { reconnect: { multiplier: 0.5 } }, 'reconnect.multiplier'],
    ['a reconnect jitter over 1', { reconnect: { jitter: 1.5 } }, 'reconnect.jitter'],
    ['a backup host without a host', { backupHosts: [{ port: 2775 }] }, 'backupHosts[0].host'],
    ['the old option serviceName', { serviceName: 'MyService' }, ''],
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

  it('never shows a password or a TLS private key in an error, whatever is wrong', () => {
    const cases: Array<Record<string, unknown>> = [
      { password: 'sécret-PW1' },
      { password: `PW1-${'x'.repeat(70)}` },
      { pasword: 'PW1-secret' },
      { tls: { key: 'PW1-PRIVATE-KEY', bogus: 1 } },
      { tls: { key: 'PW1-PRIVATE-KEY', rejectUnauthorized: 'no' } },
    ];
    for (const change of cases) {
      const error = refusal({ ...base, ...change });
      expect(`${error.message} ${JSON.stringify(error)}`).not.toMatch(/PW1|sécret/);
    }
  });

  it('reports a password or system_id over 64 characters as too long, not as "must be a string"', () => {
    for (const option of ['password', 'systemId']) {
      const error = refusal({ ...base, [option]: 'x'.repeat(65) });
      expect(error.message).toContain(`option "${option}": must be at most 64 characters`);
      expect(error.message).not.toContain('must be a string');
    }
    expect(refusal({ ...base, systemType: 'x'.repeat(13) }).message).toContain(
      'option "systemType": must be at most 12 characters',
    );
  });

  it('says "is required" for a missing password, system_id or service name, and "must be a string" for another type', () => {
    for (const option of ['password', 'systemId', 'sender']) {
      expect(refusal({ ...base, [option]: undefined }).message).toContain(`option "${option}": is required`);
      expect(refusal({ ...base, [option]: 42 }).message).toContain(`option "${option}": must be a string`);
    }
  });

  it('names the field inside a tls object: tls.rejectUnauthorized, tls.ca, an unknown key', () => {
    const badFlag = refusal({ ...base, tls: { rejectUnauthorized: 'no' } });
    expect(badFlag.message).toContain('option "tls.rejectUnauthorized": must be true or false');
    expect(badFlag.message).not.toContain('Invalid input');
    const badCa = refusal({ ...base, tls: { ca: ['-----BEGIN CERTIFICATE-----', 42] } });
    expect(badCa.message).toContain('option "tls.ca": must be a PEM certificate string or an array of them');
    const unknown = refusal({ ...base, tls: { severname: 'smpp.example.net' } });
    expect(unknown.message).toMatch(/option "tls": .*"severname"/);
    expect(badFlag.details?.options).toEqual(['tls.rejectUnauthorized']);
  });

  it('says what tls takes when it is neither true/false nor an object', () => {
    for (const tls of ['yes', 1, null, []]) {
      expect(refusal({ ...base, tls }).message).toContain(
        'option "tls": must be true, false or an object { ca, rejectUnauthorized, servername, cert, key }',
      );
    }
  });

  it('takes tls as true, false or an object, and leaves it out by default', () => {
    for (const tls of [true, false, { ca: ['pem'], rejectUnauthorized: false, servername: 'smpp.example.net' }]) {
      const resolved = telegramOptionsSchema.parse({ ...base, tls }) as ResolvedTelegramOptions;
      expect(resolved.tls).toEqual(tls);
    }
    expect('tls' in telegramOptionsSchema.parse(base)).toBe(false);
  });

  it('says "is required" for a missing host or port, and what it takes otherwise', () => {
    expect(refusal({ ...base, host: undefined }).message).toContain('option "host": is required');
    expect(refusal({ ...base, port: undefined }).message).toContain('option "port": is required');
    expect(refusal({ ...base, port: '2775' }).message).toContain('option "port": must be a TCP port (1-65535)');
    expect(refusal({ ...base, port: 70_000 }).message).toContain('option "port": must be a TCP port (1-65535)');
    expect(refusal({ ...base, backupHosts: 'backup.example.net' }).message).toContain(
      'option "backupHosts": must be a list of { host, port? }',
    );
  });

  it('says why bindMode "receiver" is refused', () => {
    expect(refusal({ ...base, bindMode: 'receiver' }).message).toContain(
      'option "bindMode": must be "transceiver" or "transmitter" (a receiver-only bind cannot send codes)',
    );
  });

  it('refuses settings that are not a plain object (an array)', () => {
    expect(refusal({ ...base, settings: [] }).message).toContain(
      'option "settings": must be an object of runtime settings',
    );
  });

  it('accepts undefined for every optional option, as an unset environment variable gives', () => {
    const unset: string | undefined = process.env.TIDINGS_TELEGRAM_TEST_UNSET;
    const plugin = telegramChannel({
      ...base,
      name: undefined,
      systemType: unset,
      tls: undefined,
      backupHosts: undefined,
      bindMode: undefined,
      binds: undefined,
      window: undefined,
      maxPerSecond: undefined,
      validitySeconds: undefined,
      receipts: undefined,
      throttlePauseMs: undefined,
      connectTimeoutMs: undefined,
      bindTimeoutMs: undefined,
      responseTimeoutMs: undefined,
      enquireLinkIntervalMs: undefined,
      enquireLinkTimeoutMs: undefined,
      unbindTimeoutMs: undefined,
      reconnect: { initialDelayMs: undefined, maxDelayMs: undefined, multiplier: undefined, jitter: undefined },
      maxBindFailures: undefined,
      settings: undefined,
    });
    expect(plugin.name).toBe('telegram');
  });

  it('sends a backup host without a port to the primary port', () => {
    const resolved = telegramOptionsSchema.parse({
      ...base,
      backupHosts: [{ host: 'backup-1.example.net' }, { host: 'backup-2.example.net', port: 2776 }],
    }) as ResolvedTelegramOptions;
    expect(connectionOptions(resolved).backupHosts).toEqual([
      { host: 'backup-1.example.net', port: 2775 },
      { host: 'backup-2.example.net', port: 2776 },
    ]);
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
      maxPerSecond: 10,
      window: 50,
      enquireLinkTimeoutMs: 7_000,
    }) as ResolvedTelegramOptions;
    expect(resolved).toMatchObject({
      name: 'telegram',
      bindMode: 'transceiver',
      encoding: 'ucs2',
      concatenation: 'payload',
      receipts: true,
      sendPtag: true,
      throttlePauseMs: 5_000,
    });
    expect(resolved.priority).toBeUndefined();
    expect(resolved.validitySeconds).toBeUndefined();
    expect(connectionOptions(resolved)).toMatchObject({
      host: 'smpp.example.net',
      port: 2775,
      tls: { servername: 'smpp.example.net' },
      systemId: 'partner',
      password: 'hunter22',
      bindMode: 'transceiver',
      window: 50,
      maxPerSecond: 10,
      enquireLinkTimeoutMs: 7_000,
    });
  });
});
