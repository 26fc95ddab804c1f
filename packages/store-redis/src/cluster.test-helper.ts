import { smscChannel } from '@tidings/channel-smsc';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { createTidings, type Logger, type MessageEvent, type Tidings } from '@tidings/core';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { type RedisScaleOut, type RedisScaleOutOptions, redisScaleOut } from './index.js';

const cleanups: Array<() => Promise<void>> = [];

/** Runs (newest first) what the tests started; call from `afterEach`. */
export async function runCleanups(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

let namespaces = 0;
/** A namespace of its own for one test, so tests sharing a redis-server never meet. */
export function freshNamespace(): string {
  return `it${process.pid}x${++namespaces}`;
}

/** The SMSC simulator; its receipts are held back (sent by hand) unless `receiptDelayMs` is given. */
export async function startSmsc(
  options: { receiptDelayMs?: number; maxPerSecond?: number } = {},
): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start({
    profile: smscSimulatorProfile({ maxPerSecond: options.maxPerSecond ?? 10_000 }),
    receipts: { delayMs: options.receiptDelayMs ?? 600_000 },
  });
  cleanups.push(() => sim.stop());
  return sim;
}

export interface Node {
  readonly tidings: Tidings;
  readonly redis: RedisScaleOut;
  readonly events: MessageEvent[];
}

/** One "process": a runtime with the SMSC channel `smsc` (one bind of an MCON login) on Redis. */
export async function startNode(
  sim: SmscSimulator,
  redis: Omit<RedisScaleOutOptions, 'url'> & { readonly url: string },
  channel: { readonly maxConnections?: number; readonly receiptTimeoutMs?: number; readonly leases?: number } = {},
  logger?: Logger,
): Promise<Node> {
  const scaleOut = redisScaleOut(redis);
  const plugin = smscChannel({
    host: sim.host,
    port: sim.port,
    systemId: 'test',
    password: 'secret',
    maxConnections: channel.maxConnections ?? 3,
    reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
    settings: {
      retry: { initialDelayMs: 10, maxDelayMs: 100, maxAttempts: 10 },
      ...(channel.receiptTimeoutMs === undefined ? {} : { receiptTimeoutMs: channel.receiptTimeoutMs }),
    },
  });
  const tidings = (await createTidings({
    plugins: [channel.leases === undefined ? plugin : scaleOut.leased(plugin, { leases: channel.leases })],
    modules: [scaleOut.module],
    ...(logger === undefined ? {} : { logger }),
  })) as unknown as Tidings;
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  cleanups.push(async () => {
    await tidings.stop({ timeoutMs: 500 });
    await scaleOut.close();
  });
  return { tidings, redis: scaleOut, events };
}
