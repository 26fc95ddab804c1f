import { parseArgs } from 'node:util';
import type { TargetName } from './targets/target.js';

export const BENCH_USAGE = `Usage: pnpm bench [--quick] [options]

  --quick             a smaller run that finishes in under a minute
  --n <count>         messages per run at windows 10..1000 (default 20000, --quick 8000; up to 1000000);
                      window 1 runs send a tenth of it
  --rounds <count>    paired rounds per configuration (default 3; --quick 1)
  --windows <list>    default 1,10,100,1000
  --targets <list>    raw,transport,runtime (default all three)
  --scale-n <count>   the large end of the RSS / CPU-per-message check (default 1000000; --quick 50000)
  --paced-n <count>   messages of the paced 10k msgs/s run (default 100000; --quick 20000)
  --cpu-prof-dir <dir>
                      write a V8 CPU profile of the SMSC and of every client run there
  --out <file>        where the JSON goes (default bench-results/bench-<time>.json in the bench folder)
  --help              this text
`;

export interface BenchArgs {
  readonly quick: boolean;
  readonly n: number;
  readonly rounds: number;
  readonly windows: readonly number[];
  readonly targets: readonly TargetName[];
  readonly scaleN: number;
  readonly pacedN: number;
  readonly out: string | undefined;
  readonly cpuProfileDir: string | undefined;
  readonly help: boolean;
}

const targetNames: readonly TargetName[] = ['raw', 'transport', 'runtime'];
const maxCount = 1_000_000;

/**
 * Parses the bench's command line. A leading `--` is skipped: `pnpm bench -- --quick` passes it
 * through, `pnpm bench --quick` does not. Throws with a message naming the bad argument.
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args = argv.filter((arg, i) => !(arg === '--' && i === 0));
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      n: { type: 'string' },
      rounds: { type: 'string' },
      windows: { type: 'string' },
      targets: { type: 'string' },
      'scale-n': { type: 'string' },
      'paced-n': { type: 'string' },
      out: { type: 'string' },
      'cpu-prof-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const quick = values.quick;
  const windows =
    values.windows === undefined ? [1, 10, 100, 1000] : values.windows.split(',').map((w) => count(w, '--windows'));
  const targets =
    values.targets === undefined
      ? targetNames
      : values.targets.split(',').map((name) => {
          if (!(targetNames as readonly string[]).includes(name)) {
            throw new Error(`--targets: unknown target '${name}' (use ${targetNames.join(', ')})`);
          }
          return name as TargetName;
        });
  return {
    quick,
    n: values.n === undefined ? (quick ? 8000 : 20_000) : count(values.n, '--n'),
    rounds: values.rounds === undefined ? (quick ? 1 : 3) : count(values.rounds, '--rounds'),
    windows,
    targets,
    scaleN: values['scale-n'] === undefined ? (quick ? 50_000 : maxCount) : count(values['scale-n'], '--scale-n'),
    pacedN: values['paced-n'] === undefined ? (quick ? 20_000 : 100_000) : count(values['paced-n'], '--paced-n'),
    out: values.out,
    cpuProfileDir: values['cpu-prof-dir'],
    help: values.help,
  };
}

function count(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > maxCount) {
    throw new Error(`${name} must be a whole number from 1 to ${maxCount}, got '${value}'`);
  }
  return number;
}
