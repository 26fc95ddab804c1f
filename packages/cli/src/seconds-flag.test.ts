import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { parseConnectTimeout, parseSeconds } from './seconds-flag.js';

describe('seconds flags', () => {
  it('--timeout: seconds to ms; every spelling of zero, and "none", is no limit', () => {
    expect(parseSeconds('2.5', '--timeout')).toBe(2500);
    for (const never of ['0', '0.0', '00', '0e0', 'none', undefined]) {
      expect(parseSeconds(never, '--timeout')).toBe(Number.POSITIVE_INFINITY);
    }
  });

  it('--timeout: empty, negative, not a number or beyond a timer is a usage error naming the flag', () => {
    for (const bad of ['', ' ', '-1', 'soon', '3000000']) {
      expect(() => parseSeconds(bad, '--timeout')).toThrow(CliError);
      expect(() => parseSeconds(bad, '--timeout')).toThrow(`--timeout must be a number of seconds`);
    }
  });

  it('--connect-timeout: positive seconds only', () => {
    expect(parseConnectTimeout('0.3')).toBe(300);
    expect(parseConnectTimeout(undefined)).toBeUndefined();
    for (const bad of ['', '0', '-1', 'x']) expect(() => parseConnectTimeout(bad)).toThrow(CliError);
  });
});
