import { type DeliveryReport, type DeliveryState, silentLogger, TidingsError } from '@tidings/core';
import { ManualClock } from '@tidings/core/testing';
import type { MessageQueryResult, SmppAddress } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { QueryPoller, type QueryPollerOptions } from './query-poller.js';

const source: SmppAddress = { addr: 'MyShop', ton: 5, npi: 0 };

/** Lets the poller's awaited query answers run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

function poller(
  answers: (id: string, call: number) => DeliveryState | Error,
  overrides: Partial<QueryPollerOptions> = {},
): { clock: ManualClock; poller: QueryPoller; queries: Array<[string, SmppAddress]>; reports: DeliveryReport[] } {
  const clock = new ManualClock(0);
  const queries: Array<[string, SmppAddress]> = [];
  const reports: DeliveryReport[] = [];
  const instance = new QueryPoller({
    intervalMs: 1_000,
    maxAttempts: 5,
    maxDurationMs: 60_000,
    clock,
    logger: silentLogger,
    channel: 'sms',
    query: async (id, from) => {
      queries.push([id, from]);
      const answer = answers(id, queries.filter(([queried]) => queried === id).length);
      if (answer instanceof Error) throw answer;
      const result: MessageQueryResult = {
        providerMessageId: id,
        state: answer,
        messageState: answer === 'delivered' ? 2 : 1,
        errorCode: 0,
        ...(answer === 'delivered' ? { finalDate: '261122120000000+' } : {}),
      };
      return result;
    },
    publish: (report) => reports.push(report),
    ...overrides,
  });
  return { clock, poller: instance, queries, reports };
}

async function tick(clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await flush();
}

describe('QueryPoller (active delivery status)', () => {
  it('asks every interval until a final state, then publishes it once and stops', async () => {
    const { clock, poller: p, queries, reports } = poller((_, call) => (call < 3 ? 'enroute' : 'delivered'));
    p.watch(['100000001'], source);
    await tick(clock, 999);
    expect(queries).toHaveLength(0);
    await tick(clock, 1);
    expect(queries).toEqual([['100000001', source]]);
    await tick(clock, 1_000);
    await tick(clock, 1_000);
    expect(queries).toHaveLength(3);
    expect(reports).toEqual([
      {
        providerMessageId: '100000001',
        state: 'delivered',
        errorCode: 0,
        extras: { source: 'query_sm', messageState: 2, queries: 3, finalDate: '261122120000000+' },
      },
    ]);
    await tick(clock, 10_000);
    expect(queries).toHaveLength(3);
    expect(p.watching).toBe(0);
  });

  it('polls every part of a long message on its own', async () => {
    const { clock, poller: p, reports } = poller((id, call) => (id === 'b' && call < 2 ? 'accepted' : 'delivered'));
    p.watch(['a', 'b'], source);
    await tick(clock, 1_000);
    expect(reports.map((report) => report.providerMessageId)).toEqual(['a']);
    await tick(clock, 1_000);
    expect(reports.map((report) => report.providerMessageId)).toEqual(['a', 'b']);
  });

  it('stops after maxAttempts queries without a final state', async () => {
    const { clock, poller: p, queries, reports } = poller(() => 'enroute', { maxAttempts: 3 });
    p.watch(['a'], source);
    for (let i = 0; i < 10; i++) await tick(clock, 1_000);
    expect(queries).toHaveLength(3);
    expect(reports).toEqual([]);
    expect(p.watching).toBe(0);
  });

  it('sends no query later than maxDurationMs after the submit', async () => {
    const { clock, poller: p, queries } = poller(() => 'enroute', { maxAttempts: 100, maxDurationMs: 3_500 });
    p.watch(['a'], source);
    for (let i = 0; i < 10; i++) await tick(clock, 1_000);
    expect(queries).toHaveLength(3);
  });

  it('keeps polling after a refused or lost query_sm', async () => {
    const {
      clock,
      poller: p,
      queries,
      reports,
    } = poller((_, call) => (call === 1 ? new TidingsError('TIDINGS_CONNECTION_LOST', 'lost') : 'delivered'));
    p.watch(['a'], source);
    await tick(clock, 1_000);
    await tick(clock, 1_000);
    expect(queries).toHaveLength(2);
    expect(reports).toHaveLength(1);
  });

  it('stop() cancels pending polls and drops answers still on the way', async () => {
    let release: (() => void) | undefined;
    const reports: DeliveryReport[] = [];
    const clock = new ManualClock(0);
    const p = new QueryPoller({
      intervalMs: 1_000,
      maxAttempts: 5,
      maxDurationMs: 60_000,
      clock,
      logger: silentLogger,
      channel: 'sms',
      query: (id) =>
        new Promise((resolve) => {
          release = () => resolve({ providerMessageId: id, state: 'delivered', messageState: 2, errorCode: 0 });
        }),
      publish: (report) => reports.push(report),
    });
    p.watch(['a', 'b'], source);
    clock.advance(1_000);
    p.stop();
    release?.();
    await flush();
    expect(reports).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
    p.watch(['c'], source);
    expect(clock.pendingTimers).toBe(0);
  });
});
