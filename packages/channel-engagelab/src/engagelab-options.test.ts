import { ErrorCode, TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { describe, expect, it } from 'vitest';
import {
  ENGAGELAB_DEFAULT_HOST,
  type EngageLabChannelOptions,
  engagelabOptionsSchema,
  toConnectionOptions,
} from './engagelab-options.js';
import { engagelabChannel } from './engagelab-plugin.js';

const base = { port: 2775, systemId: 'acme', password: 'pa55word' } as const;

function refusal(options: unknown): TidingsError {
  try {
    engagelabChannel(options as EngageLabChannelOptions);
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
    const connection = toConnectionOptions({
      ...base,
      host: ENGAGELAB_DEFAULT_HOST,
      enquireLinkIntervalMs: 30_000,
      maxBindFailures: 3,
      dataCoding: 'ucs2',
      normalizeRecipients: false,
    });
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

  it('checks the instance name', () => {
    expect(refusal({ ...base, name: 'bad name!' }).message).toContain('option "name"');
  });
});
