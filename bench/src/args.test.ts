import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args.js';

describe('parseBenchArgs', () => {
  it('takes the arguments with or without the `--` pnpm passes through', () => {
    expect(parseBenchArgs(['--quick']).quick).toBe(true);
    expect(parseBenchArgs(['--', '--quick']).quick).toBe(true);
  });

  it('has full-run defaults and smaller quick ones', () => {
    const full = parseBenchArgs([]);
    expect(full).toMatchObject({ quick: false, rounds: 3, windows: [1, 10, 100, 1000], scaleN: 1_000_000 });
    const quick = parseBenchArgs(['--quick']);
    expect(quick.rounds).toBe(1);
    expect(quick.scaleN).toBeLessThan(full.scaleN);
  });

  it('reads lists and counts, up to 1M messages', () => {
    const args = parseBenchArgs(['--n', '1000000', '--windows', '10,100', '--targets', 'raw,runtime']);
    expect(args.n).toBe(1_000_000);
    expect(args.windows).toEqual([10, 100]);
    expect(args.targets).toEqual(['raw', 'runtime']);
  });

  it('names the bad argument', () => {
    expect(() => parseBenchArgs(['--n', '2000000'])).toThrow(/--n must be a whole number from 1 to 1000000/);
    expect(() => parseBenchArgs(['--targets', 'kannel'])).toThrow(/unknown target 'kannel'/);
    expect(() => parseBenchArgs(['--bogus'])).toThrow(/bogus/);
  });
});
