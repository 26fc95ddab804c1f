import { describe, expect, it } from 'vitest';
import { relativeSmppTime } from './smpp-time.js';

describe('relativeSmppTime', () => {
  it('writes durations as YYMMDDhhmmss000R', () => {
    expect(relativeSmppTime(300)).toBe('000000000500000R');
    expect(relativeSmppTime(1)).toBe('000000000001000R');
    expect(relativeSmppTime(86_400 + 3_600 + 61)).toBe('000001010101000R');
    expect(relativeSmppTime(99 * 86_400 + 86_399)).toBe('000099235959000R');
  });

  it('refuses what it cannot write', () => {
    for (const bad of [0, -5, 1.5, 100 * 86_400]) {
      expect(() => relativeSmppTime(bad)).toThrow(/relative SMPP time/);
    }
  });
});
