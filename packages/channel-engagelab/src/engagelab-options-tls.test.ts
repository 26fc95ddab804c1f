import { TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { engagelabChannel } from './index.js';

function message(options: object): string {
  try {
    engagelabChannel({ port: 2775, systemId: 'acme', password: 'pw', ...options } as never);
  } catch (error) {
    if (error instanceof TidingsError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('options: a bad tls option says what is wrong', () => {
  it('tls.ca that is not PEM text names tls.ca and what it must be', () => {
    const text = message({ tls: { ca: 5 } });
    expect(text).toMatch(/option "tls\.ca": must be PEM text or a list of PEM texts/);
  });
  it('tls: "yes" says it must be true/false or an object', () => {
    expect(message({ tls: 'yes' })).toMatch(/option "tls": must be true, false, or an object/);
  });
});
