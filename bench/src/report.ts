import type { BenchArgs } from './args.js';
import type { RunReport } from './client-process.js';
import { median, type PairedRatio, pairedRatio } from './stats.js';
import type { TargetName } from './targets/target.js';

/** One measured run as the bench keeps it. */
export interface RunRecord {
  /** `window`: the matrix; `paced`: 10k msgs/s with receipts; `scale`: RSS and CPU/msg against N. */
  readonly section: 'window' | 'paced' | 'scale';
  readonly target: TargetName;
  readonly round: number;
  readonly window: number;
  readonly receipts: boolean;
  readonly rate: number | null;
  readonly count: number;
  readonly report: RunReport;
  /** The SMSC's CPU per message times the client's rate: near 1 means the SMSC was the limit. */
  readonly smscCoreShare: number;
}

/** The runs of one target in one configuration, folded: medians over rounds, the worst RSS. */
export interface Row {
  readonly section: RunRecord['section'];
  readonly target: TargetName;
  readonly window: number;
  readonly receipts: boolean;
  readonly count: number;
  readonly rounds: number;
  readonly perSecond: number;
  readonly respP50: number;
  readonly respP99: number;
  readonly receiptP50: number | null;
  readonly receiptP99: number | null;
  readonly peakRssMb: number;
  readonly heapAfterGcMb: number;
  readonly cpuMicrosPerMessage: number;
  readonly smscCoreShare: number;
}

export interface RatioRow {
  readonly receipts: boolean;
  readonly window: number;
  /** (b)/(a) and (c)/(a) throughput, from the runs paired by round. */
  readonly transportVsRaw: PairedRatio | null;
  readonly runtimeVsRaw: PairedRatio | null;
  /**
   * CPU per message of (a) over (b) and over (c): how many times less CPU a message costs. On a
   * busy machine throughput also measures the neighbours; CPU time measures only the client.
   */
  readonly transportCpuGain: PairedRatio | null;
  readonly runtimeCpuGain: PairedRatio | null;
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly pass: boolean | null;
}

export interface Summary {
  readonly quick: boolean;
  readonly rows: readonly Row[];
  readonly ratios: readonly RatioRow[];
  readonly checks: readonly TargetCheck[];
}

const nullableMedian = (values: readonly (number | null)[]): number | null => {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : median(present);
};

function fold(records: readonly RunRecord[]): Row {
  const first = records[0] as RunRecord;
  const reports = records.map((record) => record.report);
  return {
    section: first.section,
    target: first.target,
    window: first.window,
    receipts: first.receipts,
    count: first.count,
    rounds: records.length,
    perSecond: median(reports.map((r) => r.perSecond)),
    respP50: median(reports.map((r) => r.respP50)),
    respP99: median(reports.map((r) => r.respP99)),
    receiptP50: nullableMedian(reports.map((r) => r.receiptP50)),
    receiptP99: nullableMedian(reports.map((r) => r.receiptP99)),
    peakRssMb: Math.max(...reports.map((r) => r.peakRssBytes)) / (1024 * 1024),
    heapAfterGcMb: Math.max(...reports.map((r) => r.heapAfterGcBytes)) / (1024 * 1024),
    cpuMicrosPerMessage: median(reports.map((r) => r.cpuMicrosPerMessage)),
    smscCoreShare: Math.max(...records.map((record) => record.smscCoreShare)),
  };
}

/** Groups runs by configuration (insertion order kept), folds them, pairs the ratios, checks the targets. */
export function summarize(records: readonly RunRecord[], args: Pick<BenchArgs, 'quick'>): Summary {
  const groups = new Map<string, RunRecord[]>();
  for (const record of records) {
    const key = `${record.section}|${record.receipts}|${record.window}|${record.count}|${record.target}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [record]);
    else group.push(record);
  }
  const rows = [...groups.values()].map(fold);

  const runsOf = (receipts: boolean, window: number, target: TargetName): RunRecord[] =>
    records.filter(
      (r) => r.section === 'window' && r.receipts === receipts && r.window === window && r.target === target,
    );
  // Pairs by round: a round where either side failed is left out rather than shifting the pairs.
  const paired = (
    receipts: boolean,
    window: number,
    target: TargetName,
    value: (report: RunReport) => number,
  ): PairedRatio | null => {
    const baseline = new Map(runsOf(receipts, window, 'raw').map((r) => [r.round, value(r.report)]));
    const candidate: number[] = [];
    const base: number[] = [];
    for (const run of runsOf(receipts, window, target).sort((a, b) => a.round - b.round)) {
      const other = baseline.get(run.round);
      if (other === undefined) continue;
      candidate.push(value(run.report));
      base.push(other);
    }
    return candidate.length === 0 ? null : pairedRatio(candidate, base);
  };
  const perSecond = (report: RunReport): number => report.perSecond;
  // Inverted, so that "more is better" as for throughput: (a)'s CPU per message over the candidate's.
  const efficiency = (report: RunReport): number => 1 / report.cpuMicrosPerMessage;
  const ratios: RatioRow[] = [];
  for (const row of rows) {
    if (row.section !== 'window' || row.target !== 'raw') continue;
    ratios.push({
      receipts: row.receipts,
      window: row.window,
      transportVsRaw: paired(row.receipts, row.window, 'transport', perSecond),
      runtimeVsRaw: paired(row.receipts, row.window, 'runtime', perSecond),
      transportCpuGain: paired(row.receipts, row.window, 'transport', efficiency),
      runtimeCpuGain: paired(row.receipts, row.window, 'runtime', efficiency),
    });
  }

  const checks: TargetCheck[] = [];
  for (const window of [100, 1000]) {
    const lifecycle = ratios.find((r) => r.receipts && r.window === window)?.runtimeVsRaw;
    if (lifecycle) checks.push(ratioCheck(`(c)/(a) lifecycles/s at window ${window} ≥ 5×`, lifecycle));
    const submit = ratios.find((r) => !r.receipts && r.window === window)?.transportVsRaw;
    if (submit) checks.push(ratioCheck(`(b)/(a) submit-only at window ${window} ≥ 5×`, submit));
  }
  const paced = rows.find((row) => row.section === 'paced' && row.target === 'runtime');
  if (paced?.receiptP99 != null) {
    checks.push({
      target: '(c) paced 10k msgs/s with receipts: p99 submit→receipt < 5 ms',
      measured: `${paced.receiptP99.toFixed(2)} ms`,
      pass: paced.receiptP99 < 5,
    });
  }
  const scale = rows.filter((row) => row.section === 'scale').sort((a, b) => a.count - b.count);
  const small = scale[0];
  const large = scale[scale.length - 1];
  if (large !== undefined) {
    checks.push({
      target: `(c) client peak RSS ≤ 128 MB for 1M messages at window 1000`,
      measured: `${large.peakRssMb.toFixed(0)} MB at ${large.count} messages (heap kept ${large.heapAfterGcMb.toFixed(0)} MB)`,
      pass: large.count >= 1_000_000 ? large.peakRssMb <= 128 : null,
    });
  }
  if (small !== undefined && large !== undefined && small !== large) {
    const growth = large.cpuMicrosPerMessage / small.cpuMicrosPerMessage;
    checks.push({
      target: '(c) CPU per message flat from 10k to 1M (within 25 %)',
      measured: `${small.cpuMicrosPerMessage.toFixed(1)} µs at ${small.count}, ${large.cpuMicrosPerMessage.toFixed(1)} µs at ${large.count}`,
      pass: large.count >= 1_000_000 ? growth <= 1.25 : null,
    });
  }
  return { quick: args.quick, rows, ratios, checks };
}

function ratioCheck(target: string, ratio: PairedRatio): TargetCheck {
  return { target, measured: formatRatio(ratio), pass: ratio.median >= 5 };
}

function formatRatio(ratio: PairedRatio | null): string {
  if (ratio === null) return '—';
  return ratio.rounds.length > 1
    ? `${ratio.median.toFixed(1)}× (${ratio.min.toFixed(1)}–${ratio.max.toFixed(1)})`
    : `${ratio.median.toFixed(1)}×`;
}

const targetLabel: Record<TargetName, string> = {
  raw: '(a) node-smpp',
  transport: '(b) transport',
  runtime: '(c) runtime',
};

function ms(value: number | null): string {
  return value === null || Number.isNaN(value) ? '—' : value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function table(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...lines.map((line) => (line[i] ?? '').length)));
  const render = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [render(header), widths.map((w) => '─'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

/** The table a human reads; the JSON file has the same numbers. */
export function formatReport(summary: Summary): string {
  const header = [
    'run',
    'target',
    'window',
    'msgs',
    'msgs/s',
    'resp p50',
    'resp p99',
    'rcpt p50',
    'rcpt p99',
    'peak RSS',
    'heap kept',
    'CPU/msg',
    'SMSC core',
  ];
  const lines = summary.rows.map((row) => [
    row.section === 'window'
      ? row.receipts
        ? 'with receipts'
        : 'submit only'
      : row.section === 'paced'
        ? 'paced 10k/s'
        : 'scale',
    targetLabel[row.target],
    String(row.window),
    String(row.count),
    Math.round(row.perSecond).toLocaleString('en-US'),
    ms(row.respP50),
    ms(row.respP99),
    ms(row.receiptP50),
    ms(row.receiptP99),
    `${row.peakRssMb.toFixed(0)} MB`,
    `${row.heapAfterGcMb.toFixed(0)} MB`,
    `${row.cpuMicrosPerMessage.toFixed(1)} µs`,
    `${Math.round(row.smscCoreShare * 100)} %`,
  ]);
  const ratioLines = summary.ratios.map((ratio) => [
    ratio.receipts ? 'with receipts' : 'submit only',
    String(ratio.window),
    formatRatio(ratio.transportVsRaw),
    formatRatio(ratio.runtimeVsRaw),
    formatRatio(ratio.transportCpuGain),
    formatRatio(ratio.runtimeCpuGain),
  ]);
  const checkLines = summary.checks.map(
    (check) => `  ${check.pass === null ? 'n/a ' : check.pass ? 'PASS' : 'FAIL'}  ${check.target}: ${check.measured}`,
  );
  return [
    '',
    'Latencies in ms (resp: submit→submit_sm_resp, runtime: send→accepted; rcpt: submit→receipt, runtime: send→delivered).',
    'msgs/s and latencies: median over rounds; peak RSS: the largest; heap kept: heap in use after a full GC at the end',
    '(what the run retained); SMSC core: its CPU share of one core (near 100 % = the SMSC limits).',
    '',
    table(header, lines),
    '',
    'Ratios from paired runs (median of per-round ratios, range when several rounds). msgs/s: (b)/(a), (c)/(a);',
    'CPU: how many times less client CPU a message costs than with (a). The targets are on msgs/s.',
    '',
    table(['run', 'window', 'msgs/s (b)/(a)', 'msgs/s (c)/(a)', 'CPU (a)/(b)', 'CPU (a)/(c)'], ratioLines),
    '',
    'Targets:',
    ...checkLines,
    '',
  ].join('\n');
}
