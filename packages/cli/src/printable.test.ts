import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';

describe('printable', () => {
  it('escapes what could end a line, drive the terminal or reorder the text; leaves the rest', () => {
    expect(printable('a\nb\r\tc')).toBe('a\\nb\\r\\tc');
    expect(printable('\u001b[2J\u0007\u007f\u009b')).toBe('\\x1B[2J\\x07\\x7F\\x9B');
    expect(printable('x\u2028y\u202ez\u2066')).toBe('x\\u2028y\\u202Ez\\u2066');
    expect(printable('Привет 👋 +7 (903) 655-05-50 \\n')).toBe('Привет 👋 +7 (903) 655-05-50 \\n');
    expect(printable(42)).toBe('42');
  });
});
