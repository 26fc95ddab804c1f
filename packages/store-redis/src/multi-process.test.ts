import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import type { MessageEvent } from '@tidings/core';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEvent } from './event-codec.js';
import { RedisKeys } from './keys.js';
import { type RedisServer, startRedisServer } from './redis-server.test-helper.js';
import { spawnWorker, type WorkerProcess } from './worker-process.test-helper.js';

const total = Number(process.env.TIDINGS_MULTI_PROCESS_MESSAGES ?? 10_000);
const rate = 1_000;
/** SMSC's MCON: binds the login allows; three processes share them as leases. */
const allowedBinds = 2;

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

/** Reads the shared event stream as it grows (from where the last read stopped), by message. */
class EventTally {
  readonly byMessage = new Map<string, MessageEvent[]>();
  settled = 0;
  #from = '-';

  constructor(
    private readonly server: RedisServer,
    private readonly keys: RedisKeys,
  ) {}

  async read(): Promise<void> {
    for (;;) {
      const entries = await this.server.client.xrange(this.keys.events, this.#from, '+', 'COUNT', 2_000);
      for (const [, fields] of entries) {
        const event = decodeEvent(fields[1] as string);
        let list = this.byMessage.get(event.messageId);
        if (list === undefined) this.byMessage.set(event.messageId, (list = []));
        list.push(event);
        if (event.terminal) this.settled++;
      }
      const last = entries.at(-1);
      if (last !== undefined) this.#from = `(${last[0]}`;
      if (entries.length < 2_000) return;
      // Let the simulator (in this process too) answer between two reads.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

describe('three processes sharing two binds, a holder killed mid-run', () => {
  it(`settles all ${total} messages exactly once, within the binds and the rate`, { timeout: 120_000 }, async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.stop());
    const sim = await SmscSimulator.start({ profile: smscSimulatorProfile({ maxPerSecond: 100_000 }) });
    cleanups.push(() => sim.stop());

    // What the simulator sees: bound sessions at every bind, the time of every submit.
    let maxBound = 0;
    sim.on('bind', () => {
      maxBound = Math.max(maxBound, sim.sessions.filter((s) => s.state === 'bound').length);
    });
    const submitsAt: number[] = [];
    // submit_sm PDUs per message text ("w1 message 7", one part each: unique per message).
    const wireSubmits = new Map<string, number>();
    sim.on('submit', (event) => {
      submitsAt.push(Date.now());
      const text = 'short_message' in event.pdu ? Buffer.from(event.pdu.short_message).toString('latin1') : '';
      wireSubmits.set(text, (wireSubmits.get(text) ?? 0) + 1);
    });

    const namespace = 'multi';
    const keys = new RedisKeys(namespace);
    const share = Math.ceil(total / 3);
    const workers: WorkerProcess[] = ['w1', 'w2', 'w3'].map((name, i) =>
      spawnWorker({
        redisUrl: server.url,
        namespace,
        host: sim.host,
        port: sim.port,
        name,
        count: i < 2 ? share : total - 2 * share,
        rate,
        leases: allowedBinds,
        // Generous: on a loaded machine a live process must never look dead (see README).
        heartbeatMs: 250,
        deadAfterMs: 3_000,
      }),
    );
    cleanups.push(() => Promise.all(workers.map((w) => w.kill())).then(() => undefined));
    const bound: boolean[] = [];
    for (const worker of workers) bound.push((await worker.fact('ready')).bound === true);
    expect(bound.filter(Boolean)).toHaveLength(allowedBinds);
    for (const worker of workers) worker.go();
    for (const worker of workers) await worker.fact('sent');

    // Kill a lease holder while its messages, and those handed to it, are still going out.
    const victim = workers[bound.indexOf(true)] as WorkerProcess;
    while (submitsAt.length < total / 3) await new Promise((resolve) => setTimeout(resolve, 20));
    await victim.kill();
    const survivors = workers.filter((w) => w !== victim);

    // Wait until every message has its terminal event in the shared stream.
    const tally = new EventTally(server, keys);
    const deadline = Date.now() + 90_000;
    while (tally.settled < total && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await tally.read();
    }
    // Every handle in the surviving processes settled. The one without a lease at the start had
    // no bind: its messages' receipts came on the other processes' binds.
    const handedOver = workers[bound.indexOf(false)] as WorkerProcess;
    const settledFacts = await Promise.all(survivors.map((w) => w.fact('settled')));
    const handedOverFact = settledFacts[survivors.indexOf(handedOver)];
    expect(handedOverFact).toMatchObject({ count: handedOver === workers[2] ? total - 2 * share : share });
    expect(handedOverFact?.delivered).toBeGreaterThan(0);
    await Promise.all(survivors.map((w) => w.stop()));
    await tally.read(); // anything a survivor published while stopping
    const byMessage = tally.byMessage;

    expect(byMessage.size).toBe(total);
    const terminalCounts = new Map<number, number>();
    const outcomes = new Map<string, number>();
    const wrong: MessageEvent[][] = [];
    for (const events of byMessage.values()) {
      const terminal = events.filter((e) => e.terminal);
      terminalCounts.set(terminal.length, (terminalCounts.get(terminal.length) ?? 0) + 1);
      // One terminal event, and nothing after it.
      if (terminal.length !== 1 || events.at(-1)?.terminal !== true) wrong.push(events);
      const last = terminal[0];
      const outcome = last === undefined ? 'none' : 'error' in last ? `${last.type} ${last.error.code}` : last.type;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    expect(
      wrong.slice(0, 3).map((events) => events.map((e) => `${e.type}${'error' in e ? `(${e.error.code})` : ''}`)),
    ).toEqual([]);
    expect(Object.fromEntries(terminalCounts)).toEqual({ 1: total });
    // Each client ref (one per message sent) is one message.
    const refs = new Set([...byMessage.values()].map((events) => events[0]?.clientRef));
    expect(refs.size).toBe(total);

    // No duplicate submit_sm Tidings did not decide on: a message goes out again only as a new
    // attempt of its shared story (a retry after an ambiguous end, under the channel's `ambiguous`
    // setting, or a takeover), each of which publishes `submitted` first.
    const unexplained: string[] = [];
    let resent = 0;
    for (const events of byMessage.values()) {
      const ref = events[0]?.clientRef ?? '';
      const text = ref.replace(/-(\d+)$/, ' message $1');
      const submits = wireSubmits.get(text) ?? 0;
      if (submits > 1) resent++;
      if (submits > events.filter((e) => e.type === 'submitted').length)
        unexplained.push(`${ref}: ${submits} submit_sm`);
    }
    expect(unexplained.slice(0, 5)).toEqual([]);

    expect(maxBound).toBeLessThanOrEqual(allowedBinds);
    // Per one-second window at the simulator: the global rate, plus a small tolerance for timer
    // and hand-off jitter on a loaded machine (the reservations themselves never exceed it).
    const sorted = [...submitsAt].sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while ((sorted[j] as number) < (sorted[i] as number) - 999) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    expect(busiest).toBeLessThanOrEqual(rate * 1.05);
    console.log('multi-process outcomes', Object.fromEntries(outcomes), {
      busiest,
      maxBound,
      submits: submitsAt.length,
      resent,
    });
  });
});
