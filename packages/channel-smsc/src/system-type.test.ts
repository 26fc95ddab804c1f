import { describe, expect, it } from 'vitest';
import { buildSystemType, parseSystemType } from './system-type.js';

describe('system_type flags', () => {
  it('writes MCONn, ISO and SINGLE comma separated, in that order; nothing without flags', () => {
    expect(buildSystemType({})).toBe('');
    expect(buildSystemType({ mcon: 2 })).toBe('MCON2');
    expect(buildSystemType({ iso: true })).toBe('ISO');
    expect(buildSystemType({ single: true })).toBe('SINGLE');
    expect(buildSystemType({ iso: true, single: true })).toBe('ISO,SINGLE');
    expect(buildSystemType({ mcon: 9, iso: true, single: true })).toBe('MCON9,ISO,SINGLE');
  });

  it('takes MCON1 to MCON9 only', () => {
    expect(buildSystemType({ mcon: 1 })).toBe('MCON1');
    expect(() => buildSystemType({ mcon: 0 })).toThrow(RangeError);
    expect(() => buildSystemType({ mcon: 10 })).toThrow(RangeError);
  });

  it('reads the flags back, ignoring case, spaces and words it does not know', () => {
    expect(parseSystemType('MCON3,ISO,SINGLE')).toEqual({ mcon: 3, iso: true, single: true });
    expect(parseSystemType(' iso , single ')).toEqual({ mcon: undefined, iso: true, single: true });
    expect(parseSystemType('')).toEqual({ mcon: undefined, iso: false, single: false });
    expect(parseSystemType(undefined)).toEqual({ mcon: undefined, iso: false, single: false });
    expect(parseSystemType('MCON0,MCON10,VMA')).toEqual({ mcon: undefined, iso: false, single: false });
  });
});
