/**
 * Throughput of Tidings on Redis with 1, 2 and 3 processes: each process sends its share of the
 * messages through the SMSC channel to one simulator (receipts at once), every process on one
 * Redis. Reports delivered messages per second from the first submit to the last settled message;
 * messages that ended otherwise are counted apart (they are not throughput).
 *
 *   pnpm --filter @tidings/store-redis bench [messages] [rate]
 */
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { startRedisServer } from '../src/redis-server.test-helper.js';
import { spawnWorker, type WorkerProcess } from '../src/worker-process.test-helper.js';

function positiveInteger(value: string | undefined, fallback: number | undefined, what: string): number | undefined {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) {
    console.error(`bench: ${what} must be a positive integer, got ${JSON.stringify(value)}`);
    console.error('usage: pnpm --filter @tidings/store-redis bench [messages] [rate]');
    process.exit(2);
  }
  return number;
}

const messages = positiveInteger(process.argv[2], 6_000, 'messages') as number;
const rate = positiveInteger(process.argv[3], undefined, 'rate');

interface Run {
  readonly perSecond: number;
  readonly seconds: number;
  readonly delivered: number;
  readonly failed: number;
}

async function run(processes: number): Promise<Run> {
  const server = await startRedisServer();
  const sim = await SmscSimulator.start({ profile: smscSimulatorProfile({ maxPerSecond: 1_000_000 }) });
  const workers: WorkerProcess[] = [];
  try {
    const share = Math.ceil(messages / processes);
    for (let i = 0; i < processes; i++) {
      workers.push(
        spawnWorker({
          redisUrl: server.url,
          namespace: 'bench',
          host: sim.host,
          port: sim.port,
          name: `bench${i + 1}`,
          count: i < processes - 1 ? share : messages - share * (processes - 1),
          ...(rate === undefined ? {} : { rate }),
          receiptTimeoutMs: 60_000,
        }),
      );
    }
    for (const worker of workers) await worker.fact('ready');
    const started = Date.now();
    for (const worker of workers) worker.go();
    const facts = await Promise.all(workers.map((worker) => worker.fact('settled')));
    const seconds = (Date.now() - started) / 1000;
    const delivered = facts.reduce((sum, fact) => sum + Number(fact.delivered), 0);
    await Promise.all(workers.map((worker) => worker.stop()));
    return { perSecond: Math.round(delivered / seconds), seconds, delivered, failed: messages - delivered };
  } finally {
    // Also when a worker failed: none is left running.
    await Promise.all(workers.map((worker) => worker.kill()));
    await sim.stop();
    await server.stop();
  }
}

console.log(
  `Tidings on Redis: ${messages} messages, SMSC simulator, receipts at once${rate ? `, rate ${rate}/s` : ''}`,
);
console.log('processes | seconds | delivered/s | not delivered');
for (const processes of [1, 2, 3]) {
  const { perSecond, seconds, failed } = await run(processes);
  console.log(
    `${String(processes).padStart(9)} | ${seconds.toFixed(2).padStart(7)} | ${String(perSecond).padStart(11)} | ${String(failed).padStart(13)}`,
  );
}
