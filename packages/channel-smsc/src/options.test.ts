import { resolveSmppConnection } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { defaultValidity, type SmscOptions, smscOptionsSchema, toConnectionOptions } from './options.js';
import { smscChannel } from './smsc-channel-plugin.js';

const base: SmscOptions = { systemId: 'acme', password: 's3cret' };
const resolve = (options: Partial<SmscOptions> = {}) =>
  toConnectionOptions(smscOptionsSchema.parse({ ...base, ...options }));

function creationError(options: unknown): Error & { code?: string; message: string } {
  try {
    smscChannel(options as SmscOptions);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the plugin factory to throw');
}

describe('smscChannel options', () => {
  it('defaults to the reference settings: smscentre.com with its backup, port 3700, transceiver, window 300, 30 SMS/s, enquire_link 60 s', () => {
    const connection = resolve();
    expect(connection).toMatchObject({
      host: 'smpp.smscentre.com',
      port: 3700,
      backupHosts: [{ host: 'smpp2.smscentre.com', port: 3700 }],
      systemId: 'acme',
      password: 's3cret',
      bindMode: 'transceiver',
      addressing: { interfaceVersion: 0x34 },
      binds: 1,
      window: 300,
      maxPerSecond: 30,
      enquireLinkIntervalMs: 60_000,
    });
    expect(connection.systemType).toBeUndefined();
    expect(connection.tls).toBeUndefined();
  });

  it('the smsc.kz region gives smpp.smsc.kz backed by smpp2.smsc.kz; TLS moves to port 3443', () => {
    expect(resolve({ region: 'smsc.kz' })).toMatchObject({
      host: 'smpp.smsc.kz',
      backupHosts: [{ host: 'smpp2.smsc.kz', port: 3700 }],
    });
    expect(resolve({ region: 'smsc.kz', tls: true })).toMatchObject({
      host: 'smpp.smsc.kz',
      port: 3443,
      tls: true,
      backupHosts: [{ host: 'smpp2.smsc.kz', port: 3443 }],
    });
  });

  it('explicit hosts override the region: a host alone has no backup unless given', () => {
    expect(resolve({ host: '10.0.0.1' })).toMatchObject({ host: '10.0.0.1', backupHosts: [] });
    expect(
      resolve({
        host: 'a.example',
        backupHosts: [{ host: 'b.example' }, { host: 'c.example', port: 2776 }],
        port: 2775,
      }),
    ).toMatchObject({
      host: 'a.example',
      port: 2775,
      backupHosts: [
        { host: 'b.example', port: 2775 },
        { host: 'c.example', port: 2776 },
      ],
    });
    expect(creationError({ ...base, backupHosts: ['b.example'] }).message).toContain('option "backupHosts[0]"');
    expect(creationError({ ...base, backupHosts: [{ host: 'b.example', port: 0 }] }).message).toContain(
      'option "backupHosts[0].port": must be a TCP port (1-65535)',
    );
  });

  it('builds system_type from binds (MCONn), iso (ISO) and single (SINGLE)', () => {
    expect(resolve({ binds: 3 })).toMatchObject({ binds: 3, systemType: 'MCON3' });
    expect(resolve({ binds: 2, maxConnections: 5 })).toMatchObject({ binds: 2, systemType: 'MCON5' });
    expect(resolve({ maxConnections: 1 })).toMatchObject({ binds: 1, systemType: 'MCON1' });
    expect(resolve({ iso: true })).toMatchObject({ systemType: 'ISO' });
    expect(resolve({ single: true })).toMatchObject({ systemType: 'SINGLE' });
    expect(resolve({ iso: true, single: true })).toMatchObject({ systemType: 'ISO,SINGLE' });
    expect(resolve({ binds: 9, iso: true, single: true })).toMatchObject({ systemType: 'MCON9,ISO,SINGLE' });
  });

  it('lets the window go up to 2000 for mass mailings', () => {
    expect(resolve({ window: 2000 })).toMatchObject({ window: 2000 });
    expect(creationError({ ...base, window: 2001 }).message).toContain('option "window": must be 1 to 2000');
  });

  it('maps onto connection options the transport accepts', () => {
    expect(() => resolveSmppConnection(resolve({ tls: { servername: 'smpp.smscentre.com' } }), 'smsc')).not.toThrow();
  });

  it('refuses a Cyrillic systemId (login) or password with a clear message that never shows the password', () => {
    const login = creationError({ ...base, systemId: 'логин' });
    expect(login).toMatchObject({ code: 'TIDINGS_INVALID_OPTIONS' });
    expect(login.message).toContain('option "systemId": must not contain Cyrillic letters');
    const password = creationError({ ...base, password: 'пароль42' });
    expect(password.message).toContain('option "password": must not contain Cyrillic letters');
    expect(password.message).not.toContain('пароль42');
    const accented = creationError({ ...base, password: 'pässwörd' });
    expect(accented.message).toContain('option "password": must be printable ASCII');
    expect(accented.message).not.toContain('pässwörd');
    expect(creationError({ ...base, password: '' }).message).toContain('option "password": must not be empty');
  });

  it('words credential errors as the other channels do: "is required", "must be a string", "must be at most 64 characters"', () => {
    expect(creationError({ password: 's3cret' }).message).toContain('option "systemId": is required');
    expect(creationError({ systemId: 'acme' }).message).toContain('option "password": is required');
    expect(creationError({ ...base, systemId: 42 }).message).toContain('option "systemId": must be a string');
    const long = 'x'.repeat(65);
    const tooLong = creationError({ ...base, password: long });
    expect(tooLong.message).toContain('option "password": must be at most 64 characters');
    expect(tooLong.message).not.toContain(long);
    expect(smscChannel({ ...base, password: 'x'.repeat(64) }).name).toBe('smsc');
  });

  it('accepts every common connection option and hands it to the transport', () => {
    const connection = resolve({
      bindMode: 'transceiver',
      connectTimeoutMs: 1_000,
      bindTimeoutMs: 2_000,
      responseTimeoutMs: 3_000,
      enquireLinkTimeoutMs: 4_000,
      unbindTimeoutMs: 5_000,
      reconnect: { initialDelayMs: 10, maxDelayMs: 100, multiplier: 1.5, jitter: 0 },
      maxBindFailures: 5,
    });
    expect(resolveSmppConnection(connection, 'smsc')).toMatchObject({
      mode: 'transceiver',
      timeouts: {
        connectTimeoutMs: 1_000,
        bindTimeoutMs: 2_000,
        responseTimeoutMs: 3_000,
        enquireLinkIntervalMs: 60_000,
        enquireLinkTimeoutMs: 4_000,
        unbindTimeoutMs: 5_000,
      },
      reconnect: { initialDelayMs: 10, maxDelayMs: 100, multiplier: 1.5, jitter: 0 },
      maxBindFailures: 5,
    });
  });

  it('takes undefined for every optional option (an unset environment variable keeps the default)', () => {
    const unset: string | undefined = undefined;
    const options: SmscOptions = {
      ...base,
      name: undefined,
      host: unset,
      port: undefined,
      backupHosts: undefined,
      tls: undefined,
      bindMode: undefined,
      binds: undefined,
      window: undefined,
      maxPerSecond: undefined,
      connectTimeoutMs: undefined,
      bindTimeoutMs: undefined,
      responseTimeoutMs: undefined,
      enquireLinkIntervalMs: undefined,
      enquireLinkTimeoutMs: undefined,
      unbindTimeoutMs: undefined,
      reconnect: undefined,
      maxBindFailures: undefined,
      sender: undefined,
      validitySeconds: undefined,
      receipts: undefined,
      throttlePauseMs: undefined,
      settings: undefined,
    };
    expect(smscChannel(options).name).toBe('smsc');
    expect(toConnectionOptions(smscOptionsSchema.parse(options))).toMatchObject({
      host: 'smpp.smscentre.com',
      port: 3700,
      backupHosts: [{ host: 'smpp2.smscentre.com', port: 3700 }],
    });
  });

  it('binds as a transceiver only and builds system_type itself, saying why when asked otherwise', () => {
    expect(creationError({ ...base, bindMode: 'transmitter' }).message).toContain(
      'option "bindMode": SMSC takes a transceiver bind',
    );
    expect(creationError({ ...base, systemType: 'MCON2' }).message).toContain(
      'option "systemType": is built by the channel from maxConnections / binds (MCONn), iso (ISO) and single (SINGLE)',
    );
  });

  it('checks tls field by field, naming the field', () => {
    expect(creationError({ ...base, tls: { ca: 42 } }).message).toContain('option "tls.ca": must be PEM text');
    expect(creationError({ ...base, tls: { rejectUnauthorized: 'no' } }).message).toContain(
      'option "tls.rejectUnauthorized": must be true or false',
    );
    expect(creationError({ ...base, tls: { verify: false } }).message).toContain('verify');
    expect(creationError({ ...base, tls: 'yes' }).message).toContain(
      'option "tls": must be true, false or an object { ca, rejectUnauthorized, servername, cert, key }',
    );
    expect(resolve({ tls: { ca: ['a', 'b'], rejectUnauthorized: false } })).toMatchObject({
      port: 3443,
      tls: { ca: ['a', 'b'], rejectUnauthorized: false },
    });
  });

  it('refuses settings that are not a plain object, and a reconnect multiplier below 1 or jitter outside 0..1', () => {
    expect(creationError({ ...base, settings: [] }).message).toContain(
      'option "settings": must be an object of runtime settings',
    );
    expect(creationError({ ...base, reconnect: { multiplier: 0.5 } }).message).toContain(
      'option "reconnect.multiplier"',
    );
    expect(creationError({ ...base, reconnect: { jitter: 2 } }).message).toContain('option "reconnect.jitter"');
  });

  it('sends a validity of validitySeconds, by default the reference 1440 minutes (one day)', () => {
    expect(defaultValidity(smscOptionsSchema.parse(base))).toBe('000001000000000R');
    expect(defaultValidity(smscOptionsSchema.parse({ ...base, validitySeconds: 300 }))).toBe('000000000500000R');
    expect(creationError({ ...base, validitySeconds: 30 }).message).toContain(
      'option "validitySeconds": must be 60 to 2592000 seconds',
    );
  });

  it('keeps keep-alive well under the 2-minute idle limit', () => {
    expect(resolve({ enquireLinkIntervalMs: 100_000 })).toMatchObject({ enquireLinkIntervalMs: 100_000 });
    expect(creationError({ ...base, enquireLinkIntervalMs: 120_000 }).message).toContain(
      'option "enquireLinkIntervalMs": must be at most 100000 ms: SMSC drops a connection idle for 2 minutes',
    );
  });

  it('refuses MCON outside 1..9, fewer allowed connections than bound ones, unknown options and bad senders', () => {
    expect(creationError({ ...base, binds: 10 }).message).toContain(
      'option "binds": must be 1 to 9: SMSC allows at most 9 connections per login',
    );
    expect(creationError({ ...base, binds: 0 }).message).toContain('option "binds"');
    expect(creationError({ ...base, binds: 3, maxConnections: 2 }).message).toContain(
      'option "maxConnections": must be at least "binds" (3)',
    );
    expect(creationError({ ...base, conections: 2 }).message).toContain('conections');
    expect(creationError({ ...base, sender: 'ThisNameIsTooLong' }).message).toContain('option "sender"');
    expect(creationError({ ...base, region: 'smsc.ru' }).message).toContain('option "region"');
    expect(creationError({ ...base, guards: { flood: { action: 'drop' } } }).message).toContain('option "guards.flood');
  });

  it('turns guards on by default, each configurable', () => {
    expect(smscOptionsSchema.parse(base).guards).toEqual({
      duplicateWindowMs: 60_000,
      flood: { maxMessages: 50, minGapMs: 30_000, action: 'hold' },
      partsWithinMs: 60_000,
    });
    expect(smscOptionsSchema.parse({ ...base, guards: { flood: false, duplicateWindowMs: 0 } }).guards).toEqual({
      duplicateWindowMs: 0,
      flood: false,
      partsWithinMs: 60_000,
    });
  });

  it('names the plugin instance (default smsc) and lets the runtime hand it a window of sends', () => {
    const plugin = smscChannel(base);
    expect(plugin.name).toBe('smsc');
    expect(plugin.kind).toBe('smsc');
    expect(plugin.settings.maxInFlight).toBe(300);
    const bulk = smscChannel({ ...base, name: 'bulk', binds: 2, window: 1000, settings: { maxInFlight: 50 } });
    expect(bulk.name).toBe('bulk');
    expect(bulk.settings.maxInFlight).toBe(50);
    expect(smscChannel({ ...base, binds: 2, window: 1000 }).settings.maxInFlight).toBe(2000);
    expect(creationError({ ...base, name: 'bad name' }).message).toContain('option "name"');
  });
});
