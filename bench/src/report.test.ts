import { describe, expect, it } from 'vitest';
import type { RunReport } from './client-process.js';
import { formatReport, type RunRecord, summarize } from './report.js';
import type { TargetName } from './targets/target.js';

function run(
  target: TargetName,
  round: number,
  perSecond: number,
  overrides: Partial<RunRecord> = {},
  report: Partial<RunReport> = {},
): RunRecord {
  return {
    section: 'window',
    target,
    round,
    window: 100,
    receipts: true,
    rate: null,
    count: 20_000,
    smscCoreShare: 0.5,
    ...overrides,
    report: {
      messages: 20_000,
      failed: 0,
      elapsedMs: 1000,
      perSecond,
      respP50: 1,
      respP99: 4,
      receiptP50: 1,
      receiptP99: 4,
      peakRssBytes: 100 * 1024 * 1024,
      heapAfterGcBytes: 20 * 1024 * 1024,
      cpuMicrosPerMessage: 1e6 / perSecond,
      ...report,
    },
  };
}

describe('summarize', () => {
  it('pairs each round with the baseline of the same round, and checks the 5× target on the median', () => {
    const records = [
      run('raw', 1, 10_000),
      run('runtime', 1, 60_000),
      // Round 2 ran while the machine was busy: both slower, the same ratio.
      run('runtime', 2, 30_000),
      run('raw', 2, 5_000),
      run('raw', 3, 10_000),
      run('runtime', 3, 40_000),
    ];
    const summary = summarize(records, { quick: false });
    const ratio = summary.ratios.find((r) => r.receipts && r.window === 100);
    expect(ratio?.runtimeVsRaw?.rounds).toEqual([6, 6, 4]);
    expect(ratio?.runtimeVsRaw?.median).toBe(6);
    expect(ratio?.runtimeCpuGain?.median).toBe(6);
    expect(ratio?.transportVsRaw).toBeNull();
    const row = summary.rows.find((r) => r.target === 'runtime');
    expect(row).toMatchObject({ rounds: 3, perSecond: 40_000 });
    expect(summary.checks).toEqual([
      { target: '(c)/(a) lifecycles/s at window 100 ≥ 5×', measured: '6.0× (4.0–6.0)', pass: true },
    ]);
    expect(formatReport(summary)).toContain('PASS  (c)/(a) lifecycles/s at window 100 ≥ 5×: 6.0× (4.0–6.0)');
  });

  it('leaves out a round where one side failed instead of shifting the pairs', () => {
    const records = [run('raw', 1, 10_000), run('transport', 2, 90_000), run('raw', 2, 10_000)];
    const ratio = summarize(records, { quick: false }).ratios[0];
    expect(ratio?.transportVsRaw?.rounds).toEqual([9]);
  });

  it('checks the paced p99, and judges RSS and CPU flatness only at 1M messages', () => {
    const paced = run('runtime', 1, 10_000, { section: 'paced', rate: 10_000 }, { receiptP99: 7.5 });
    const small = run('runtime', 1, 10_000, { section: 'scale', window: 1000, count: 10_000 });
    const large = (count: number, cpu: number) =>
      run(
        'runtime',
        1,
        10_000,
        { section: 'scale', window: 1000, count },
        { cpuMicrosPerMessage: cpu, peakRssBytes: 120 * 1024 * 1024 },
      );
    const atQuickSize = summarize([paced, small, large(50_000, 100)], { quick: true }).checks;
    expect(atQuickSize.map((check) => check.pass)).toEqual([false, null, null]);
    const atFullSize = summarize([paced, small, large(1_000_000, 110)], { quick: false }).checks;
    expect(atFullSize.map((check) => check.pass)).toEqual([false, true, true]);
    expect(atFullSize[0]?.measured).toBe('7.50 ms');
  });
});
