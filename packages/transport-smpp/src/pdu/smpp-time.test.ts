import { describe, expect, it } from 'vitest';
import { parseSmppTime, relativeSmppTime, secondsUntilSmppTime } from './smpp-time.js';

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

describe('parseSmppTime', () => {
  it('reads relative times (R): a year is 365 days, a month 30', () => {
    expect(parseSmppTime('000000000500000R')).toEqual({ kind: 'relative', seconds: 300 });
    expect(parseSmppTime('000000010000000R')).toEqual({ kind: 'relative', seconds: 3_600 });
    expect(parseSmppTime('000003000000000R')).toEqual({ kind: 'relative', seconds: 72 * 3_600 });
    expect(parseSmppTime('000100000000000R')).toEqual({ kind: 'relative', seconds: 30 * 86_400 });
    expect(parseSmppTime('010000000000000R')).toEqual({ kind: 'relative', seconds: 365 * 86_400 });
    // The tenths and nn mean nothing in a relative time.
    expect(parseSmppTime('000000000500512R')).toEqual({ kind: 'relative', seconds: 300 });
  });

  it('reads back what relativeSmppTime writes', () => {
    for (const seconds of [1, 59, 60, 300, 86_399, 86_400, 259_200, 99 * 86_400 + 86_399]) {
      expect(parseSmppTime(relativeSmppTime(seconds))).toEqual({ kind: 'relative', seconds });
    }
  });

  it('reads absolute times in UTC (+00), tenths included', () => {
    expect(parseSmppTime('261122030500000+')).toEqual({ kind: 'absolute', epochMs: Date.UTC(2026, 10, 22, 3, 5) });
    expect(parseSmppTime('261122030500500-')).toEqual({
      kind: 'absolute',
      epochMs: Date.UTC(2026, 10, 22, 3, 5, 0, 500),
    });
  });

  it('applies the quarter-hour offset: + is ahead of UTC, - behind', () => {
    const utc = Date.UTC(2026, 10, 22, 3, 5);
    // 06:05 at UTC+3 (12 quarter hours), 04:05 at UTC+1 (04), 02:05 at UTC-1.
    expect(parseSmppTime('261122060500012+')).toEqual({ kind: 'absolute', epochMs: utc });
    expect(parseSmppTime('261122040500004+')).toEqual({ kind: 'absolute', epochMs: utc });
    expect(parseSmppTime('261122020500004-')).toEqual({ kind: 'absolute', epochMs: utc });
    // UTC+5:45 (23 quarter hours, Nepal) and UTC-3:30 (14, Newfoundland).
    expect(parseSmppTime('261122085000023+')).toEqual({ kind: 'absolute', epochMs: utc });
    expect(parseSmppTime('261121233500014-')).toEqual({ kind: 'absolute', epochMs: utc });
    // The widest offsets: 48 quarter hours either way.
    expect(parseSmppTime('261122150500048+')).toEqual({ kind: 'absolute', epochMs: utc });
    expect(parseSmppTime('261121150500048-')).toEqual({ kind: 'absolute', epochMs: utc });
  });

  it('reads leap days only in leap years', () => {
    expect(parseSmppTime('280229000000000+')).toEqual({ kind: 'absolute', epochMs: Date.UTC(2028, 1, 29) });
    expect(parseSmppTime('260229000000000+')).toBeUndefined();
  });

  it('refuses what is not an SMPP time', () => {
    for (const bad of [
      '',
      'bogus',
      '300',
      // 15 or 17 characters
      '00000000050000R',
      '0000000005000000R',
      // an unknown last character, lower case r, spaces, signs inside
      '000000000500000X',
      '000000000500000r',
      ' 000000000500000R',
      '000000000500000R ',
      '0000000005-0000R',
      // no month 13, no 31 November, no hour 24, no minute 60, no second 60, no offset over 48
      '261322030500000+',
      '261131030500000+',
      '261100030500000+',
      '261122240000000+',
      '261122036000000+',
      '261122030560000+',
      '261122030500049+',
    ]) {
      expect(parseSmppTime(bad), bad).toBeUndefined();
    }
  });
});

describe('secondsUntilSmppTime', () => {
  const now = Date.UTC(2026, 10, 22, 3, 0, 0);

  it('gives a relative time its duration, whatever now is', () => {
    expect(secondsUntilSmppTime('000000000100000R', now)).toBe(60);
    expect(secondsUntilSmppTime(relativeSmppTime(259_200), now)).toBe(259_200);
    expect(secondsUntilSmppTime('000000000100000R', 0)).toBe(60);
  });

  it('counts the seconds until an absolute time, negative once past', () => {
    // One hour after now, written at UTC+1 (4 quarter hours): 05:00 local.
    expect(secondsUntilSmppTime('261122050000004+', now)).toBe(3_600);
    expect(secondsUntilSmppTime('261122030500000+', now)).toBe(300);
    expect(secondsUntilSmppTime('261122025900000+', now)).toBe(-60);
    expect(secondsUntilSmppTime('261122030000500+', now)).toBe(1);
  });

  it('is undefined for an empty or malformed time', () => {
    expect(secondsUntilSmppTime('', now)).toBeUndefined();
    expect(secondsUntilSmppTime('bogus', now)).toBeUndefined();
    expect(secondsUntilSmppTime('261322030500000+', now)).toBeUndefined();
  });
});
