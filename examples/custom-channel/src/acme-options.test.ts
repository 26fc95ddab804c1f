import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { createTidings, ErrorCode, TidingsError, validateOptions } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { type AcmeOptions, acmeOptionsSchema, connectionOptions, type ResolvedAcmeOptions } from './acme-options.js';
import { acmeChannel } from './acme-plugin.js';

const base: AcmeOptions = { host: 'smpp.acme-sms.example', systemId: 'shop', password: 'pw-Q3z9', sender: 'Acme' };

function refusal(options: unknown): TidingsError {
  try {
    acmeChannel(options as AcmeOptions);
  } catch (error) {
    if (error instanceof TidingsError) return error;
    throw error;
  }
  throw new Error('the options were accepted');
}

describe('acme options', () => {
  it("fills in the page's defaults: port 2775, window 50, 10 submits per second, receipts, name acme", () => {
    expect(validateOptions(acmeOptionsSchema, base, 'acme')).toEqual({
      ...base,
      name: 'acme',
      port: 2775,
      window: 50,
      maxPerSecond: 10,
      receipts: true,
      throttlePauseMs: 1000,
      routeBusyRetryMs: 2000,
    });
    const plugin = acmeChannel(base);
    expect([plugin.name, plugin.kind]).toEqual(['acme', 'acme']);
  });

  it('maps onto a transceiver connection with the defaults of the page', () => {
    const connection = connectionOptions({
      ...base,
      name: 'acme',
      port: 2775,
      window: 50,
      maxPerSecond: 10,
      receipts: true,
      throttlePauseMs: 1000,
      routeBusyRetryMs: 2000,
    } satisfies ResolvedAcmeOptions);
    expect(connection).toEqual({
      host: 'smpp.acme-sms.example',
      port: 2775,
      systemId: 'shop',
      password: 'pw-Q3z9',
      bindMode: 'transceiver',
      window: 50,
      maxPerSecond: 10,
    });
  });

  it.each([
    ['sender', { ...base, sender: 'Acme Shopping Ltd' }, 'option "sender": must be a long number'],
    ['sender', { ...base, sender: undefined }, 'option "sender": is required: the default sender (source_addr)'],
    ['window', { ...base, window: 51 }, 'option "window": must be at most 50'],
    ['bindMode', { ...base, bindMode: 'transmitter' }, 'bindMode'],
    ['host', { ...base, host: undefined }, 'option "host": is required'],
    ['port', { ...base, port: 70_000 }, 'option "port": must be a TCP port'],
    ['throttlePauseMs', { ...base, throttlePauseMs: 0 }, 'option "throttlePauseMs"'],
  ])('refuses a bad %s with TIDINGS_INVALID_OPTIONS naming it', (_option, options, words) => {
    const error = refusal(options);
    expect(error.code).toBe(ErrorCode.InvalidOptions);
    expect(error.message).toContain('acme channel "acme"');
    expect(error.message).toContain(words);
  });

  it('names the instance in messages, and never shows the password', () => {
    const error = refusal({ ...base, name: 'acme-eu', password: 'pw-\u0001-secret', window: 0 });
    expect(error.message).toContain('acme channel "acme-eu"');
    expect(error.message).toContain('option "password"');
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('secret');
  });

  it('keeps the instance name in the plugin type and value', () => {
    const plugin = acmeChannel({ ...base, name: 'acme-eu' });
    const name: 'acme-eu' = plugin.name;
    expect(name).toBe('acme-eu');
  });

  it('takes the shared startTimeoutMs: an unreachable host fails createTidings with TIDINGS_START_FAILED', async () => {
    // A port nothing listens on: every connect is refused (ECONNREFUSED), so only the deadline ends start.
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await createTidings({
      plugins: [acmeChannel({ ...base, host: '127.0.0.1', port, startTimeoutMs: 300 })],
    }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(TidingsError.is(error, ErrorCode.StartFailed), String(error)).toBe(true);
    const cause = (error as TidingsError).cause;
    expect(TidingsError.is(cause, ErrorCode.ConnectionLost), String(cause)).toBe(true);
    expect(String((cause as Error).message)).toContain('no SMPP session bound within 300 ms');
  });
});
