/**
 * Throughput of Tidings on Redis with 1, 2 and 3 processes: each process sends its share of the
 * messages through the SMSC channel to one simulator (receipts at once), every process on one
 * Redis. Reports messages per second from the first submit to the last settled message.
 *
 *   pnpm --filter @tidings/store-redis bench [messages] [rate]
 */
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { startRedisServer } from '../src/redis-server.test-helper.js';
import { spawnWorker } from '../src/worker-process.test-helper.js';

const messages = Number(process.argv[2] ?? 6_000);
const rate = process.argv[3] === undefined ? undefined : Number(process.argv[3]);

async function run(processes: number): Promise<{ perSecond: number; seconds: number }> {
  const server = await startRedisServer();
  const sim = await SmscSimulator.start({ profile: smscSimulatorProfile({ maxPerSecond: 1_000_000 }) });
  try {
    const share = Math.ceil(messages / processes);
    const workers = Array.from({ length: processes }, (_, i) =>
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
    for (const worker of workers) await worker.fact('ready');
    const started = Date.now();
    for (const worker of workers) worker.go();
    await Promise.all(workers.map((worker) => worker.fact('settled')));
    const seconds = (Date.now() - started) / 1000;
    await Promise.all(workers.map((worker) => worker.stop()));
    return { perSecond: Math.round(messages / seconds), seconds };
  } finally {
    await sim.stop();
    await server.stop();
  }
}

console.log(
  `Tidings on Redis: ${messages} messages, SMSC simulator, receipts at once${rate ? `, rate ${rate}/s` : ''}`,
);
console.log('processes | seconds | messages/s');
for (const processes of [1, 2, 3]) {
  const { perSecond, seconds } = await run(processes);
  console.log(
    `${String(processes).padStart(9)} | ${seconds.toFixed(2).padStart(7)} | ${String(perSecond).padStart(10)}`,
  );
}
