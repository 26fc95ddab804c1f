import { createTidings, ErrorCode, type Tidings, TidingsError } from '@tidings/core';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { telegramSimulatorProfile } from './simulator/index.js';
import { gatewayOptions } from './telegram.test-helper.js';
import { telegramChannel } from './telegram-plugin.js';

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
  ['a numeric recipient', { ...{ to: VALID_TO, code: '4821' }, to: 79036550550 }],
  ['an empty recipient', { ...{ to: VALID_TO, code: '4821' }, to: '' }],
  ['a recipient of letters', { ...{ to: VALID_TO, code: '4821' }, to: 'not-a-number' }],
  ['a recipient with a NUL', { ...{ to: VALID_TO, code: '4821' }, to: `${VALID_TO}\u0000` }],
  ['an empty text', { ...{ to: VALID_TO, code: '4821' }, text: '' }],
  ['a numeric text', { ...{ to: VALID_TO, code: '4821' }, text: 42 }],
  ['an oversize text (100 000 characters)', { ...{ to: VALID_TO, code: '4821' }, text: 'x'.repeat(100_000) }],
  ['an empty code', { ...{ to: VALID_TO, code: '4821' }, code: '' }],
  ['a numeric code', { ...{ to: VALID_TO, code: '4821' }, code: 4821 }],
  ['a numeric sender', { ...{ to: VALID_TO, code: '4821' }, from: 5 }],
];

/** Wrong for this provider's rules. */
const providerBadMessages: ReadonlyArray<readonly [string, unknown]> = [
  ['a code with letters', { to: VALID_TO, code: 'abcd' }],
  ['a code of 3 digits', { to: VALID_TO, code: '482' }],
  ['a code of 9 digits', { to: VALID_TO, code: '482148214' }],
  ['no code (a plain SMS)', { to: VALID_TO, text: 'hello' }],
  ['a recipient with too few digits', { to: '+7903', code: '4821' }],
  ['a text without {code}', { to: VALID_TO, code: '4821', text: 'Your code is here' }],
];

describe('bad input from JavaScript hosts (Telegram)', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'smpp://127.0.0.1:2775'],
    ['an array', []],
    ['missing the password', { host: '127.0.0.1', port: 2775, systemId: 'test' }],
    ['a port given as a string', { host: '127.0.0.1', port: '2775', systemId: 'test', password: 'secret' }],
    ['a negative window', { host: '127.0.0.1', port: 2775, systemId: 'test', password: 'secret', window: -1 }],
  ])(
    'the plugin factory refuses options that are %s with TIDINGS_INVALID_OPTIONS, naming the channel',
    (_label, options) => {
      const error = (() => {
        try {
          (telegramChannel as unknown as (input: unknown) => unknown)(options);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(TidingsError.is(error, ErrorCode.InvalidOptions), String(error)).toBe(true);
    },
  );

  it('refuses every bad message with TIDINGS_INVALID_MESSAGE (or an unknown channel) and sends nothing', async () => {
    const sim = await SmscSimulator.start({ profile: telegramSimulatorProfile() });
    onTestFinished(() => sim.stop());
    const tidings = (await createTidings({ plugins: [telegramChannel(gatewayOptions(sim))] })) as unknown as Tidings;
    onTestFinished(() => tidings.stop({ timeoutMs: 1_000 }));
    const send = tidings.send.bind(tidings) as unknown as AnySend;
    const events: unknown[] = [];
    tidings.events$.subscribe((event) => events.push(event));

    const wrong: string[] = [];
    for (const [label, message] of [...commonBadMessages, ...providerBadMessages]) {
      const error = await errorOf(() => send('telegram', message));
      if (!TidingsError.is(error, ErrorCode.InvalidMessage)) wrong.push(`${label}: ${String(error)}`);
    }
    expect(wrong).toEqual([]);
    for (const channel of ['nope', 42, null, ['telegram', 'nope']]) {
      const error = await errorOf(() => send(channel, { to: VALID_TO, code: '4821' }));
      expect(error).toBeInstanceOf(TidingsError);
    }
    expect(events).toEqual([]);
    expect(sim.pdus({ command: 'submit_sm' })).toEqual([]);

    // The same runtime takes a good message: the refusals above were about the input.
    const handle = (await send('telegram', { to: VALID_TO, code: '4821' })) as { settled: Promise<{ type: string }> };
    expect((await handle.settled).type).toBe('delivered');
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
  });
});
