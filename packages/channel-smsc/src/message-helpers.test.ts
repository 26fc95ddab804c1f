import { describe, expect, it } from 'vitest';
import { smscMessage } from './message-helpers.js';
import { validateSmscMessage } from './message-validation.js';

const invalid = (field: string) => expect.objectContaining({ code: 'TIDINGS_INVALID_MESSAGE', details: { field } });
const to = '+77011234567';

describe('smscMessage helpers', () => {
  it('build plain messages: the text convention plus the common fields, without their own fields', () => {
    const message = smscMessage.mail({
      to: 'ann@example.com',
      text: 'Welcome',
      subject: 'Hi',
      from: 'shop@example.com',
      clientRef: 'c-1',
      metadata: { user: 7 },
    });
    expect(message).toEqual({
      to: 'ann@example.com',
      text: '__MAIL__: Welcome\nsubj:Hi',
      from: 'shop@example.com',
      clientRef: 'c-1',
      metadata: { user: 7 },
    });
    expect(smscMessage.telegramCode({ to, code: '0042', validitySeconds: 300 })).toEqual({
      to,
      text: '__TGM__: 0042',
      validitySeconds: 300,
    });
    expect(JSON.parse(JSON.stringify(smscMessage.call({ to, text: 'x', voice: 'm4' })))).toEqual({
      to,
      text: '__CALL__: x\nvoice:m4',
    });
  });

  it('refuse invalid input when called, naming the field', () => {
    expect(() => smscMessage.telegramCode({ to, code: '123' })).toThrow(invalid('code'));
    expect(() => smscMessage.mail({ to, text: 'x', subject: 'y' })).toThrow(invalid('to'));
    expect(() => smscMessage.sms({ to: 'ann@example.com', text: 'x' })).toThrow(invalid('to'));
    expect(() => smscMessage.bot({ to, text: 'x', bot: 'x' })).toThrow(invalid('bot'));
    expect(() => smscMessage.call({ to, text: 'x', voice: 'robot' as never })).toThrow(invalid('voice'));
    expect(() => smscMessage.hlr({ to: '12' })).toThrow(invalid('to'));
    expect(() => smscMessage.sms({ to, text: 'x', from: 'A sender name too long' })).toThrow(invalid('from'));
    // An address the PDU cannot carry (destination_addr is ASCII).
    expect(() => smscMessage.mail({ to: 'анна@пример.рф', text: 'hi', subject: 's' })).toThrow(invalid('to'));
  });

  it('sms refuses a text holding "\\n~~~\\n" whether or not a comment is given, pointing to `comment`', () => {
    const text = 'Line one\n~~~\nYour code is 4821';
    expect(() => smscMessage.sms({ to, text })).toThrow(invalid('text'));
    expect(() => smscMessage.sms({ to, text })).toThrow(/comment separator.*would not send what follows.*`comment`/);
    expect(() => smscMessage.sms({ to, text, comment: 'order 42' })).toThrow(invalid('text'));
    expect(smscMessage.sms({ to, text: 'Line one', comment: 'Your code is 4821' }).text).toBe(
      'Line one\n~~~\nYour code is 4821',
    );
  });
});

describe('validateSmscMessage', () => {
  it('accepts hand-written texts in the conventions and reports their kind', () => {
    expect(validateSmscMessage({ to, text: '__PING__' })).toEqual({ kind: 'ping' });
    expect(validateSmscMessage({ to: '87011234567', text: 'hi', from: 'MyShop' })).toEqual({ kind: 'sms', text: 'hi' });
  });

  it('ignores a template and a code (not sent over SMPP) when a text is there, so one message can fall back across channels', () => {
    expect(validateSmscMessage({ to, text: 'Your code is 4821', code: '4821', template: { id: 'otp' } })).toEqual({
      kind: 'sms',
      text: 'Your code is 4821',
    });
  });

  it('refuses a missing text and a sender address outside e-mail', () => {
    expect(() => validateSmscMessage({ to, code: '1234' } as never)).toThrow(invalid('text'));
    expect(() => validateSmscMessage({ to, template: { id: 'otp' } } as never)).toThrow(invalid('text'));
    expect(() => validateSmscMessage({ to, text: 'x', from: 'shop@example.com' })).toThrow(invalid('from'));
  });

  it('words errors as "message.<field> <rule>" without a channel prefix, never quoting to, from, text or code', () => {
    const messageOf = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected an error');
    };
    const recipient = messageOf(() => validateSmscMessage({ to: '+7-secret-42', text: 'hi' }));
    expect(recipient).toMatch(/^message\.to must be a phone number/);
    expect(recipient).not.toContain('secret');
    const mail = messageOf(() => validateSmscMessage({ to: '+79990001122', text: '__MAIL__: hi\nsubj:s' }));
    expect(mail).toMatch(/^message\.to must be an e-mail address/);
    expect(mail).not.toContain('79990001122');
    const sender = messageOf(() => validateSmscMessage({ to, text: 'hi', from: 'PrivateSenderName' }));
    expect(sender).toMatch(/^message\.from must be a sender name/);
    expect(sender).not.toContain('PrivateSenderName');
    const code = messageOf(() => smscMessage.telegramCode({ to, code: '98x' }));
    expect(code).toMatch(/^message\.code must be 4 to 8 digits/);
    expect(code).not.toContain('98x');
    const text = messageOf(() => smscMessage.sms({ to, text: 'secret 42\n~~~\nnote' }));
    expect(text).toMatch(/^message\.text contains the comment separator/);
    expect(text).not.toContain('secret 42');
  });
});
