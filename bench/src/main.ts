import { type ChildProcess, fork, type StdioOptions } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BENCH_USAGE, type BenchArgs, parseBenchArgs } from './args.js';
import { bundleEntryPoints } from './bundle.js';
import type { ClientReply, RunReport, RunSpec } from './client-process.js';
import { formatReport, type RunRecord, summarize } from './report.js';
import type { SmscReply, SmscRequest } from './smsc-process.js';
import type { TargetName } from './targets/target.js';

/**
 * `pnpm bench`: the SMSC in one child process, each measured run in a fresh client process,
 * targets alternating within each round so the ratios compare runs made under the same load.
 */
const sources = {
  smsc: fileURLToPath(new URL('./smsc-process.ts', import.meta.url)),
  client: fileURLToPath(new URL('./client-process.ts', import.meta.url)),
};
/** Ignored by git (`bench-results/`): figures belong in the README, with the machine they came from. */
const resultsDir = fileURLToPath(new URL('../bench-results/', import.meta.url));

interface Smsc {
  readonly port: number;
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

/** Both child processes run bundled JavaScript on bare node (see bundle.ts). */
function childOptions(profileDir: string | undefined) {
  // --expose-gc: a client measures its retained heap after the run (never during it).
  const execArgv = ['--expose-gc', ...(profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`])];
  const stdio: StdioOptions = ['ignore', 'inherit', 'inherit', 'ipc'];
  return { execArgv, stdio };
}

async function startSmsc(file: string, profileDir: string | undefined): Promise<Smsc> {
  const child = fork(file, [], childOptions(profileDir));
  const next = (): Promise<SmscReply> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`the SMSC process exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: SmscReply) => {
        child.off('exit', onExit);
        resolve(reply);
      });
    });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('the SMSC process did not start');
  const ask = (request: SmscRequest): void => {
    child.send(request);
  };
  return {
    port: ready.port,
    async cpuMicros() {
      const answer = next();
      ask({ type: 'cpu' });
      const reply = await answer;
      return reply.type === 'cpu' ? reply.micros : 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        ask({ type: 'stop' });
        setTimeout(() => child.kill(), 3000).unref();
      }),
  };
}

function runClient(file: string, spec: RunSpec, profileDir: string | undefined): Promise<RunReport> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(file, [JSON.stringify(spec)], childOptions(profileDir));
    let settled = false;
    // A client that cannot even bind never reports: end it after its own deadline and a margin.
    const killer = setTimeout(() => child.kill(), spec.timeoutMs + 30_000);
    child.once('exit', () => clearTimeout(killer));
    child.once('message', (reply: ClientReply) => {
      settled = true;
      if (reply.type === 'done') resolve(reply.report);
      else reject(new Error(`${spec.target} w${spec.window}: ${reply.message}`));
    });
    child.once('exit', (code) => {
      if (!settled) reject(new Error(`${spec.target} w${spec.window}: client exited (${code}) without a report`));
    });
  });
}

function countFor(args: BenchArgs, window: number): number {
  return window === 1 ? Math.max(500, Math.round(args.n / 10)) : args.n;
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${BENCH_USAGE}`);
    process.exitCode = 1;
    return;
  }
  if (args.help) {
    process.stdout.write(BENCH_USAGE);
    return;
  }
  const startedAt = new Date();
  const loadBefore = loadavg();
  const bundles = await bundleEntryPoints(sources);
  const smsc = await startSmsc(bundles.smsc as string, args.cpuProfileDir);
  const records: RunRecord[] = [];
  const failures: string[] = [];
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };

  const measure = async (
    section: RunRecord['section'],
    target: TargetName,
    round: number,
    spec: Omit<RunSpec, 'target' | 'host' | 'port' | 'timeoutMs'>,
  ): Promise<void> => {
    const full: RunSpec = {
      ...spec,
      target,
      host: '127.0.0.1',
      port: smsc.port,
      timeoutMs: 60_000 + spec.count * 2,
    };
    const smscBefore = await smsc.cpuMicros();
    let report: RunReport;
    try {
      report = await runClient(bundles.client as string, full, args.cpuProfileDir);
    } catch (error) {
      // One failed run must not lose the others: it is reported, and its ratios are left out.
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${section} ${spec.receipts ? 'receipts' : 'submit'} ${message}`);
      log(`  ${section} ${target} w${spec.window} round ${round}: FAILED: ${message}`);
      return;
    }
    const smscMicros = (await smsc.cpuMicros()) - smscBefore;
    // Per message sent (warm-up included), times the measured rate: the SMSC's share of one core.
    const smscMicrosPerMessage = smscMicros / (spec.count + spec.warmup);
    const record: RunRecord = {
      section,
      target,
      round,
      window: spec.window,
      receipts: spec.receipts,
      rate: spec.rate ?? null,
      count: spec.count,
      report,
      smscCoreShare: (smscMicrosPerMessage * report.perSecond) / 1e6,
    };
    records.push(record);
    log(
      `  ${section} ${spec.receipts ? 'receipts' : 'submit  '} w${String(spec.window).padEnd(4)} ${target.padEnd(9)} ` +
        `round ${round}: ${Math.round(report.perSecond)} msgs/s, ${report.cpuMicrosPerMessage.toFixed(1)} µs CPU/msg`,
    );
  };

  try {
    log(`pnpm bench${args.quick ? ' --quick' : ''}: SMSC on 127.0.0.1:${smsc.port} (separate process)`);
    for (const receipts of [false, true]) {
      for (const window of args.windows) {
        const count = countFor(args, window);
        // Enough for the JIT to settle: short runs otherwise measure the compiler, not the code.
        const warmup = window === 1 ? Math.min(500, count) : Math.min(3000, count);
        for (let round = 1; round <= args.rounds; round++) {
          // Alternate the order each round: neither side always runs first.
          const order = round % 2 === 1 ? args.targets : [...args.targets].reverse();
          for (const target of order) await measure('window', target, round, { window, receipts, count, warmup });
        }
      }
    }
    for (let round = 1; round <= args.rounds; round++) {
      const order = round % 2 === 1 ? args.targets : [...args.targets].reverse();
      for (const target of order) {
        await measure('paced', target, round, {
          window: 100,
          receipts: true,
          rate: 10_000,
          count: args.pacedN,
          warmup: 2000,
        });
      }
    }
    if (args.targets.includes('runtime')) {
      for (const count of [...new Set([Math.min(10_000, args.scaleN), args.scaleN])]) {
        await measure('scale', 'runtime', 1, { window: 1000, receipts: true, count, warmup: 2000 });
      }
    }
  } finally {
    await smsc.stop();
  }

  const summary = summarize(records, args);
  process.stdout.write(formatReport(summary));
  let out = args.out;
  if (out === undefined) {
    await mkdir(resultsDir, { recursive: true });
    out = `${resultsDir}bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`;
  }
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg(),
  };
  await writeFile(
    out,
    `${JSON.stringify({ startedAt: startedAt.toISOString(), machine, args, summary, runs: records, failures }, null, 2)}\n`,
  );
  process.stdout.write(`\nJSON written to ${out}\n`);
  if (failures.length > 0) {
    process.stdout.write(`\n${failures.length} run(s) failed:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

await main();
