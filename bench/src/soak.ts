import { parseArgs } from 'node:util';
import { formatSoak, runSoak } from './soak-run.js';

const USAGE = `Usage: pnpm --filter @tidings/bench soak [--n <count>] [--window <count>] [--seed <number>] [--fault-every-ms <ms>]

Sends --n messages (default 1000000) through the full runtime to the SMSC simulator while random
faults are injected (dropped connections, throttling, queue full, delays, unanswered submits,
garbage, server unbinds, duplicate and early receipts), then prints the counts, peak RSS and
duration. Exits 1 when a message was lost or ended twice.`;

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const parsed = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
  return parsed;
}

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg, i) => !(arg === '--' && i === 0)),
  strict: true,
  options: {
    n: { type: 'string' },
    window: { type: 'string' },
    seed: { type: 'string' },
    'fault-every-ms': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const n = positive(values.n, 1_000_000, '--n');
const window = positive(values.window, 500, '--window');
const seed = positive(values.seed, 1, '--seed');
const faultEveryMs = positive(values['fault-every-ms'], 250, '--fault-every-ms');

console.log(
  `soak: ${n.toLocaleString('en')} messages, window ${window}, seed ${seed}, a fault every ${faultEveryMs} ms (node ${process.version})`,
);
const result = await runSoak({ n, window, seed, faultEveryMs, log: (line) => console.log(line) });
console.log(formatSoak(result));
const ok = result.lost === 0 && result.duplicated === 0 && result.eventsAfterTerminal === 0 && result.settled === n;
console.log(ok ? 'result        OK: zero lost, zero duplicated' : 'result        FAILED');
process.exit(ok ? 0 : 1);
