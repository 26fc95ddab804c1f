/**
 * One Tidings process for the multi-process tests and the benchmark, run as
 * `node --conditions=@tidings/source --import tsx src/worker.test-helper.ts '<json config>'`.
 * Once a line arrives on stdin, sends `count` messages through the SMSC channel on Redis, says so on stdout (one JSON line per
 * fact), keeps working (taking over dead processes' messages) until SIGTERM, then stops cleanly.
 */
import { smscChannel } from '@tidings/channel-smsc';
import { createTidings, type Tidings } from '@tidings/core';
import { firstValueFrom } from 'rxjs';
import { redisScaleOut } from './redis-scale-out.js';

export interface WorkerConfig {
  readonly redisUrl: string;
  readonly namespace: string;
  readonly host: string;
  readonly port: number;
  /** Messages this process sends. */
  readonly count: number;
  /** Distinguishes this process' messages (and its client refs). */
  readonly name: string;
  /** Submits per second for the channel across every process. */
  readonly rate?: number;
  readonly receiptTimeoutMs?: number;
  /** Binds allowed across every process: the channel is leased (see `redisScaleOut().leased`). */
  readonly leases?: number;
  readonly heartbeatMs?: number;
  readonly deadAfterMs?: number;
}

function say(fact: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(fact)}\n`);
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as WorkerConfig;
  const redis = redisScaleOut({
    url: config.redisUrl,
    namespace: config.namespace,
    instanceId: config.name,
    heartbeatMs: config.heartbeatMs ?? 200,
    deadAfterMs: config.deadAfterMs ?? 1_000,
    ...(config.rate === undefined ? {} : { rates: { smsc: config.rate } }),
  });
  const plugin = smscChannel({
    host: config.host,
    port: config.port,
    systemId: 'test',
    password: 'secret',
    maxConnections: config.leases ?? 3,
    window: 50,
    // The per-process cap; the shared one (`rate`) holds across every process.
    maxPerSecond: 10_000,
    reconnect: { initialDelayMs: 10, maxDelayMs: 200, jitter: 0.2 },
    settings: {
      maxInFlight: 100,
      retry: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 20 },
      receiptTimeoutMs: config.receiptTimeoutMs ?? 5_000,
    },
  });
  const tidings = (await createTidings({
    plugins: [config.leases === undefined ? plugin : redis.leased(plugin, { leases: config.leases })],
    modules: [redis.module],
  })) as unknown as Tidings;
  const state = await firstValueFrom(tidings.state$('smsc'));
  say({ type: 'ready', name: config.name, bound: state.detail === undefined || !state.detail.startsWith('no lease') });
  // Sends once told to on stdin: every process starts together, start-up times aside.
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.pause();

  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) return;
    stopping = true;
    void tidings
      .stop({ timeoutMs: 2_000, waitForReceipts: true })
      .then(() => redis.close())
      .then(() => process.exit(0));
  });

  const started = Date.now();
  const settled: Promise<{ readonly type: string }>[] = [];
  const batch = 500;
  for (let sent = 0; sent < config.count; sent += batch) {
    const size = Math.min(batch, config.count - sent);
    const handles = await Promise.all(
      Array.from({ length: size }, (_, i) =>
        tidings.send('smsc', {
          to: `+7701${String(sent + i).padStart(7, '0')}`,
          text: `${config.name} message ${sent + i}`,
          clientRef: `${config.name}-${sent + i}`,
        }),
      ),
    );
    for (const handle of handles) settled.push(handle.settled);
  }
  say({ type: 'sent', name: config.name, count: config.count });
  const outcomes = await Promise.all(settled);
  const delivered = outcomes.filter((event) => event.type === 'delivered').length;
  say({ type: 'settled', name: config.name, count: config.count, delivered, ms: Date.now() - started });
}

main().catch((error: unknown) => {
  say({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
