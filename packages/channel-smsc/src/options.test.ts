import { resolveSmppConnection } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { type SmscOptions, smscOptionsSchema, toConnectionOptions } from './options.js';
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
    expect(resolve({ host: 'a.example', backupHosts: ['b.example'], port: 2775 })).toMatchObject({
      host: 'a.example',
      port: 2775,
      backupHosts: [{ host: 'b.example', port: 2775 }],
    });
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
    expect(creationError({ ...base, window: 2001 }).message).toContain('option "window"');
  });

  it('maps onto connection options the transport accepts', () => {
    expect(() => resolveSmppConnection(resolve({ tls: { servername: 'smpp.smscentre.com' } }), 'smsc')).not.toThrow();
  });

  it('refuses a Cyrillic systemId (login) or password with a clear message that never shows the password', () => {
    const login = creationError({ ...base, systemId: 'логин' });
    expect(login).toMatchObject({ code: 'TIDINGS_INVALID_OPTIONS' });
    expect(login.message).toContain('option "systemId": systemId must not contain Cyrillic letters');
    const password = creationError({ ...base, password: 'пароль42' });
    expect(password.message).toContain('option "password": password must not contain Cyrillic letters');
    expect(password.message).not.toContain('пароль42');
    expect(creationError({ ...base, password: 'pässwörd' }).message).toContain('password must be printable ASCII');
    expect(creationError({ ...base, password: '' }).message).toContain('password must not be empty');
  });

  it('keeps keep-alive well under the 2-minute idle limit', () => {
    expect(resolve({ enquireLinkIntervalMs: 100_000 })).toMatchObject({ enquireLinkIntervalMs: 100_000 });
    expect(creationError({ ...base, enquireLinkIntervalMs: 120_000 }).message).toContain(
      'option "enquireLinkIntervalMs"',
    );
  });

  it('refuses MCON outside 1..9, fewer allowed connections than bound ones, unknown options and bad senders', () => {
    expect(creationError({ ...base, binds: 10 }).message).toContain('option "binds"');
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
