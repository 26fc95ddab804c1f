import { describe, expect, it } from 'vitest';
import { secondsUntil } from './smpp-time.js';

describe('secondsUntil (SMPP times)', () => {
  it('reads relative times', () => {
    expect(secondsUntil('000000000030000R', 0)).toBe(30);
    expect(secondsUntil('000000010000000R', 0)).toBe(3600);
    expect(secondsUntil('000001000000000R', 0)).toBe(86_400);
  });

  it('reads absolute times with their quarter-hour offset', () => {
    const now = Date.UTC(2026, 10, 22, 3, 0, 0);
    expect(secondsUntil('261122030500000+', now)).toBe(300);
    // 06:05 at UTC+3 (12 quarter hours) is 03:05 UTC.
    expect(secondsUntil('261122060500012+', now)).toBe(300);
    expect(secondsUntil('261122020500004-', now)).toBe(300);
  });

  it('refuses what is not an SMPP time', () => {
    for (const value of ['', '300', '261322030500000+', '26112203050000+', '000000000030000X']) {
      expect(secondsUntil(value, 0)).toBeUndefined();
    }
  });
});
