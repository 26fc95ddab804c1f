import { ErrorCode, TidingsError, validateOptions } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveSmppConnection } from './connection-options.js';
import {
  reconnectOption,
  requiredString,
  smppConnectionFields,
  tlsOptionOf,
  toSmppConnection,
} from './connection-schema.js';

/** A channel's schema as the channel packages build theirs: the shared shape, one field re-defaulted. */
const schema = z.strictObject({
  ...smppConnectionFields,
  window: smppConnectionFields.window.unwrap().default(300),
});
const base = { host: 'smpp.example.net', port: 2775, systemId: 'acme', password: 's3cret' };

function refusal(input: unknown): string {
  try {
    validateOptions(schema, input, 'test channel "sms"');
  } catch (error) {
    if (TidingsError.is(error, ErrorCode.InvalidOptions)) return error.message;
    throw error;
  }
  throw new Error('the options were accepted');
}

describe('smppConnectionFields', () => {
  it('takes the common options and fills in what the channel re-defaults', () => {
    const resolved = schema.parse(base);
    expect(resolved).toMatchObject({ ...base, window: 300 });
    expect(schema.parse({ ...base, window: 20 }).window).toBe(20);
  });

  it('says "is required" for a missing option and what it takes for another type', () => {
    expect(refusal({ ...base, host: undefined })).toContain('option "host": is required');
    expect(refusal({ ...base, port: undefined })).toContain('option "port": is required');
    expect(refusal({ ...base, port: '2775' })).toContain('option "port": must be a TCP port (1-65535)');
    expect(refusal({ ...base, systemId: undefined })).toContain('option "systemId": is required');
    expect(refusal({ ...base, password: 42 })).toContain('option "password": must be a string');
    expect(refusal({ ...base, backupHosts: 'b.example.net' })).toContain(
      'option "backupHosts": must be a list of { host, port? }',
    );
    expect(refusal({ ...base, settings: [] })).toContain('option "settings": must be an object of runtime settings');
  });

  it('never shows the password in an error', () => {
    const password = `Пароль-${'x'.repeat(70)}`;
    const message = refusal({ ...base, password });
    expect(message).toContain('option "password": must be at most 64 characters');
    expect(message).toContain('option "password": must be printable ASCII');
    expect(message).not.toContain('Пароль');
  });

  it('names the bad field inside tls (tls.ca), not a bare "Invalid input" on tls', () => {
    expect(refusal({ ...base, tls: { ca: 42 } })).toContain(
      'option "tls.ca": must be a PEM certificate string or an array of them',
    );
    expect(refusal({ ...base, tls: 'yes' })).toContain(
      'option "tls": must be true, false or an object { ca, rejectUnauthorized, servername, cert, key }',
    );
    expect(schema.parse({ ...base, tls: true }).tls).toBe(true);
    expect(schema.parse({ ...base, tls: { ca: ['pem'], servername: 'smpp' } }).tls).toEqual({
      ca: ['pem'],
      servername: 'smpp',
    });
  });
});

describe('the helpers a channel narrows a field with', () => {
  it('requiredString adds what the option is for to both messages', () => {
    const sender = z.strictObject({ sender: requiredString(': the agreed service name') });
    expect(() => validateOptions(sender, {}, 'c')).toThrow('option "sender": is required: the agreed service name');
    expect(() => validateOptions(sender, { sender: 1 }, 'c')).toThrow(
      'option "sender": must be a string: the agreed service name',
    );
  });

  it('tlsOptionOf checks tls with a provider wording', () => {
    const tls = z.strictObject({
      tls: tlsOptionOf(z.strictObject({ ca: z.string({ error: 'must be PEM text' }).optional() }), 'no').optional(),
    });
    expect(() => validateOptions(tls, { tls: { ca: 1 } }, 'c')).toThrow('option "tls.ca": must be PEM text');
    expect(() => validateOptions(tls, { tls: { cert: 'x' } }, 'c')).toThrow(/option "tls": Unrecognized key/);
    expect(() => validateOptions(tls, { tls: 1 }, 'c')).toThrow('option "tls": no');
  });

  it('reconnectOption caps the multiplier only when asked', () => {
    expect(reconnectOption().safeParse({ multiplier: 50 }).success).toBe(true);
    expect(reconnectOption({ maxMultiplier: 10 }).safeParse({ multiplier: 50 }).success).toBe(false);
    expect(reconnectOption().safeParse({ multiplier: 0.5 }).success).toBe(false);
  });
});

describe('toSmppConnection', () => {
  it('leaves out what was not set, so the transport keeps its defaults', () => {
    const connection = toSmppConnection(schema.parse(base));
    expect(connection).toStrictEqual({ ...base, window: 300 });
    expect(() => resolveSmppConnection(connection, 'test')).not.toThrow();
  });

  it('carries startTimeoutMs to the transport, which checks it', () => {
    expect(toSmppConnection(schema.parse({ ...base, startTimeoutMs: 5_000 })).startTimeoutMs).toBe(5_000);
    expect(resolveSmppConnection(toSmppConnection(schema.parse(base)), 'test').startTimeoutMs).toBeUndefined();
    expect(refusal({ ...base, startTimeoutMs: 0 })).toContain('option "startTimeoutMs"');
    for (const startTimeoutMs of [0, -1, 2 ** 31]) {
      expect(() => resolveSmppConnection({ ...base, startTimeoutMs }, 'test')).toThrow(/option "startTimeoutMs"/);
    }
  });

  it('gives a backup host without a port the primary port, and drops unset tls and reconnect fields', () => {
    const resolved = schema.parse({
      ...base,
      backupHosts: [{ host: 'b1.example.net' }, { host: 'b2.example.net', port: 2776 }],
      tls: { rejectUnauthorized: false },
      reconnect: { initialDelayMs: 500 },
    });
    const connection = toSmppConnection(resolved);
    expect(connection.backupHosts).toEqual([
      { host: 'b1.example.net', port: 2775 },
      { host: 'b2.example.net', port: 2776 },
    ]);
    expect(connection.tls).toStrictEqual({ rejectUnauthorized: false });
    expect(connection.reconnect).toStrictEqual({ initialDelayMs: 500 });
  });
});
