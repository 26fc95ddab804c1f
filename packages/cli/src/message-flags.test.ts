import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import { buildMessage } from './message-flags.js';

describe('message flags', () => {
  it('maps the common flags onto the message fields', () => {
    expect(
      buildMessage('telegram', '+79036550550', {
        code: '1234',
        text: 'Code {code}',
        sender: 'Acme',
        validity: '300',
        priority: '1',
        clientRef: 'r-1',
        ptag: 'login.1',
      }),
    ).toEqual({
      to: '+79036550550',
      code: '1234',
      text: 'Code {code}',
      from: 'Acme',
      validitySeconds: 300,
      priority: 1,
      clientRef: 'r-1',
      ptag: 'login.1',
    });
  });

  it('refuses a flag the channel does not read, naming the flag and the plugins that do', () => {
    const error = (() => {
      try {
        buildMessage('smsorg', '+79123456789', { text: 'hi', ptag: 'x' });
      } catch (e) {
        return e as CliError;
      }
    })();
    expect(error).toBeInstanceOf(CliError);
    expect(error?.exitCode).toBe(ExitCode.Usage);
    expect(error?.message).toBe('--ptag applies to telegram channels only (this channel is smsorg)');
    expect(() => buildMessage('telegram', '1', { code: '1234', template: 't' })).toThrow(
      '--template applies to engagelab',
    );
    expect(() => buildMessage('telegram', '1', { code: '1234', serviceType: 'CODE' })).toThrow(
      '--service-type applies',
    );
  });

  it('refuses numbers that are not whole', () => {
    expect(() => buildMessage('smsorg', '1', { text: 'a', validity: '1.5' })).toThrow(
      '--validity must be a whole number',
    );
  });

  it('smsc --kind builds the text conventions (__TGM__, __MAIL__, __CALL__, __HLR__)', () => {
    expect(buildMessage('smsc', '+77011234567', { kind: 'telegram-code', code: '4821' })).toMatchObject({
      text: '__TGM__: 4821',
    });
    expect(buildMessage('smsc', 'a@b.kz', { kind: 'mail', text: 'Hello', subject: 'Hi' })).toMatchObject({
      text: expect.stringMatching(/^__MAIL__/),
    });
    expect(
      buildMessage('smsc', '+77011234567', { kind: 'call', text: 'Hello', voice: 'w', language: 'en' }),
    ).toMatchObject({
      text: expect.stringContaining('voice:w,en'),
    });
    expect(buildMessage('smsc', '+77011234567', { kind: 'hlr' })).toMatchObject({ text: '__HLR__' });
    expect(buildMessage('smsc', '+77011234567', { text: 'plain', comment: 'note' })).toMatchObject({
      text: 'plain\n~~~\nnote',
    });
  });

  it('smsc: a kind missing its field is a usage error; what the provider would refuse is TIDINGS_INVALID_MESSAGE', () => {
    expect(() => buildMessage('smsc', '+77011234567', { kind: 'mail', text: 'x' })).toThrow(
      '--kind mail needs --subject',
    );
    expect(() => buildMessage('smsc', '+77011234567', { subject: 's' })).toThrow('need --kind');
    expect(() => buildMessage('smsc', '+77011234567', { kind: 'call', text: 'x', voice: 'q' })).toThrow(
      '--voice must be one of',
    );
    let error: unknown;
    try {
      buildMessage('smsc', '+77011234567', { kind: 'telegram-code', code: '12' });
    } catch (e) {
      error = e;
    }
    expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
  });

  it('engagelab: --template, --language and --param make the template; --code implies service_type CODE', () => {
    expect(
      buildMessage('engagelab', '+6598765432', {
        template: 'login-otp',
        code: '123456',
        language: 'en',
        param: ['brand=Acme', 'x=a=b'],
      }),
    ).toEqual({
      to: '+6598765432',
      code: '123456',
      serviceType: 'CODE',
      template: { id: 'login-otp', language: 'en', params: { brand: 'Acme', x: 'a=b' } },
    });
    expect(buildMessage('engagelab', '+6598765432', { template: 'shipped', serviceType: 'MRKT' })).toEqual({
      to: '+6598765432',
      serviceType: 'MRKT',
      template: { id: 'shipped' },
    });
    expect(() => buildMessage('engagelab', '+6598765432', { template: 't', param: ['novalue'] })).toThrow(
      '--param takes key=value',
    );
    expect(() => buildMessage('engagelab', '+6598765432', { param: ['a=b'] })).toThrow('need --template');
  });
});
