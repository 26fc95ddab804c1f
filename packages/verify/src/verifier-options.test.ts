import { TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { fallbackDelay, resolveVerifierOptions } from './verifier-options.js';

describe('verifier options', () => {
  it('fills in the defaults', () => {
    expect(resolveVerifierOptions({})).toEqual({
      codeLength: 6,
      ttlMs: 600_000,
      maxAttempts: 5,
      resendCooldownMs: 30_000,
      maxSends: 5,
      startsPerRecipient: { max: 5, windowMs: 3_600_000 },
      text: 'Your code: {code}',
      texts: {},
      messages: {},
    });
    expect(resolveVerifierOptions(undefined)).toMatchObject({ codeLength: 6 });
  });

  it('is plain data: the resolved options survive JSON', () => {
    const resolved = resolveVerifierOptions({ via: ['telegram', 'sms'], texts: { ru: 'Код: {code}' } });
    expect(JSON.parse(JSON.stringify(resolved))).toEqual(resolved);
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['codeLength below 4', { codeLength: 3 }, 'option "codeLength": must be 4 to 10 digits'],
    ['codeLength above 10', { codeLength: 11 }, 'option "codeLength": must be 4 to 10 digits'],
    ['ttlMs too short', { ttlMs: 10 }, 'option "ttlMs": must be at least 1000 ms'],
    ['maxAttempts 0', { maxAttempts: 0 }, 'option "maxAttempts": must be at least 1'],
    ['maxSends 0', { maxSends: 0 }, 'option "maxSends": must be at least 1 (the first code)'],
    ['a text without {code}', { text: 'Hello' }, 'option "text": must contain {code} where the code goes'],
    ['a locale text without {code}', { texts: { ru: 'Привет' } }, 'option "texts.ru": must contain {code}'],
    ['via naming a channel twice', { via: ['sms', 'sms'] }, 'option "via": must not name a channel twice'],
    ['via empty', { via: [] }, 'option "via": must name at least one channel'],
    ['a start window under a second', { startsPerRecipient: { windowMs: 5 } }, 'option "startsPerRecipient.windowMs"'],
    ['an unknown option (a typo)', { ttl: 5 }, 'ttl'],
    [
      'a fallback no sooner than the code expires',
      { ttlMs: 60_000, fallbackAfterMs: 60_000 },
      'option "fallbackAfterMs": must be less than ttlMs (60000 ms)',
    ],
    [
      'message fields the verifier sets itself',
      { messages: { engagelab: { code: '1234' } } },
      'option "messages.engagelab": must not set to, code, text, clientRef, idempotencyKey',
    ],
    ['message fields that are not JSON', { messages: { sms: { from: () => 'x' } } }, 'option "messages.sms.from"'],
  ];
  for (const [label, options, message] of bad) {
    it(`refuses ${label}, naming the option`, () => {
      const error = (() => {
        try {
          resolveVerifierOptions(options);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(TidingsError.is(error, 'TIDINGS_INVALID_OPTIONS')).toBe(true);
      expect((error as Error).message).toContain(message);
    });
  }

  it('the fallback delay defaults to 60 s, at most half the TTL; an explicit one is kept', () => {
    expect(fallbackDelay(resolveVerifierOptions({}), 600_000)).toBe(60_000);
    expect(fallbackDelay(resolveVerifierOptions({ ttlMs: 60_000 }), 60_000)).toBe(30_000);
    expect(fallbackDelay(resolveVerifierOptions({ fallbackAfterMs: 90_000 }), 600_000)).toBe(90_000);
  });

  it('a pepper too short is refused without echoing it', () => {
    const pepper = 'tooshort-secret';
    expect(() => resolveVerifierOptions({ pepper })).toThrow(/option "pepper": must be at least 16 characters/);
    try {
      resolveVerifierOptions({ pepper });
    } catch (error) {
      expect(JSON.stringify((error as TidingsError).toJSON())).not.toContain(pepper);
      expect((error as Error).message).not.toContain(pepper);
    }
  });
});
