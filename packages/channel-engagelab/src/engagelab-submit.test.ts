import { ErrorCode, TidingsError } from '@tidings/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngageLabMessage } from './engagelab-message.js';
import { type EngageLabSubmitOptions, engagelabSubmitPlan } from './engagelab-submit.js';

const strict: EngageLabSubmitOptions = { dataCoding: 'ucs2', normalizeRecipients: false, sender: '' };
const ascii: EngageLabSubmitOptions = { dataCoding: 'default', normalizeRecipients: false, sender: '' };

function refusal(message: unknown, options = strict): TidingsError {
  try {
    engagelabSubmitPlan(message as EngageLabMessage, options);
  } catch (error) {
    if (TidingsError.is(error)) return error;
    throw error;
  }
  throw new Error('the message was accepted');
}

describe('engagelabSubmitPlan: the submit_sm of one message', () => {
  it('MSG by default: service_type, + recipient (TON 1 / NPI 1), the JSON in one UCS2 short_message, a receipt asked', () => {
    const plan = engagelabSubmitPlan({ to: '+6598765432', template: { id: 'welcome' } }, strict);
    expect(plan).toEqual({
      text: '{"id":"welcome","language":"default"}',
      source: { addr: '', ton: 0, npi: 0 },
      destination: { addr: '+6598765432', ton: 1, npi: 1 },
      fields: { service_type: 'MSG', registered_delivery: 1 },
      encoding: { pinned: 'ucs2', concatenation: 'payload', maxShortMessageBytes: 254, maxPayloadBytes: 254 },
    });
  });

  it('CODE carries the code; language and params as given', () => {
    const plan = engagelabSubmitPlan(
      {
        to: '+6598765432',
        serviceType: 'CODE',
        code: '4821',
        template: { id: 'otp', language: 'zh_CN', params: { app: 'Acme' } },
      },
      strict,
    );
    expect(plan.fields?.service_type).toBe('CODE');
    expect(plan.text).toBe('{"id":"otp","language":"zh_CN","code":"4821","params":{"app":"Acme"}}');
  });

  it('MRKT is a template without code', () => {
    const plan = engagelabSubmitPlan({ to: '+6598765432', serviceType: 'MRKT', template: { id: 'sale' } }, strict);
    expect(plan.fields?.service_type).toBe('MRKT');
    expect(JSON.parse(plan.text)).toEqual({ id: 'sale', language: 'default' });
  });

  it('data_coding 0x00 ("default"): ASCII labelled 0x00, non-ASCII as \\u escapes', () => {
    const plan = engagelabSubmitPlan({ to: '+6598765432', template: { id: 'hi', params: { name: 'Zoë 😀' } } }, ascii);
    expect(plan.encoding).toMatchObject({ pinned: 'ascii', dataCodings: { ascii: 0x00 }, maxShortMessageBytes: 254 });
    expect(plan.text).toBe('{"id":"hi","language":"default","params":{"name":"Zo\\u00eb \\ud83d\\ude00"}}');
    expect(JSON.parse(plan.text)).toEqual({ id: 'hi', language: 'default', params: { name: 'Zoë 😀' } });
  });

  it('any template params survive the trip in both codings, or are refused as too long', () => {
    const text = fc.string({ unit: 'binary', maxLength: 10 });
    fc.assert(
      fc.property(
        text,
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), text, { maxKeys: 3 }),
        (id, params) => {
          const message = { to: '+6598765432', template: { id: `t${id}`, params } };
          for (const options of [strict, ascii]) {
            let plan: ReturnType<typeof engagelabSubmitPlan>;
            try {
              plan = engagelabSubmitPlan(message, options);
            } catch (error) {
              expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
              expect((error as TidingsError).details?.octets).toBeGreaterThan(254);
              continue;
            }
            const octets = options === strict ? plan.text.length * 2 : plan.text.length;
            expect(octets).toBeLessThanOrEqual(254);
            if (options === ascii) expect(/^[\x20-\x7e]*$/.test(plan.text)).toBe(true);
            expect(JSON.parse(plan.text)).toEqual({ id: `t${id}`, language: 'default', params });
          }
        },
      ),
    );
  });

  it('refuses a recipient without "+" unless asked to normalise', () => {
    for (const to of ['6598765432', '006598765432', '+65 9876 5432', '+0659876543', '+12']) {
      const error = refusal({ to, template: { id: 't' } });
      expect(error.code).toBe(ErrorCode.InvalidMessage);
      expect(error.details).toEqual({ field: 'to' });
      expect(error.message).toContain('international format with "+"');
    }
    expect(refusal({ to: '6598765432', template: { id: 't' } }).message).toContain('normalizeRecipients');
  });

  it('normalises recipients when asked: 00 prefix, separators, a missing +', () => {
    const options = { ...strict, normalizeRecipients: true };
    for (const to of ['6598765432', '0065 9876-5432', '+65 (9876) 5432', '65.9876.5432']) {
      expect(engagelabSubmitPlan({ to, template: { id: 't' } }, options).destination.addr).toBe('+6598765432');
    }
    expect(refusal({ to: 'call me', template: { id: 't' } }, options).details).toEqual({ field: 'to' });
  });

  it('code: required for CODE, refused for MSG and MRKT', () => {
    expect(refusal({ to: '+6598765432', serviceType: 'CODE', template: { id: 't' } }).message).toBe(
      'message.code is required with serviceType "CODE" (the verification code the template shows)',
    );
    for (const serviceType of [undefined, 'MSG', 'MRKT']) {
      const error = refusal({ to: '+6598765432', serviceType, code: '1234', template: { id: 't' } });
      expect(error.details).toEqual({ field: 'code' });
      expect(error.message).toContain('only sent with serviceType "CODE"');
    }
  });

  it('refuses an unknown service_type, a missing template, an empty language', () => {
    expect(refusal({ to: '+6598765432', serviceType: 'OTP', template: { id: 't' } }).message).toBe(
      'message.serviceType must be one of MSG, CODE, MRKT (got "OTP")',
    );
    expect(refusal({ to: '+6598765432', text: 'hello' }).details).toEqual({ field: 'template' });
    expect(refusal({ to: '+6598765432', template: { id: 't', language: ' ' } }).details).toEqual({
      field: 'template.language',
    });
  });

  it('refuses a body that does not fit one short_message (254 octets), pointing at the fix', () => {
    const long = { to: '+6598765432', template: { id: 't', params: { note: 'x'.repeat(100) } } };
    const error = refusal(long);
    expect(error.message).toMatch(/^message\.template must fit one short_message: .* over the 254 allowed/);
    expect(error.details).toMatchObject({ field: 'template', max: 254 });
    expect(error.message).toContain('dataCoding "default"');
    // The same body fits in data_coding 0x00 (one octet per character).
    expect(engagelabSubmitPlan(long, ascii).text.length).toBeLessThanOrEqual(254);
    expect(refusal({ ...long, template: { id: 't', params: { note: 'x'.repeat(250) } } }, ascii).code).toBe(
      ErrorCode.InvalidMessage,
    );
  });

  it('source_addr: the message\'s from, else the sender option (empty by default: "not used in OTP")', () => {
    expect(engagelabSubmitPlan({ to: '+6598765432', template: { id: 't' } }, strict).source.addr).toBe('');
    const withSender = { ...strict, sender: 'AcmeBank' };
    expect(engagelabSubmitPlan({ to: '+6598765432', template: { id: 't' } }, withSender).source.addr).toBe('AcmeBank');
    expect(
      engagelabSubmitPlan({ to: '+6598765432', template: { id: 't' }, from: 'Acme' }, withSender).source.addr,
    ).toBe('Acme');
  });

  it('ignores text, which EngageLab does not send, so one message can fall back to a text channel', () => {
    const plan = engagelabSubmitPlan({ to: '+6598765432', template: { id: 't' }, text: 'Your order shipped' }, strict);
    expect(plan.text).toBe('{"id":"t","language":"default"}');
  });

  it('takes a sender as source_addr; refuses one SMPP cannot carry, without echoing it', () => {
    expect(engagelabSubmitPlan({ to: '+6598765432', template: { id: 't' }, from: 'Acme' }, strict).source).toEqual({
      addr: 'Acme',
      ton: 0,
      npi: 0,
    });
    const error = refusal({ to: '+6598765432', template: { id: 't' }, from: 'x'.repeat(21) });
    expect(error.details).toEqual({ field: 'from' });
    expect(error.message).toMatch(/^message\.from /);
    expect(error.message).not.toContain('x'.repeat(21));
  });
});
