import { describe, expect, it } from 'vitest';
import { isLifetime, validityPeriod } from './lifetime.js';

describe('message lifetime (validity_period)', () => {
  it('is 30 to 3600 whole seconds', () => {
    expect([30, 31, 3599, 3600].every(isLifetime)).toBe(true);
    expect([29, 3601, 30.5, Number.NaN, '60'].some(isLifetime)).toBe(false);
  });

  it('goes on the wire as an SMPP relative time', () => {
    expect(validityPeriod(30)).toBe('000000000030000R');
    expect(validityPeriod(300)).toBe('000000000500000R');
    expect(validityPeriod(3600)).toBe('000000010000000R');
    expect(validityPeriod(undefined)).toBe('');
  });
});
