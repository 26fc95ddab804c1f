import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMENT_SEPARATOR, formatSmscText, parseSmscText, type SmscContent, smscVoices } from './text-convention.js';

const invalid = { code: 'TIDINGS_INVALID_MESSAGE' };

describe('SMSC text conventions: writing each kind', () => {
  it.each<[string, SmscContent, string]>([
    ['a plain SMS', { kind: 'sms', text: 'Hello' }, 'Hello'],
    [
      'an SMS with a comment after \\n~~~\\n',
      { kind: 'sms', text: 'Hello', comment: 'order 42' },
      'Hello\n~~~\norder 42',
    ],
    ['__MAIL__ with subj:', { kind: 'mail', text: 'Body', subject: 'Hi' }, '__MAIL__: Body\nsubj:Hi'],
    ['__MMS__ with subj:', { kind: 'mms', text: 'Body', subject: 'Pic' }, '__MMS__: Body\nsubj:Pic'],
    ['__CALL__ without a voice (the provider uses m3)', { kind: 'call', text: 'Code 1234' }, '__CALL__: Code 1234'],
    ['__CALL__ with voice:w2', { kind: 'call', text: 'Code', voice: 'w2' }, '__CALL__: Code\nvoice:w2'],
    [
      '__CALL__ with a language (voice:w,fr)',
      { kind: 'call', text: 'Code', voice: 'w', language: 'fr' },
      '__CALL__: Code\nvoice:w,fr',
    ],
    [
      '__CALL__ with a language only (m3 written)',
      { kind: 'call', text: 'Code', language: 'de' },
      '__CALL__: Code\nvoice:m3,de',
    ],
    [
      '__CALL__ with param after \\n~~~\\n',
      { kind: 'call', text: 'Code', voice: 'm', params: '30,2' },
      '__CALL__: Code\nvoice:m\n~~~\n30,2',
    ],
    ['__VIBER__', { kind: 'viber', text: 'Hi there' }, '__VIBER__: Hi there'],
    ['__SOC__', { kind: 'social', text: 'Hi there' }, '__SOC__: Hi there'],
    ['__TGM__ with a 4-digit code', { kind: 'telegram-code', code: '1234' }, '__TGM__: 1234'],
    ['__TGM__ with an 8-digit code', { kind: 'telegram-code', code: '12345678' }, '__TGM__: 12345678'],
    ['__BOT__ with bot:@name', { kind: 'bot', text: 'Hi', bot: 'shop_bot' }, '__BOT__: Hi\nbot:@shop_bot'],
    ['__BOT__ given with its @', { kind: 'bot', text: 'Hi', bot: '@ShopBot' }, '__BOT__: Hi\nbot:@ShopBot'],
    ['__HLR__', { kind: 'hlr' }, '__HLR__'],
    ['__PING__', { kind: 'ping' }, '__PING__'],
  ])('%s', (_label, content, text) => {
    expect(formatSmscText(content)).toBe(text);
  });

  it('accepts every voice the page lists: m m2 m3 m4 w w2 w3 w4', () => {
    expect(smscVoices).toEqual(['m', 'm2', 'm3', 'm4', 'w', 'w2', 'w3', 'w4']);
    for (const voice of smscVoices)
      expect(formatSmscText({ kind: 'call', text: 'x', voice })).toBe(`__CALL__: x\nvoice:${voice}`);
  });
});

describe('SMSC text conventions: refusing what the provider would refuse', () => {
  it.each<[string, SmscContent]>([
    ['__TGM__ with 3 digits ("4 to 8 digits only")', { kind: 'telegram-code', code: '123' }],
    ['__TGM__ with 9 digits', { kind: 'telegram-code', code: '123456789' }],
    ['__TGM__ with letters ("numeric only")', { kind: 'telegram-code', code: '12ab' }],
    ['__TGM__ with spaces', { kind: 'telegram-code', code: '12 34' }],
    ['a call voice not in the list', { kind: 'call', text: 'x', voice: 'm5' as never }],
    ['a call language that is not a 2-letter code', { kind: 'call', text: 'x', language: 'english' }],
    ['a call param over two lines', { kind: 'call', text: 'x', params: 'a\nb' }],
    ['a call text holding \\n~~~\\n', { kind: 'call', text: `x${COMMENT_SEPARATOR}y` }],
    ['an e-mail without a subject', { kind: 'mail', text: 'x', subject: '' }],
    ['an e-mail subject over two lines', { kind: 'mail', text: 'x', subject: 'a\nb' }],
    ['an MMS without text', { kind: 'mms', text: '', subject: 's' }],
    ['a bot name not ending in "bot"', { kind: 'bot', text: 'x', bot: 'shop' }],
    ['a bot name with a space', { kind: 'bot', text: 'x', bot: 'my bot' }],
    ['an empty Viber text', { kind: 'viber', text: ' ' }],
    ['an SMS starting with a provider marker', { kind: 'sms', text: '__TGM__: 1234' }],
    ['an SMS with an empty comment', { kind: 'sms', text: 'x', comment: '' }],
    [
      'an SMS text holding the separator when a comment is added',
      { kind: 'sms', text: `a${COMMENT_SEPARATOR}b`, comment: 'c' },
    ],
    [
      'an SMS text holding the separator without a comment (its tail would silently go unsent)',
      { kind: 'sms', text: `a${COMMENT_SEPARATOR}b` },
    ],
  ])('%s', (_label, content) => {
    expect(() => formatSmscText(content)).toThrow(expect.objectContaining(invalid));
  });
});

describe('SMSC text conventions: reading hand-written texts', () => {
  it('reads each kind back with its fields', () => {
    expect(parseSmscText('__MAIL__: Line 1\nLine 2\nsubj:Hi')).toEqual({
      kind: 'mail',
      text: 'Line 1\nLine 2',
      subject: 'Hi',
    });
    expect(parseSmscText('__CALL__: Code\nvoice:w,fr\n~~~\n30')).toEqual({
      kind: 'call',
      text: 'Code',
      voice: 'w',
      language: 'fr',
      params: '30',
    });
    expect(parseSmscText('Pay 10\n~~~\ninvoice 7')).toEqual({ kind: 'sms', text: 'Pay 10', comment: 'invoice 7' });
    expect(parseSmscText('__HLR__')).toEqual({ kind: 'hlr' });
    expect(parseSmscText('__PING__')).toEqual({ kind: 'ping' });
    expect(parseSmscText('__TGM__: 0042')).toEqual({ kind: 'telegram-code', code: '0042' });
  });

  it.each([
    ['__TGM__: 12'],
    ['__TGM__:1234'],
    ['__MAIL__: no subject line'],
    ['__BOT__: hi\nbot:shop_bot'],
    ['__HLR__ please'],
    ['__PING__: x'],
    ['__CALL__: hi\nvoice:q'],
    ['\n~~~\nonly a comment'],
  ])('refuses %j', (text) => {
    expect(() => parseSmscText(text)).toThrow(expect.objectContaining(invalid));
  });

  it('reads back whatever it writes (property)', () => {
    const line = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '' && !/[\r\n]/.test(s));
    const body = fc
      .string({ minLength: 1, maxLength: 60 })
      .filter((s) => s.trim() !== '' && !s.includes(COMMENT_SEPARATOR) && !/^__[A-Z]+__/.test(s) && !s.endsWith('\n'));
    const content: fc.Arbitrary<SmscContent> = fc.oneof(
      fc.record({ kind: fc.constant('sms' as const), text: body }),
      fc.record({ kind: fc.constant('sms' as const), text: body, comment: line }),
      fc.record({ kind: fc.constantFrom('mail' as const, 'mms' as const), text: body, subject: line }),
      fc.record(
        {
          kind: fc.constant('call' as const),
          text: body,
          voice: fc.constantFrom(...smscVoices),
          language: fc.constantFrom('en', 'fr', 'de', 'ru'),
          params: line,
        },
        { requiredKeys: ['kind', 'text', 'voice'] },
      ),
      fc.record({ kind: fc.constantFrom('viber' as const, 'social' as const), text: body }),
      fc.record({ kind: fc.constant('telegram-code' as const), code: fc.stringMatching(/^[0-9]{4,8}$/) }),
      fc.record({ kind: fc.constant('bot' as const), text: body, bot: fc.stringMatching(/^[a-z][a-z0-9_]{1,10}bot$/) }),
      fc.record({ kind: fc.constantFrom('hlr' as const, 'ping' as const) }),
    );
    fc.assert(
      fc.property(content, (value) => {
        expect(parseSmscText(formatSmscText(value))).toEqual(value);
      }),
    );
  });
});
