import { createTidings, ErrorCode, type Tidings, TidingsError } from '@tidings/core';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { smsorgSimulatorProfile } from './simulator/index.js';
import { ACCOUNT, optionsFor } from './smsorg.test-helper.js';
import { smsorgChannel } from './smsorg-plugin.js';

/**
 * Bad input from host applications written in JavaScript: the plugin factory and `send` refuse it
 * with a typed TidingsError before anything is sent, and nothing reaches the SMSC (no submit_sm).
 * Values are cast through `unknown`, as a JS caller would pass them.
 */

type AnySend = (channel: unknown, message: unknown) => Promise<unknown>;

async function errorOf(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return undefined;
}

const VALID_TO = '+79036550550';

/** Wrong for every channel: wrong JS types, empty or oversize content. */
const commonBadMessages: ReadonlyArray<readonly [string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['a string', `${VALID_TO} hello`],
  ['an array', [{ to: VALID_TO, text: 'hello' }]],
  ['a numeric recipient', { ...{ to: VALID_TO, text: 'hello' }, to: 79036550550 }],
  ['an empty recipient', { ...{ to: VALID_TO, text: 'hello' }, to: '' }],
  ['a recipient of letters', { ...{ to: VALID_TO, text: 'hello' }, to: 'not-a-number' }],
  ['a recipient with a NUL', { ...{ to: VALID_TO, text: 'hello' }, to: `${VALID_TO}\u0000` }],
  ['an empty text', { ...{ to: VALID_TO, text: 'hello' }, text: '' }],
  ['a numeric text', { ...{ to: VALID_TO, text: 'hello' }, text: 42 }],
  ['an oversize text (100 000 characters)', { ...{ to: VALID_TO, text: 'hello' }, text: 'x'.repeat(100_000) }],
  ['an empty code', { ...{ to: VALID_TO, text: 'hello' }, code: '' }],
  ['a numeric code', { ...{ to: VALID_TO, text: 'hello' }, code: 4821 }],
  ['a numeric sender', { ...{ to: VALID_TO, text: 'hello' }, from: 5 }],
];

/** Wrong for this provider's rules. */
const providerBadMessages: ReadonlyArray<readonly [string, unknown]> = [
  ['a recipient with too few digits', { to: '+7903', text: 'hello' }],
  ['a sender of 40 characters', { to: VALID_TO, text: 'hello', from: 'x'.repeat(40) }],
];

describe('bad input from JavaScript hosts (smsorg)', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'smpp://127.0.0.1:2775'],
    ['an array', []],
    ['missing the password', { host: '127.0.0.1', port: 2775, systemId: '1234.5', sender: 'MyShop' }],
    [
      'a port given as a string',
      { host: '127.0.0.1', port: '2775', systemId: '1234.5', password: 'secret', sender: 'MyShop' },
    ],
  ])(
    'the plugin factory refuses options that are %s with TIDINGS_INVALID_OPTIONS, naming the channel',
    (_label, options) => {
      const error = (() => {
        try {
          (smsorgChannel as unknown as (input: unknown) => unknown)(options);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(TidingsError.is(error, ErrorCode.InvalidOptions), String(error)).toBe(true);
    },
  );

  it('refuses every bad message with TIDINGS_INVALID_MESSAGE (or an unknown channel) and sends nothing', async () => {
    const sim = await SmscSimulator.start({
      accounts: [ACCOUNT],
      profile: smsorgSimulatorProfile({ deliveryDelayMs: 5 }),
    });
    onTestFinished(() => sim.stop());
    const tidings = (await createTidings({ plugins: [smsorgChannel(optionsFor(sim))] })) as unknown as Tidings;
    onTestFinished(() => tidings.stop({ timeoutMs: 1_000 }));
    const send = tidings.send.bind(tidings) as unknown as AnySend;
    const events: unknown[] = [];
    tidings.events$.subscribe((event) => events.push(event));

    const wrong: string[] = [];
    for (const [label, message] of [...commonBadMessages, ...providerBadMessages]) {
      const error = await errorOf(() => send('sms', message));
      if (!TidingsError.is(error, ErrorCode.InvalidMessage)) wrong.push(`${label}: ${String(error)}`);
    }
    expect(wrong).toEqual([]);
    for (const channel of ['nope', 42, null, ['sms', 'nope']]) {
      const error = await errorOf(() => send(channel, { to: VALID_TO, text: 'hello' }));
      expect(error).toBeInstanceOf(TidingsError);
    }
    expect(events).toEqual([]);
    expect(sim.pdus({ command: 'submit_sm' })).toEqual([]);

    // The same runtime takes a good message: the refusals above were about the input.
    const handle = (await send('sms', { to: VALID_TO, text: 'hello' })) as { settled: Promise<{ type: string }> };
    expect((await handle.settled).type).toBe('delivered');
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
  });
});
