import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, TidingsError } from './errors.js';
import type { MessageEvent } from './events.js';
import { fakeChannel } from './testing/fake-channel.js';
import { createTidings, type Tidings } from './tidings.js';

/**
 * Bad input from host applications written in JavaScript (no compiler to catch it): every public
 * entry point of the runtime refuses it with a typed TidingsError before anything reaches a
 * channel. Values are cast through `unknown`, as a JS caller would pass them.
 */

type AnySend = (channel: unknown, message: unknown, options?: unknown) => Promise<unknown>;
type AnyQuery = (channel: unknown, providerMessageId: unknown) => Promise<unknown>;

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function runtime() {
  const sms = fakeChannel({ name: 'sms' });
  const tidings = (await createTidings({ plugins: [sms] })) as unknown as Tidings;
  stops.push(() => tidings.stop());
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return {
    sms,
    tidings,
    events,
    send: tidings.send.bind(tidings) as unknown as AnySend,
    query: tidings.query.bind(tidings) as unknown as AnyQuery,
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error, 'a TidingsError').toBeInstanceOf(TidingsError);
  return (error as TidingsError).code;
}

const valid = { to: '+15550001111', text: 'hello' };

describe('bad input from JavaScript callers', () => {
  describe('createTidings', () => {
    const create = createTidings as unknown as (options: unknown) => Promise<Tidings>;

    it.each([
      ['no plugins', {}],
      ['plugins as a string', { plugins: 'sms' }],
      ['an empty plugin list', { plugins: [] }],
      [
        'a retry policy that is not an object',
        { plugins: [fakeChannel({ name: 'a' })], channelSettings: { a: { retry: 5 } } },
      ],
      [
        'a receipt deadline that is not a number',
        { plugins: [fakeChannel({ name: 'a' })], defaults: { receiptTimeoutMs: 'x' } },
      ],
      ['maxInFlight 0', { plugins: [fakeChannel({ name: 'a' })], channelSettings: { a: { maxInFlight: 0 } } }],
      ['maxQueued -1', { plugins: [fakeChannel({ name: 'a' })], defaults: { maxQueued: -1 } }],
      ['undefined', undefined],
      ['null', null],
      ['a null plugin', { plugins: [null] }],
      ['defaults that are a string', { plugins: [fakeChannel({ name: 'a' })], defaults: 'fast' }],
      ['a logger that is a string', { plugins: [fakeChannel({ name: 'a' })], logger: 'x' }],
      [
        'a logger without error()',
        { plugins: [fakeChannel({ name: 'a' })], logger: { debug() {}, info() {}, warn() {} } },
      ],
      ['a clock that is a string', { plugins: [fakeChannel({ name: 'a' })], clock: 'x' }],
      ['a store that is an empty object', { plugins: [fakeChannel({ name: 'a' })], store: {} }],
      ['generateId that is a string', { plugins: [fakeChannel({ name: 'a' })], generateId: 'x' }],
      ['idempotencyRetentionMs -1', { plugins: [fakeChannel({ name: 'a' })], idempotencyRetentionMs: -1 }],
      ['modules that are not an array', { plugins: [fakeChannel({ name: 'a' })], modules: {} }],
      ['channelSettings for no loaded plugin', { plugins: [fakeChannel({ name: 'a' })], channelSettings: { b: {} } }],
    ])('refuses %s with TIDINGS_INVALID_OPTIONS', async (_label, options) => {
      expect(await codeOf(create(options))).toBe(ErrorCode.InvalidOptions);
    });

    it('refuses something that is not a channel plugin with a typed error naming its place', async () => {
      for (const plugin of [{}, 42, null, { name: 'sms', kind: 'sms' }]) {
        const error = await create({ plugins: [fakeChannel({ name: 'a' }), plugin] }).then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
        expect(error).toBeInstanceOf(TidingsError);
        expect(error).toMatchObject({ code: ErrorCode.InvalidOptions, details: { option: 'plugins[1]' } });
      }
    });

    it('names the misspelt channel in channelSettings and lists the loaded ones', async () => {
      const error = await create({ plugins: [fakeChannel({ name: 'sms' })], channelSettings: { smss: {} } }).then(
        () => undefined,
        (thrown: unknown) => thrown as TidingsError,
      );
      expect(error?.message).toContain('"smss"');
      expect(error?.message).toContain('plugins: sms');
    });
  });

  describe('tidings.send', () => {
    it.each([
      ['a number', 42],
      ['null', null],
      ['undefined', undefined],
      ['an object', {}],
      ['an empty list', []],
    ])('refuses a channel that is %s with TIDINGS_INVALID_MESSAGE', async (_label, channel) => {
      const { send, sms, events } = await runtime();
      expect(await codeOf(send(channel, valid))).toBe(ErrorCode.InvalidMessage);
      expect(sms.control.sends).toEqual([]);
      expect(events).toEqual([]);
    });

    it('refuses an unknown channel, alone or in a list, with TIDINGS_UNKNOWN_CHANNEL', async () => {
      const { send, sms, events } = await runtime();
      expect(await codeOf(send('nope', valid))).toBe(ErrorCode.UnknownChannel);
      expect(await codeOf(send(['sms', 42], valid))).toBe(ErrorCode.UnknownChannel);
      expect(await codeOf(send(['sms', 'nope'], valid))).toBe(ErrorCode.UnknownChannel);
      expect(sms.control.sends).toEqual([]);
      expect(events).toEqual([]);
    });

    it.each([
      ['null', null],
      ['a string', '+15550001111 hello'],
      ['an array', [valid]],
      ['a Date', new Date()],
      ['a function', () => valid],
      ['a numeric recipient', { to: 15550001111, text: 'hello' }],
      ['an empty recipient', { to: '', text: 'hello' }],
      ['a recipient of 65 characters', { to: '1'.repeat(65), text: 'hello' }],
      ['an empty text', { to: valid.to, text: '' }],
      ['a numeric text', { to: valid.to, text: 42 }],
      ['an empty code', { to: valid.to, code: '' }],
      ['a numeric code', { to: valid.to, code: 123456 }],
      ['a template that is a string', { to: valid.to, template: 'otp' }],
      ['a template param that is a number', { to: valid.to, template: { id: 'otp', params: { code: 1 } } }],
      ['{code} without a code', { to: valid.to, text: 'Your code: {code}' }],
      ['a numeric sender', { ...valid, from: 5 }],
      ['validitySeconds as a string', { ...valid, validitySeconds: '300' }],
      ['a fractional priority', { ...valid, priority: 1.5 }],
      ['metadata that is a string', { ...valid, metadata: 'x' }],
      ['a numeric idempotency key', { ...valid, idempotencyKey: 5 }],
      ['a clientRef of 257 characters', { ...valid, clientRef: 'r'.repeat(257) }],
    ])('refuses a message that is %s with TIDINGS_INVALID_MESSAGE, sending nothing', async (_label, message) => {
      const { send, sms, events } = await runtime();
      expect(await codeOf(send('sms', message))).toBe(ErrorCode.InvalidMessage);
      expect(sms.control.sends).toEqual([]);
      expect(events).toEqual([]);
    });

    it('refuses a bad fallbackAfterMs before sending to any channel of the list', async () => {
      const { send, sms } = await runtime();
      for (const fallbackAfterMs of ['soon', -1, 0, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(await codeOf(send('sms', valid, { fallbackAfterMs }))).toBe(ErrorCode.InvalidMessage);
      }
      expect(sms.control.sends).toEqual([]);
    });

    it('refuses send options that are not an object, sending nothing', async () => {
      const { send, sms } = await runtime();
      for (const options of ['soon', 42, null]) {
        expect(await codeOf(send('sms', valid, options))).toBe(ErrorCode.InvalidMessage);
      }
      expect(sms.control.sends).toEqual([]);
    });

    it('turns a message getter that throws into TIDINGS_INVALID_MESSAGE, sending nothing', async () => {
      const { send, sms } = await runtime();
      const message = Object.defineProperty({ text: 'hi' }, 'to', {
        enumerable: true,
        get() {
          throw new Error('getter exploded');
        },
      });
      expect(await codeOf(send('sms', message))).toBe(ErrorCode.InvalidMessage);
      expect(sms.control.sends).toEqual([]);
    });

    it('refuses sends once stopped with TIDINGS_SHUTDOWN', async () => {
      const { send, tidings, sms } = await runtime();
      await tidings.stop();
      expect(await codeOf(send('sms', valid))).toBe(ErrorCode.Shutdown);
      expect(sms.control.sends).toEqual([]);
    });
  });

  describe('tidings.query', () => {
    it('refuses an unknown channel and a provider id that is not a non-empty string', async () => {
      const { query } = await runtime();
      expect(await codeOf(query(42, 'id'))).toBe(ErrorCode.UnknownChannel);
      expect(await codeOf(query('nope', 'id'))).toBe(ErrorCode.UnknownChannel);
      for (const id of [42, '', null, undefined]) expect(await codeOf(query('sms', id))).toBe(ErrorCode.InvalidMessage);
    });
  });
});
