import {
  createTidings,
  defineChannelPlugin,
  type MessageBase,
  type MessageEvent,
  silentLogger,
  systemClock,
} from '@tidings/core';
import { SmppChannel, type SubmitPlan } from '@tidings/transport-smpp';
import { type SimulatorFaults, type SimulatorProfile, SmscSimulator } from '@tidings/transport-smpp/simulator';

/**
 * The soak: N messages through the full runtime (createTidings → an SMPP channel → the simulator
 * over TCP) while random faults are injected, counting every terminal event per message.
 */
export interface SoakOptions {
  readonly n: number;
  /** Messages between send and their terminal event. Default 500. */
  readonly window?: number;
  /** Seed of the fault schedule and of the per-submit surprises. Default 1. */
  readonly seed?: number;
  /** A fault every this many ms. Default 250. */
  readonly faultEveryMs?: number;
  /** Give up waiting for the last terminal events after this long without progress. Default 60 s. */
  readonly stallMs?: number;
  /** Progress lines. Default: none. */
  readonly log?: (line: string) => void;
}

export interface SoakResult {
  readonly n: number;
  readonly sent: number;
  /** Messages with exactly one terminal event. */
  readonly settled: number;
  /** Terminal events by type, `failed` by error code. */
  readonly byOutcome: Readonly<Record<string, number>>;
  /** Messages with more than one terminal event. */
  readonly duplicated: number;
  /** Messages sent and never ended. */
  readonly lost: number;
  /** Events of a message after its terminal one. */
  readonly eventsAfterTerminal: number;
  readonly faults: Readonly<Record<string, number>>;
  /** Receipts sent twice or before the submit response. */
  readonly surprises: Readonly<Record<string, number>>;
  readonly simulator: { readonly connections: number; readonly submits: number; readonly protocolErrors: number };
  readonly retries: number;
  readonly peakRssBytes: number;
  readonly startRssBytes: number;
  readonly endRssBytes: number;
  /** RSS at each tenth of the run: flat when memory is bounded. */
  readonly rssByTenth: readonly number[];
  readonly durationMs: number;
}

/** A small seeded PRNG (mulberry32): the same seed, the same faults. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface FaultPlan {
  readonly name: string;
  readonly faults: SimulatorFaults;
  /** Cleared again after this long (faults that do not end by themselves). */
  readonly clearAfterMs?: number;
}

function pickFault(next: () => number): FaultPlan {
  const roll = next();
  const submits = 20 + Math.floor(next() * 400);
  if (roll < 0.2) return { name: 'drop (FIN)', faults: { dropAfter: { submits, mode: 'close', times: 1 } } };
  if (roll < 0.35) return { name: 'drop (RST)', faults: { dropAfter: { submits, mode: 'reset', times: 1 } } };
  if (roll < 0.5) return { name: 'throttle', faults: { throttle: { durationMs: 20 + Math.floor(next() * 50) } } };
  if (roll < 0.6) return { name: 'queue full', faults: { queueFull: { submits: 10 + Math.floor(next() * 50) } } };
  if (roll < 0.75) return { name: 'delay', faults: { responseDelayMs: 5 + Math.floor(next() * 30) }, clearAfterMs: 50 };
  if (roll < 0.85) return { name: 'no response', faults: { noResponse: { everyNth: 50 } }, clearAfterMs: 30 };
  if (roll < 0.95) return { name: 'garbage', faults: { garbage: { afterSubmits: submits } } };
  return { name: 'server unbind', faults: { serverUnbind: true } };
}

/** ESME_RINVDSTADR: a permanent refusal, so some messages end `rejected`. */
const PERMANENT = 0x0b;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { n, window = 500, seed = 1, faultEveryMs = 250, stallMs = 60_000, log = () => {} } = options;
  const next = random(seed);
  const surprises = { 'duplicate receipt': 0, 'receipt before response': 0, 'permanent refusal': 0 };
  // Per-submit surprises decided by the profile: duplicate and early receipts, a few refusals.
  const profile: SimulatorProfile = {
    name: 'soak',
    onSubmit: () => {
      const roll = next();
      if (roll < 0.01) {
        surprises['duplicate receipt']++;
        return { receipt: { duplicate: true } };
      }
      if (roll < 0.02) {
        surprises['receipt before response']++;
        return { receipt: { early: true } };
      }
      if (roll < 0.021) {
        surprises['permanent refusal']++;
        return { status: PERMANENT };
      }
      return undefined;
    },
  };
  const sim = await SmscSimulator.start({
    profile,
    receipts: { delayMs: 0 },
    window: 5_000,
    // A million messages: neither the PDU log nor query_sm is needed.
    maxRecordedPdus: 1,
    maxStoredMessages: 10_000,
  });

  let nextId = 0;
  const tidings = await createTidings({
    plugins: [soakChannel(sim.host, sim.port)],
    logger: silentLogger,
    // Ids are indexes, so one byte per message counts its terminal events.
    generateId: () => String(nextId++),
    channelSettings: {
      sms: {
        maxInFlight: window,
        maxQueued: n + 1,
        retry: { initialDelayMs: 5, maxDelayMs: 200, maxAttempts: 20 },
        receiptTimeoutMs: 60_000,
      },
    },
  });

  const terminals = new Uint8Array(n);
  const byOutcome: Record<string, number> = {};
  let settled = 0;
  let eventsAfterTerminal = 0;
  let retries = 0;
  let sent = 0;
  let lastProgress = Date.now();
  let pump: () => void = () => {};
  const subscription = tidings.events$.subscribe((event: MessageEvent) => {
    const index = Number(event.messageId);
    if ((terminals[index] ?? 0) > 0) eventsAfterTerminal++;
    if (event.type === 'retrying') retries++;
    if (!event.terminal) return;
    const count = (terminals[index] = (terminals[index] ?? 0) + 1);
    if (count > 1) return;
    settled++;
    const key = event.type === 'failed' ? `failed ${event.error.code}` : event.type;
    byOutcome[key] = (byOutcome[key] ?? 0) + 1;
    lastProgress = Date.now();
    pump();
  });

  const startRssBytes = process.memoryUsage.rss();
  let peakRssBytes = startRssBytes;
  const rssByTenth: number[] = [];
  const rssTimer = setInterval(() => {
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  }, 100);

  const faults: Record<string, number> = {};
  const faultTimer = setInterval(() => {
    const plan = pickFault(next);
    faults[plan.name] = (faults[plan.name] ?? 0) + 1;
    sim.faults.set(plan.faults);
    if (plan.clearAfterMs !== undefined) {
      const names = Object.keys(plan.faults) as Array<keyof SimulatorFaults>;
      setTimeout(() => sim.faults.clear(...names), plan.clearAfterMs).unref();
    }
  }, faultEveryMs);

  const started = Date.now();
  const message: MessageBase = { to: '+15550000001', text: 'Your code is 123456' };
  await new Promise<void>((resolve) => {
    let sending = false;
    pump = () => {
      if (sending) return;
      sending = true;
      // Keep `window` messages between send and their end.
      while (sent < n && sent - settled < window) {
        sent++;
        if (sent % Math.max(1, Math.floor(n / 10)) === 0) {
          rssByTenth.push(process.memoryUsage.rss());
          log(
            `  ${sent.toLocaleString('en')} sent, ${settled.toLocaleString('en')} ended, RSS ${mb(process.memoryUsage.rss())}`,
          );
        }
        tidings.send('sms', message).catch((error: unknown) => {
          log(`send refused: ${String(error)}`);
        });
      }
      sending = false;
      if (settled >= n) resolve();
    };
    const watchdog = setInterval(() => {
      if (settled >= n || Date.now() - lastProgress > stallMs) {
        clearInterval(watchdog);
        resolve();
      }
    }, 200);
    pump();
  });
  const durationMs = Date.now() - started;
  clearInterval(faultTimer);
  clearInterval(rssTimer);
  peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  const endRssBytes = process.memoryUsage.rss();
  const stats = sim.stats;
  await tidings.stop({ timeoutMs: 5_000 });
  subscription.unsubscribe();
  await sim.stop();

  let duplicated = 0;
  let lost = 0;
  for (let index = 0; index < n; index++) {
    const count = terminals[index] ?? 0;
    if (count === 0) lost++;
    else if (count > 1) duplicated++;
  }
  return {
    n,
    sent,
    settled,
    byOutcome,
    duplicated,
    lost,
    eventsAfterTerminal,
    faults,
    surprises,
    simulator: { connections: stats.connections, submits: stats.submits, protocolErrors: stats.protocolErrors },
    retries,
    peakRssBytes,
    startRssBytes,
    endRssBytes,
    rssByTenth,
    durationMs,
  };
}

export function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** The figures, as the soak script prints them (and the transport README quotes them). */
export function formatSoak(result: SoakResult): string {
  const fmt = (value: number): string => value.toLocaleString('en');
  const list = (record: Readonly<Record<string, number>>): string =>
    Object.entries(record)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, count]) => `${name} ${fmt(count)}`)
      .join(' · ');
  return [
    `messages      ${fmt(result.n)} sent ${fmt(result.sent)} · ended once ${fmt(result.settled)}`,
    `outcomes      ${list(result.byOutcome)}`,
    `lost          ${fmt(result.lost)}`,
    `duplicated    ${fmt(result.duplicated)} (events after a terminal one: ${fmt(result.eventsAfterTerminal)})`,
    `retries       ${fmt(result.retries)} retrying events`,
    `faults        ${list(result.faults)}`,
    `surprises     ${list(result.surprises)}`,
    `simulator     connections ${fmt(result.simulator.connections)} · submits ${fmt(result.simulator.submits)} · protocol errors seen ${fmt(result.simulator.protocolErrors)}`,
    `memory        RSS start ${mb(result.startRssBytes)} · peak ${mb(result.peakRssBytes)} · end ${mb(result.endRssBytes)} · by tenth ${result.rssByTenth.map(mb).join(', ')}`,
    `duration      ${(result.durationMs / 1000).toFixed(1)} s (${fmt(Math.round(result.n / (result.durationMs / 1000)))} messages/s)`,
  ].join('\n');
}

/** A minimal SMPP channel, options closed over (as the bench's runtime target does). */
function soakChannel(host: string, port: number) {
  class SoakChannel extends SmppChannel<MessageBase> {
    constructor() {
      super({
        name: 'sms',
        kind: 'soak-sms',
        capabilities: { kinds: ['sms'], receipts: true, inbound: false },
        connection: {
          host,
          port,
          systemId: 'test',
          password: 'secret',
          binds: 2,
          window: 100,
          responseTimeoutMs: 500,
          enquireLinkIntervalMs: 1_000,
          enquireLinkTimeoutMs: 500,
          unbindTimeoutMs: 200,
          reconnect: { initialDelayMs: 10, maxDelayMs: 200, jitter: 0.5 },
        },
        clock: systemClock,
        logger: silentLogger,
      });
    }

    protected toSubmit(message: MessageBase): SubmitPlan {
      return {
        text: message.text ?? '',
        source: { addr: 'Tidings', ton: 5, npi: 0 },
        destination: { addr: message.to.replace(/^\+/, ''), ton: 1, npi: 1 },
      };
    }
  }
  return defineChannelPlugin({ name: 'sms', kind: 'soak-sms', options: {}, channel: SoakChannel });
}
