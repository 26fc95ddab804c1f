import { describe, expect, it } from 'vitest';
import { ErrorCode, TidingsError } from './errors.js';
import { validateMessageBase, withCodeInText } from './message-validation.js';

const valid = { to: '+15550001111', text: 'hello' };

function fieldOf(message: unknown): string {
  try {
    validateMessageBase(message);
  } catch (error) {
    if (!(error instanceof TidingsError)) throw error;
    expect(error.code).toBe(ErrorCode.InvalidMessage);
    expect(error.retry.kind).toBe('never');
    const field = error.details?.field;
    if (typeof field !== 'string') throw new Error(`details.field missing in ${JSON.stringify(error.details)}`);
    if (field !== '') expect(error.message).toContain(field.split('.')[0]);
    return field;
  }
  throw new Error(`expected ${JSON.stringify(message)} to be rejected`);
}

describe('validateMessageBase', () => {
  it('accepts a minimal message with text, code or template', () => {
    expect(() => validateMessageBase(valid)).not.toThrow();
    expect(() => validateMessageBase({ to: '+1', code: '123456' })).not.toThrow();
    expect(() => validateMessageBase({ to: '+1', template: { id: 'otp' } })).not.toThrow();
  });

  it('accepts a message using every optional field correctly', () => {
    expect(() =>
      validateMessageBase({
        to: '+15550001111',
        text: 'hi',
        code: '1234',
        template: { id: 'otp', language: 'en', params: { code: '1234', app: 'Acme' } },
        from: 'Acme',
        validitySeconds: 300,
        priority: 0,
        clientRef: 'r'.repeat(256),
        idempotencyKey: 'k'.repeat(256),
        metadata: { anything: [1, 2, { deep: true }] },
        extraChannelField: 'channels validate their own fields',
      }),
    ).not.toThrow();
  });

  it.each([null, undefined, 'to:+1', 42, true, [], [valid], () => valid])(
    'rejects a message that is not an object (%s) with field ""',
    (message) => {
      expect(fieldOf(message)).toBe('');
    },
  );

  describe('to', () => {
    it.each([undefined, null, 15550001111, '', '   ', '\t\n', ['+1'], { number: '+1' }])('rejects %j', (to) => {
      expect(fieldOf({ ...valid, to })).toBe('to');
    });

    it('allows 64 characters and rejects 65', () => {
      expect(() => validateMessageBase({ ...valid, to: '1'.repeat(64) })).not.toThrow();
      expect(fieldOf({ ...valid, to: '1'.repeat(65) })).toBe('to');
    });

    it('names the length in the message', () => {
      expect(() => validateMessageBase({ ...valid, to: '1'.repeat(70) })).toThrow(/70 characters; at most 64/);
    });
  });

  describe('content', () => {
    it('requires text, code or template', () => {
      expect(fieldOf({ to: '+1' })).toBe('text');
      expect(() => validateMessageBase({ to: '+1' })).toThrow(/"text", "code" or "template"/);
      expect(fieldOf({ to: '+1', from: 'Acme', metadata: {} })).toBe('text');
    });

    it.each([42, null, ['hi'], { text: 'hi' }, true])('rejects text %j', (text) => {
      expect(fieldOf({ to: '+1', text })).toBe('text');
    });

    it.each([1234, null, ['1'], false])('rejects code %j', (code) => {
      expect(fieldOf({ to: '+1', code })).toBe('code');
    });
  });

  describe('template', () => {
    it.each([null, 'otp', 5, [], {}, { id: '' }, { id: 7 }, { language: 'en' }])('rejects template %j', (template) => {
      expect(fieldOf({ to: '+1', template })).toBe('template');
    });

    it.each([5, null, ['en']])('rejects template.language %j', (language) => {
      expect(fieldOf({ to: '+1', template: { id: 'otp', language } })).toBe('template.language');
    });

    it.each([null, 'code=1', ['1'], 5])('rejects template.params %j', (params) => {
      expect(fieldOf({ to: '+1', template: { id: 'otp', params } })).toBe('template.params');
    });

    it('names the parameter whose value is not a string', () => {
      expect(fieldOf({ to: '+1', template: { id: 'otp', params: { app: 'Acme', code: 1234 } } })).toBe(
        'template.params.code',
      );
      expect(fieldOf({ to: '+1', template: { id: 'otp', params: { ttl: null } } })).toBe('template.params.ttl');
    });

    it('accepts empty params', () => {
      expect(() => validateMessageBase({ to: '+1', template: { id: 'otp', params: {} } })).not.toThrow();
    });
  });

  describe('optional fields', () => {
    it.each<[string, unknown]>([
      ['from', ''],
      ['from', 42],
      ['from', null],
      ['validitySeconds', 0],
      ['validitySeconds', -60],
      ['validitySeconds', Number.NaN],
      ['validitySeconds', Number.POSITIVE_INFINITY],
      ['validitySeconds', '300'],
      ['validitySeconds', null],
      ['priority', 1.5],
      ['priority', '1'],
      ['priority', Number.NaN],
      ['priority', null],
      ['clientRef', 42],
      ['clientRef', null],
      ['clientRef', 'r'.repeat(257)],
      ['idempotencyKey', ''],
      ['idempotencyKey', 42],
      ['idempotencyKey', null],
      ['idempotencyKey', 'k'.repeat(257)],
      ['metadata', null],
      ['metadata', 'note'],
      ['metadata', [1, 2]],
      ['metadata', 7],
    ])('rejects %s = %j', (field, value) => {
      expect(fieldOf({ ...valid, [field]: value })).toBe(field);
    });

    it.each<[string, unknown]>([
      ['validitySeconds', 0.5],
      ['priority', -3],
      ['priority', 0],
      ['clientRef', ''],
      ['idempotencyKey', 'k'],
      ['metadata', {}],
    ])('accepts %s = %j', (field, value) => {
      expect(() => validateMessageBase({ ...valid, [field]: value })).not.toThrow();
    });

    it('treats an explicitly undefined optional field as absent', () => {
      expect(() =>
        validateMessageBase({
          ...valid,
          from: undefined,
          validitySeconds: undefined,
          priority: undefined,
          clientRef: undefined,
          idempotencyKey: undefined,
          metadata: undefined,
          template: undefined,
          code: undefined,
        }),
      ).not.toThrow();
    });
  });

  it('is an assertion: after it, the value is typed as a message', () => {
    const input: unknown = { to: '+1', text: 'typed' };
    validateMessageBase(input);
    expect(input.to.length + (input.text?.length ?? 0)).toBe(7);
  });
});

describe('withCodeInText', () => {
  it('replaces every {code} in text with the code, and leaves other messages as they are', () => {
    const message = { to: '+1', code: '4821', text: 'Code {code}. Again: {code}' };
    expect(withCodeInText(message)).toEqual({ to: '+1', code: '4821', text: 'Code 4821. Again: 4821' });
    expect(message.text).toBe('Code {code}. Again: {code}');
    const plain = { to: '+1', code: '4821', text: 'Your code is 4821' };
    expect(withCodeInText(plain)).toBe(plain);
  });

  it('refuses {code} in a text without a code', () => {
    expect(() => withCodeInText({ to: '+1', text: 'Code {code}' })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidMessage, details: { field: 'text' } }),
    );
  });
});
