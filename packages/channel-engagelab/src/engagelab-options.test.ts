import { ErrorCode, TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { describe, expect, it } from 'vitest';
import { type EngageLabOptions, engagelabOptionsSchema, toConnectionOptions } from './engagelab-options.js';
import { engagelabChannel } from './engagelab-plugin.js';

const base = { port: 2775, systemId: 'acme', password: 'pa55word' } as const;

function refusal(options: unknown): TidingsError {
  try {
    engagelabChannel(options as EngageLabOptions);
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('the options were accepted');
}

describe('engagelabChannel options', () => {
  it('defaults: host otpsmpp.api.engagelab.cc, bind_transceiver, enquire_link every 30 s, UCS2, strict recipients', () => {
    const plugin = engagelabChannel(base);
    expect(plugin.name).toBe('engagelab');
    expect(plugin.kind).toBe('engagelab');
    const resolved = engagelabOptionsSchema.parse(base);
    expect(resolved).toMatchObject({ name: 'engagelab', receipts: true, sender: '', dataCoding: 'ucs2' });
    const connection = toConnectionOptions(resolved);
    expect(connection).toMatchObject({
      host: 'otpsmpp.api.engagelab.cc',
      port: 2775,
      bindMode: 'transceiver',
      enquireLinkIntervalMs: 30_000,
      maxBindFailures: 3,
    });
    const channel = resolveChannel(plugin);
    expect(channel.capabilities).toEqual({ kinds: ['template', 'code'], receipts: true, inbound: false });
  });

  it('takes an instance name, settings, TLS, window and throughput, mapped onto the SMPP connection', () => {
    const input = {
      ...base,
      name: 'otp-sg',
      host: 'smpp.example.test',
      tls: { servername: 'otpsmpp.api.engagelab.cc' },
      window: 50,
      maxPerSecond: 20,
      maxBindFailures: 5,
      settings: { maxInFlight: 50 },
    } as const;
    const plugin = engagelabChannel(input);
    expect(plugin.name).toBe('otp-sg');
    expect(plugin.settings).toEqual({ maxInFlight: 50 });
    expect(toConnectionOptions(engagelabOptionsSchema.parse(input))).toEqual({
      host: 'smpp.example.test',
      port: 2775,
      systemId: 'acme',
      password: 'pa55word',
      bindMode: 'transceiver',
      tls: { servername: 'otpsmpp.api.engagelab.cc' },
      window: 50,
      maxPerSecond: 20,
      enquireLinkIntervalMs: 30_000,
      maxBindFailures: 5,
    });
  });

  it('refuses bind modes other than bind_transceiver (a configuration error)', () => {
    const error = refusal({ ...base, bindMode: 'transmitter' });
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message).toContain('option "bindMode"');
    expect(error.message).toContain('bind_transceiver only');
    expect(engagelabChannel({ ...base, bindMode: 'transceiver' }).name).toBe('engagelab');
  });

  it("keeps the keep-alive within the page's 30 s ± 5 s", () => {
    expect(engagelabChannel({ ...base, enquireLinkIntervalMs: 25_000 }).name).toBe('engagelab');
    expect(engagelabChannel({ ...base, enquireLinkIntervalMs: 35_000 }).name).toBe('engagelab');
    for (const enquireLinkIntervalMs of [0, 24_999, 35_001, 60_000]) {
      const error = refusal({ ...base, enquireLinkIntervalMs });
      expect(error.message).toContain('option "enquireLinkIntervalMs"');
    }
  });

  it('names each bad option and never echoes the password', () => {
    const error = refusal({ port: 70_000, systemId: '', password: 42, dataCoding: 'gsm7', systemID: 'typo' });
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message).toContain('engagelab channel "engagelab"');
    for (const option of ['port', 'systemId', 'password', 'dataCoding']) expect(error.message).toContain(`"${option}"`);
    expect(error.message).toContain('systemID');
    const secret = refusal({ ...base, password: 'hunter2-secret', port: 'x' });
    expect(secret.message).not.toContain('hunter2-secret');
    expect(JSON.stringify(secret)).not.toContain('hunter2-secret');
  });

  it('refuses a password that is missing or cannot travel in a bind (C-Octet string)', () => {
    expect(refusal({ port: 2775, systemId: 'acme' }).message).toContain('option "password"');
    const error = refusal({ ...base, password: 'pässwörd' });
    expect(error.message).toContain('option "password": must be printable ASCII');
    expect(error.message).not.toContain('pässwörd');
    expect(refusal({ ...base, systemId: 'x'.repeat(65) }).message).toContain('option "systemId"');
  });

  it('refuses options that are not an object', () => {
    for (const options of [undefined, null, 'port=2775']) expect(refusal(options).code).toBe(ErrorCode.InvalidOptions);
  });

  it('checks the instance name; an empty one is refused, not replaced by the default', () => {
    expect(refusal({ ...base, name: 'bad name!' }).message).toContain('name');
    expect(refusal({ ...base, name: '' }).code).toBe(ErrorCode.InvalidOptions);
  });

  it('says "is required" / "must be a string" / "must be at most 64 characters", never the value', () => {
    expect(refusal({ port: 2775, password: 'pw' }).message).toContain('option "systemId": is required');
    expect(refusal({ port: 2775, systemId: 'acme' }).message).toContain('option "password": is required');
    expect(refusal({ systemId: 'acme', password: 'pw' }).message).toContain('option "port": is required');
    expect(refusal({ ...base, systemId: 42 }).message).toContain('option "systemId": must be a string');
    expect(refusal({ ...base, password: 42 }).message).toContain('option "password": must be a string');
    const long = 'p'.repeat(65);
    const error = refusal({ ...base, password: long });
    expect(error.message).toContain('option "password": must be at most 64 characters');
    expect(error.message).not.toContain(long);
    expect(engagelabChannel({ ...base, password: 'p'.repeat(64) }).name).toBe('engagelab');
  });

  it('takes undefined for every optional option (an unset environment variable keeps the default)', () => {
    const plugin = engagelabChannel({
      ...base,
      name: undefined,
      host: undefined,
      backupHosts: undefined,
      tls: undefined,
      systemType: undefined,
      bindMode: undefined,
      binds: undefined,
      window: undefined,
      maxPerSecond: undefined,
      enquireLinkIntervalMs: undefined,
      receipts: undefined,
      sender: undefined,
      settings: undefined,
    });
    expect(plugin.name).toBe('engagelab');
    expect(engagelabOptionsSchema.parse({ ...base, host: undefined, name: undefined })).toMatchObject({
      name: 'engagelab',
      host: 'otpsmpp.api.engagelab.cc',
    });
  });

  it('backupHosts: [{ host, port? }], a missing port is the primary port', () => {
    const resolved = engagelabOptionsSchema.parse({
      ...base,
      backupHosts: [{ host: 'backup-1.example.test' }, { host: 'backup-2.example.test', port: 2776 }],
    });
    expect(toConnectionOptions(resolved).backupHosts).toEqual([
      { host: 'backup-1.example.test', port: 2775 },
      { host: 'backup-2.example.test', port: 2776 },
    ]);
    expect(refusal({ ...base, backupHosts: ['backup.example.test'] }).message).toContain('backupHosts');
    expect(refusal({ ...base, backupHosts: [{ host: '' }] }).message).toContain(
      'option "backupHosts[0].host": must be a host name',
    );
  });

  it('systemType goes into the bind; longer than 12 characters is refused', () => {
    expect(toConnectionOptions(engagelabOptionsSchema.parse({ ...base, systemType: 'OTP' })).systemType).toBe('OTP');
    expect(refusal({ ...base, systemType: 'x'.repeat(13) }).message).toContain(
      'option "systemType": must be at most 12 characters',
    );
  });

  it('receipts: true (the default); false is refused, as EngageLab always sends delivery reports', () => {
    expect(engagelabChannel({ ...base, receipts: true }).name).toBe('engagelab');
    const error = refusal({ ...base, receipts: false });
    expect(error.message).toContain('option "receipts": must be true');
    expect(error.message).toContain('delivery report for every message');
  });

  it('sender: the default source_addr, printable ASCII of at most 20 characters', () => {
    expect(engagelabOptionsSchema.parse({ ...base, sender: 'AcmeBank' }).sender).toBe('AcmeBank');
    expect(refusal({ ...base, sender: 'x'.repeat(21) }).message).toContain('option "sender": must be at most 20');
  });

  it('reconnect.multiplier is at least 1; jitter 0..1; settings a plain object, not an array', () => {
    expect(refusal({ ...base, reconnect: { multiplier: 0.5 } }).message).toContain('option "reconnect.multiplier"');
    expect(refusal({ ...base, reconnect: { jitter: 1.5 } }).message).toContain('option "reconnect.jitter"');
    expect(engagelabChannel({ ...base, reconnect: { multiplier: 1, jitter: 0 } }).name).toBe('engagelab');
    expect(refusal({ ...base, settings: [] }).message).toContain('option "settings": must be an object');
  });
});
