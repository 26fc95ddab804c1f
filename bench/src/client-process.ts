import { Driver } from './driver.js';
import { openRawNodeSmpp } from './targets/raw-node-smpp.js';
import type { Target, TargetConfig, TargetHooks, TargetName } from './targets/target.js';
import { openTidingsRuntime } from './targets/tidings-runtime.js';
import { openTidingsTransport } from './targets/tidings-transport.js';

/** One measured run, in a fresh process so its peak RSS is its own. */
export interface RunSpec extends TargetConfig {
  readonly target: TargetName;
  readonly count: number;
  readonly warmup: number;
  readonly rate?: number | undefined;
  readonly timeoutMs: number;
}

export interface RunReport {
  readonly messages: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly respP50: number;
  readonly respP99: number;
  readonly receiptP50: number | null;
  readonly receiptP99: number | null;
  /** Peak resident set of the client process, bytes. */
  readonly peakRssBytes: number;
  /** Heap still in use after a full GC at the end of the run: what the run retained (a leak shows here). */
  readonly heapAfterGcBytes: number;
  /** User + system CPU of the client process per message, microseconds. */
  readonly cpuMicrosPerMessage: number;
}

export type ClientReply =
  | { readonly type: 'done'; readonly report: RunReport }
  | { readonly type: 'error'; readonly message: string };

const openers: Record<TargetName, (config: TargetConfig, hooks: TargetHooks) => Promise<Target>> = {
  raw: openRawNodeSmpp,
  transport: openTidingsTransport,
  runtime: openTidingsRuntime,
};

async function run(spec: RunSpec): Promise<RunReport> {
  const driver = new Driver();
  const target = await openers[spec.target](spec, driver);
  driver.bind(target);
  const drive = { window: spec.window, receipts: spec.receipts, rate: spec.rate, timeoutMs: spec.timeoutMs };
  // Warm up the JIT and the connection; not measured.
  if (spec.warmup > 0) await driver.drive({ ...drive, count: spec.warmup });
  const cpuBefore = process.cpuUsage();
  const result = await driver.drive({ ...drive, count: spec.count });
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  // Measured before closing: what the target holds after a million messages, garbage aside.
  (globalThis as { gc?: () => void }).gc?.();
  const heapAfterGcBytes = process.memoryUsage().heapUsed;
  await target.close();
  const receipts = spec.receipts && result.submitToReceipt.count > 0;
  return {
    messages: result.sent,
    failed: result.failed,
    elapsedMs: result.elapsedMs,
    perSecond: (result.sent * 1000) / result.elapsedMs,
    respP50: result.submitToResp.percentile(0.5),
    respP99: result.submitToResp.percentile(0.99),
    receiptP50: receipts ? result.submitToReceipt.percentile(0.5) : null,
    receiptP99: receipts ? result.submitToReceipt.percentile(0.99) : null,
    peakRssBytes,
    heapAfterGcBytes,
    cpuMicrosPerMessage: (cpu.user + cpu.system) / result.sent,
  };
}

const reply = (message: ClientReply): Promise<void> =>
  new Promise((resolve) => {
    if (process.send === undefined) {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
    } else process.send(message, () => resolve());
  });

try {
  const spec = JSON.parse(process.argv[2] ?? '') as RunSpec;
  await reply({ type: 'done', report: await run(spec) });
} catch (error) {
  await reply({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
process.exit(0);
