import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { ErrorCode, TidingsError } from './errors.js';
import { redactSecrets, validateOptions } from './options.js';

const owner = 'smsc channel "kz"';

const schema = z.object({
  login: z.string().min(1),
  password: z.string().min(1),
  hosts: z
    .array(z.object({ host: z.string(), port: z.number().int().positive() }))
    .min(1)
    .default([{ host: 'smpp.smsc.kz', port: 2775 }]),
  tls: z.object({ enabled: z.boolean(), ca: z.string().optional() }).optional(),
  windowSize: z.number().int().positive().default(10),
});

function rejection(input: unknown, s: StandardSchemaV1 = schema): TidingsError {
  try {
    validateOptions(s, input, owner);
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('expected validateOptions to throw');
}

describe('validateOptions', () => {
  it('returns the parsed output, defaults applied', () => {
    const options = validateOptions(schema, { login: 'acme', password: 's3cret' }, owner);
    expect(options).toEqual({
      login: 'acme',
      password: 's3cret',
      hosts: [{ host: 'smpp.smsc.kz', port: 2775 }],
      windowSize: 10,
    });
    expectTypeOf(options.windowSize).toEqualTypeOf<number>();
    expectTypeOf(options.hosts).toEqualTypeOf<{ host: string; port: number }[]>();
  });

  it('rejects with TIDINGS_INVALID_OPTIONS naming the owner and the option', () => {
    const error = rejection({ login: 'acme', password: 's3cret', windowSize: 0 });
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message).toMatch(/^smsc channel "kz": invalid options/);
    expect(error.message).toContain('option "windowSize"');
    expect(error.details).toEqual({ options: ['windowSize'] });
  });

  it('names a missing required option', () => {
    const error = rejection({ login: 'acme' });
    expect(error.message).toContain('option "password"');
    expect(error.details).toEqual({ options: ['password'] });
  });

  it('names nested options with dots', () => {
    const error = rejection({ login: 'a', password: 'p', tls: { enabled: 'yes' } });
    expect(error.message).toContain('option "tls.enabled"');
    expect(error.details).toEqual({ options: ['tls.enabled'] });
  });

  it('names array elements with brackets', () => {
    const error = rejection({
      login: 'a',
      password: 'p',
      hosts: [
        { host: 'a', port: 2775 },
        { host: 'b', port: -1 },
      ],
    });
    expect(error.message).toContain('option "hosts[1].port"');
    expect(error.details).toEqual({ options: ['hosts[1].port'] });
  });

  it('names an option whose path starts with an index, and nested arrays', () => {
    const matrix = z.array(z.array(z.number()));
    const error = rejection([[1], [2, 'x']], matrix);
    expect(error.details).toEqual({ options: ['[1][1]'] });
    expect(error.message).toContain('option "[1][1]"');
  });

  it('lists every problem, one per line', () => {
    const error = rejection({ login: '', password: 'p', hosts: [{ host: 7, port: 1 }], windowSize: 'ten' });
    expect(error.details?.options).toEqual(expect.arrayContaining(['login', 'hosts[0].host', 'windowSize']));
    const lines = error.message.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((line) => line.startsWith('  - option "'))).toBe(true);
  });

  it('reports a problem with the whole input without an option name', () => {
    const error = rejection('not an object');
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message).toContain(owner);
    expect(error.message).not.toContain('option "');
    expect(error.details).toEqual({ options: [''] });
  });

  it('does not put the rejected values (secrets) into the error', () => {
    const error = rejection({ login: 'acme', password: 'hunter2-very-secret', windowSize: -1 });
    expect(error.message).not.toContain('hunter2');
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('works with any Standard Schema, e.g. a hand-written one with path segments as objects', () => {
    const custom: StandardSchemaV1<unknown, { n: number }> = {
      '~standard': {
        version: 1,
        vendor: 'hand-written',
        validate: (value) =>
          typeof value === 'object' && value !== null && typeof (value as { n?: unknown }).n === 'number'
            ? { value: value as { n: number } }
            : { issues: [{ message: 'n must be a number', path: [{ key: 'limits' }, { key: 0 }, 'n'] }] },
      },
    };
    expect(validateOptions(custom, { n: 1 }, owner)).toEqual({ n: 1 });
    const error = rejection({}, custom);
    expect(error.message).toContain('option "limits[0].n": n must be a number');
  });

  it('refuses an asynchronous schema, naming the owner', () => {
    const asyncSchema = z.object({ token: z.string() }).refine(async () => true);
    let caught: unknown;
    try {
      validateOptions(asyncSchema, { token: 't' }, owner);
    } catch (error) {
      caught = error;
    }
    expect(TidingsError.is(caught)).toBe(true);
    expect((caught as TidingsError).message).toContain(owner);
    expect((caught as TidingsError).message).toContain('synchronously');
  });
});

describe('redactSecrets', () => {
  it('hides password, secret, token and apiKey fields and keeps the rest', () => {
    const input = {
      host: 'smpp.example.com',
      port: 2775,
      systemId: 'acme',
      password: 'p4ss',
      secret: 's',
      token: 't',
      apiKey: 'k',
      api_key: 'k2',
      enabled: true,
    };
    expect(redactSecrets(input)).toEqual({
      host: 'smpp.example.com',
      port: 2775,
      systemId: 'acme',
      password: '***',
      secret: '***',
      token: '***',
      apiKey: '***',
      api_key: '***',
      enabled: true,
    });
  });

  it('matches secret-looking names case-insensitively and inside longer names', () => {
    const out = redactSecrets({ PASSWORD: 'a', clientSecret: 'b', accessToken: 'c', 'x-api-key': 'd', passwd: 'e' });
    expect(Object.values(out)).toEqual(['***', '***', '***', '***', '***']);
  });

  it('redacts at any depth, inside arrays too', () => {
    const input = {
      accounts: [
        { login: 'a', password: 'pa' },
        { login: 'b', auth: { token: 'tb', scheme: 'bearer' } },
      ],
      tls: { ca: 'CERT', passphrase: 'pp' },
    };
    expect(redactSecrets(input)).toEqual({
      accounts: [
        { login: 'a', password: '***' },
        { login: 'b', auth: { token: '***', scheme: 'bearer' } },
      ],
      tls: { ca: 'CERT', passphrase: '***' },
    });
  });

  it('hides a whole secret-named object, not just its leaves', () => {
    expect(redactSecrets({ credentials: { user: 'u', pass: 'p' } })).toEqual({ credentials: '***' });
  });

  it('leaves an absent secret absent, so logs show it was not set', () => {
    expect(redactSecrets({ password: undefined, host: 'h' })).toEqual({ password: undefined, host: 'h' });
  });

  it('hides TLS private keys (key, privateKey, pfx, passphrase) but not certificates or other *key* names', () => {
    const tls = {
      key: '-----BEGIN PRIVATE KEY-----',
      privateKey: 'pk',
      pfx: 'bin',
      passphrase: 'pp',
      cert: 'C',
      ca: 'CA',
    };
    expect(redactSecrets({ tls, idempotencyKey: 'order-1', keepAlive: true, keyboard: 'qwerty' })).toEqual({
      tls: { key: '***', privateKey: '***', pfx: '***', passphrase: '***', cert: 'C', ca: 'CA' },
      idempotencyKey: 'order-1',
      keepAlive: true,
      keyboard: 'qwerty',
    });
  });

  it('copes with cycles, redacting inside them and keeping the shape', () => {
    const options: Record<string, unknown> = { host: 'h', auth: { password: 'p' } };
    options.self = options;
    const out = redactSecrets(options) as Record<string, unknown>;
    expect(out).not.toBe(options);
    expect(out.self).toBe(out);
    expect(out.auth).toEqual({ password: '***' });
    const list: unknown[] = [{ token: 't' }];
    list.push(list);
    const copy = redactSecrets(list);
    expect(copy[0]).toEqual({ token: '***' });
    expect(copy[1]).toBe(copy);
  });

  it('redacts an object reached twice in both places', () => {
    const shared = { secret: 's', name: 'n' };
    const out = redactSecrets({ a: shared, b: [shared] });
    expect(out.a).toEqual({ secret: '***', name: 'n' });
    expect(out.b[0]).toEqual({ secret: '***', name: 'n' });
  });

  it('does not modify its input', () => {
    const input = { nested: { token: 't' }, list: [{ secret: 's' }] };
    const copy = structuredClone(input);
    redactSecrets(input);
    expect(input).toEqual(copy);
  });

  it('passes primitives and null through', () => {
    expect(redactSecrets('password')).toBe('password');
    expect(redactSecrets(42)).toBe(42);
    expect(redactSecrets(null)).toBeNull();
    expect(redactSecrets(undefined)).toBeUndefined();
    expect(redactSecrets(['token', 1])).toEqual(['token', 1]);
  });
});
