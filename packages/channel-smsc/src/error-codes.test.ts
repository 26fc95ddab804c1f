import { describe, expect, it } from 'vitest';
import { smscErrorInfo, smscErrors, smscMailErrors } from './error-codes.js';

describe('status err codes', () => {
  it('lists every SMS/HLR code of the page with a typed reason', () => {
    expect([...smscErrors.keys()]).toEqual([
      0, 1, 6, 11, 12, 13, 21, 200, 219, 220, 224, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250,
      251, 252, 253, 254, 255,
    ]);
    expect(smscErrors.get(251)?.reason).toBe('number-limit-exceeded');
    expect(smscErrors.get(239)?.reason).toBe('forbidden-ip');
    expect(smscErrors.get(241)?.reason).toBe('conversion-error');
    expect(new Set([...smscErrors.values()].map((info) => info.reason)).size).toBe(smscErrors.size);
  });

  it('lists every e-mail code of the page, where 1-4 mean other things than for SMS', () => {
    expect([...smscMailErrors.keys()]).toEqual([0, 1, 2, 3, 4, 239, 245, 248, 249, 252, 253, 254, 255]);
    expect(smscMailErrors.get(1)?.reason).toBe('recipient-not-found');
    expect(smscMailErrors.get(2)?.reason).toBe('inbox-full');
    expect(smscMailErrors.get(249)?.reason).toBe('invalid-address');
    expect(smscMailErrors.get(255)?.reason).toBe('rejected-by-recipient-server');
  });

  it('reads err as written in receipts (three digits) or as a number, from the right table', () => {
    expect(smscErrorInfo('251')).toMatchObject({ code: 251, reason: 'number-limit-exceeded' });
    expect(smscErrorInfo('000')).toMatchObject({ code: 0, reason: 'ok' });
    expect(smscErrorInfo(1)).toMatchObject({ reason: 'subscriber-not-found' });
    expect(smscErrorInfo(1, 'mail')).toMatchObject({ reason: 'recipient-not-found' });
    expect(smscErrorInfo('042')).toMatchObject({ code: 42, reason: 'unknown' });
    expect(smscErrorInfo('n/a')).toBeUndefined();
  });
});
