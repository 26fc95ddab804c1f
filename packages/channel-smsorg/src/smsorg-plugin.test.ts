import { ErrorCode, type Tidings, TidingsError, TOKENS } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { Container } from 'inversify';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import './index.js';
import type { SmsorgMessage } from './smsorg-message.js';
import {
  type ResolvedSmsorgOptions,
  type SmsorgOptions,
  type smsorgOptionsSchema,
  toConnectionOptions,
} from './smsorg-options.js';
import { smsorgChannel } from './smsorg-plugin.js';

const minimal = { systemId: '1234.5', password: 's3cret!', sender: 'MyShop' } as const;

/** The options the channel would receive. */
function resolved(options: SmsorgOptions): ResolvedSmsorgOptions {
  const container = new Container();
  container.load(smsorgChannel(options).module);
  return container.get(TOKENS.ChannelOptions) as ResolvedSmsorgOptions;
}

function refusal(options: unknown): TidingsError {
  try {
    smsorgChannel(options as SmsorgOptions);
  } catch (error) {
    if (TidingsError.is(error, ErrorCode.InvalidOptions)) return error;
    throw error;
  }
  throw new Error('the options were accepted');
}

describe('smsorgChannel options', () => {
  it("defaults to the provider: lcab.smsorg.ru:8056, transceiver, passive receipts, deadlines below the server's", () => {
    const plugin = smsorgChannel(minimal);
    expect(plugin).toMatchObject({ name: 'smsorg', kind: 'smsorg' });
    expect(resolved(minimal)).toMatchObject({
      host: 'lcab.smsorg.ru',
      port: 8056,
      bindMode: 'transceiver',
      window: 10,
      receipts: { mode: 'passive' },
      senderAddressing: { numeric: { ton: 1, npi: 1 }, alphanumeric: { ton: 5, npi: 0 } },
      throttlePauseMs: 1_000,
      bindTimeoutMs: 8_000,
      serverRequestTimeoutMs: 5_000,
    });
  });

  it('receipts: true is passive, false is none; the { mode } forms stay accepted', () => {
    expect(resolved({ ...minimal, receipts: true }).receipts).toEqual({ mode: 'passive' });
    expect(resolved({ ...minimal, receipts: false }).receipts).toEqual({ mode: 'none' });
    expect(resolved({ ...minimal, receipts: { mode: 'none' } }).receipts).toEqual({ mode: 'none' });
    expect(resolved({ ...minimal, receipts: { mode: 'passive' } }).receipts).toEqual({ mode: 'passive' });
  });

  it('takes undefined for every optional option, so `host: process.env.X` compiles and means the default', () => {
    const fromEnv: SmsorgOptions = {
      ...minimal,
      name: undefined,
      host: undefined,
      port: undefined,
      tls: undefined,
      bindMode: undefined,
      receipts: undefined,
      validitySeconds: undefined,
      settings: undefined,
    };
    expect(resolved(fromEnv)).toMatchObject({ host: 'lcab.smsorg.ru', port: 8056, receipts: { mode: 'passive' } });
    expect(smsorgChannel(fromEnv).name).toBe('smsorg');
  });

  it('maps the common SMPP options onto the transport: backup hosts take the primary port by default', () => {
    const options = resolved({
      ...minimal,
      port: 9000,
      backupHosts: [{ host: 'backup-1.example' }, { host: 'backup-2.example', port: 9001 }],
      tls: { rejectUnauthorized: false, servername: 'lcab.smsorg.ru' },
      systemType: 'OTP',
      binds: 2,
      enquireLinkTimeoutMs: 4_000,
      unbindTimeoutMs: 1_500,
      reconnect: { multiplier: 1.5 },
      maxBindFailures: 5,
    });
    expect(toConnectionOptions(options)).toMatchObject({
      port: 9000,
      backupHosts: [
        { host: 'backup-1.example', port: 9000 },
        { host: 'backup-2.example', port: 9001 },
      ],
      tls: { rejectUnauthorized: false, servername: 'lcab.smsorg.ru' },
      systemType: 'OTP',
      binds: 2,
      enquireLinkTimeoutMs: 4_000,
      unbindTimeoutMs: 1_500,
      reconnect: { multiplier: 1.5 },
      maxBindFailures: 5,
    });
    expect(toConnectionOptions(resolved({ ...minimal, tls: true })).tls).toBe(true);
  });

  it('is generic over the instance name, so send() is typed per name', () => {
    const plugin = smsorgChannel({ ...minimal, name: 'sms-ru' });
    expect(plugin.name).toBe('sms-ru');
    expectTypeOf(plugin.name).toEqualTypeOf<'sms-ru'>();
    expectTypeOf(plugin['~message']).toEqualTypeOf<SmsorgMessage | undefined>();
    expectTypeOf(smsorgChannel(minimal).name).toEqualTypeOf<'smsorg'>();
  });

  it('augments the core registry: a bare Tidings types send("smsorg", …) as an SmsorgMessage', () => {
    // Compiled, never run: the type checker is the assertion.
    const typed = (tidings: Tidings) => {
      void tidings.send('smsorg', { to: '+79123456789', text: 'hi' });
      // @ts-expect-error an SMS needs its text
      void tidings.send('smsorg', { to: '+79123456789', code: '4829' });
    };
    expect(typeof typed).toBe('function');
  });

  it('its input type is what the schema takes', () => {
    expectTypeOf<SmsorgOptions>().toExtend<z.input<typeof smsorgOptionsSchema>>();
  });

  // [what, options patch, the option named ('' for an unknown key), a fragment of the reason]
  const refusals: Array<[string, Record<string, unknown>, string, string?]> = [
    ['a missing system_id', { systemId: undefined }, 'systemId', 'is required'],
    ['a system_id that is not a string', { systemId: 1234.5 }, 'systemId', 'must be a string'],
    ['a system_id not of the form XXXX.X', { systemId: 'myshop' }, 'systemId'],
    ['a missing password', { password: undefined }, 'password', 'is required'],
    ['a password that is not a string', { password: 12345 }, 'password', 'must be a string'],
    ['a password of 65 characters', { password: 'p'.repeat(65) }, 'password', 'must be at most 64 characters'],
    ['a system_id with two digits after the dot', { systemId: '1234.56' }, 'systemId'],
    ['an empty password', { password: '' }, 'password'],
    ['bind_receiver (smsorg has no such bind)', { bindMode: 'receiver' }, 'bindMode'],
    [
      'a bind timeout of 10 s or more (the server closes at 10 s)',
      { bindTimeoutMs: 10_000 },
      'bindTimeoutMs',
      'must be below 10 000 ms: smsorg closes',
    ],
    [
      'answering server PDUs only after 30 s or more (the server closes at 1 min)',
      { serverRequestTimeoutMs: 30_001 },
      'serverRequestTimeoutMs',
      'unanswered 1 minute',
    ],
    ['a port out of range', { port: 70_000 }, 'port'],
    ['a backup host without a host', { backupHosts: [{ port: 8056 }] }, 'backupHosts[0].host'],
    ['tls that is neither a boolean nor an object', { tls: 'yes' }, 'tls', 'must be true, false or an object'],
    ['a tls.ca that is not PEM text', { tls: { ca: 42 } }, 'tls.ca', 'PEM certificate'],
    ['a system_type of 13 characters', { systemType: 'S'.repeat(13) }, 'systemType', 'at most 12 characters'],
    ['binds of 0', { binds: 0 }, 'binds'],
    ['a validity of 100 days', { validitySeconds: 100 * 86_400 }, 'validitySeconds', '1 to 8639999 seconds'],
    ['a throttle pause of 0', { throttlePauseMs: 0 }, 'throttlePauseMs'],
    [
      'a reconnect multiplier below 1 (a shrinking backoff)',
      { reconnect: { multiplier: 0.5 } },
      'reconnect.multiplier',
    ],
    ['maxBindFailures of 0', { maxBindFailures: 0 }, 'maxBindFailures'],
    ['settings given as an array', { settings: [] }, 'settings', 'must be an object'],
    ['a window of 0', { window: 0 }, 'window'],
    ['a maxPerSecond of 0', { maxPerSecond: 0 }, 'maxPerSecond'],
    ['an alphanumeric sender of 12 characters', { sender: 'TwelveChars!' }, 'sender'],
    ['a TON above 255', { senderAddressing: { numeric: { ton: 256, npi: 1 } } }, 'senderAddressing.numeric.ton'],
    [
      'an unknown receipt mode',
      { receipts: { mode: 'push' } },
      'receipts.mode',
      'must be true (passive), false (none)',
    ],
    ['receipts that are neither a boolean nor an object', { receipts: 'yes' }, 'receipts', 'must be true (passive)'],
    ['a polling interval of 0', { receipts: { mode: 'active', intervalMs: 0 } }, 'receipts.intervalMs'],
    [
      'passive receipts on a bind_transmitter session (deliver_sm never reaches it)',
      { bindMode: 'transmitter', receipts: true },
      'receipts',
      'a bind_transmitter session never receives',
    ],
    ['an unknown option (a typo)', { windowSize: 5 }, ''],
  ];
  for (const [label, patch, option, reason] of refusals) {
    it(`refuses ${label}, naming the option`, () => {
      const error = refusal({ ...minimal, ...patch });
      expect(error.message).toContain('smsorg channel "smsorg"');
      expect(error.message).toContain(option === '' ? 'Unrecognized key' : `option "${option}"`);
      if (reason !== undefined) expect(error.message).toContain(reason);
      expect(error.message).not.toContain(minimal.password);
    });
  }

  it('never echoes the password, even when it is the problem', () => {
    const error = refusal({ ...minimal, password: 'пароль-secret' });
    expect(error.message).toContain('option "password"');
    expect(error.message).not.toContain('пароль-secret');
    expect(JSON.stringify(error.toJSON())).not.toContain('пароль-secret');
  });

  it('refuses what is not an options object', () => {
    expect(refusal(undefined).message).toContain('options must be an object');
    expect(refusal([]).code).toBe(ErrorCode.InvalidOptions);
  });

  it('accepts transmitter with active or no receipts; inbound needs the transceiver', () => {
    const transmitter = resolveChannel(
      smsorgChannel({ ...minimal, bindMode: 'transmitter', receipts: { mode: 'active' } }),
    );
    expect(transmitter.capabilities).toEqual({ kinds: ['sms'], receipts: true, inbound: false });
    const silent = resolveChannel(smsorgChannel({ ...minimal, bindMode: 'transmitter', receipts: false }));
    expect(silent.capabilities).toEqual({ kinds: ['sms'], receipts: false, inbound: false });
    expect(resolveChannel(smsorgChannel(minimal)).capabilities).toEqual({
      kinds: ['sms'],
      receipts: true,
      inbound: true,
    });
  });

  it('active mode: polling defaults, and a receipt deadline of the longest polling plus one answer', () => {
    const options = { ...minimal, receipts: { mode: 'active' } } as const;
    expect(resolved(options).receipts).toEqual({
      mode: 'active',
      intervalMs: 5_000,
      maxAttempts: 120,
      maxDurationMs: 600_000,
    });
    expect(smsorgChannel(options).settings.receiptTimeoutMs).toBe(600_000 + 30_000);
    const few = { mode: 'active', intervalMs: 1_000, maxAttempts: 10 } as const;
    // 10 queries, each up to 1 s after the previous answer, which takes up to 5 s; then one answer.
    expect(smsorgChannel({ ...minimal, receipts: few, responseTimeoutMs: 5_000 }).settings.receiptTimeoutMs).toBe(
      65_000,
    );
    // Never beyond what a Node timer can hold.
    const long = { mode: 'active', maxAttempts: 100_000, maxDurationMs: 2_147_480_000 } as const;
    expect(smsorgChannel({ ...minimal, receipts: long }).settings.receiptTimeoutMs).toBe(2_147_483_647);
    const host = { ...minimal, receipts: few, settings: { receiptTimeoutMs: 99_000 } };
    expect(smsorgChannel(host).settings.receiptTimeoutMs).toBe(99_000);
  });

  it("passive mode keeps the host's settings as they are", () => {
    const settings = { maxInFlight: 5 };
    expect(smsorgChannel({ ...minimal, settings }).settings).toEqual(settings);
  });
});
