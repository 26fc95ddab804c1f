import { ErrorCode } from '@tidings/core';
import { ManualClock } from '@tidings/core/testing';
import { describe, expect, it } from 'vitest';
import { FlowController } from './flow-controller.js';

/** Records when each acquire settles, in order. */
function track(promise: Promise<void>, label: string, log: string[]): void {
  promise.then(
    () => log.push(label),
    (error: unknown) => log.push(`${label}:${error instanceof Error ? error.message : String(error)}`),
  );
}

describe('FlowController', () => {
  it('lets everything through without a cap, with no timers', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock });
    for (let i = 0; i < 1000; i++) await flow.acquire(3);
    expect(clock.pendingTimers).toBe(0);
    expect(flow.currentRate).toBeUndefined();
  });

  it('tryAcquire takes a token at once when one is there, and leaves the waiting to acquire', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock, maxPerSecond: 2 });
    expect(flow.tryAcquire(1)).toBe(true);
    expect(flow.tryAcquire(1)).toBe(false); // the bucket is empty: the caller must wait
    const log: string[] = [];
    track(flow.acquire(1), 'waiter', log);
    clock.advance(1_000);
    await Promise.resolve();
    expect(log).toEqual(['waiter']);
    flow.pause(100);
    expect(flow.tryAcquire(0)).toBe(false); // paused
    clock.advance(100);
    expect(flow.tryAcquire(0)).toBe(true);
  });

  it('returns a settled promise when tokens are there', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock, maxPerSecond: 10 });
    const log: string[] = [];
    track(flow.acquire(1), 'a', log);
    await Promise.resolve();
    expect(log).toEqual(['a']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('spaces sends at the cap', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock, maxPerSecond: 10 });
    const log: string[] = [];
    for (const label of ['a', 'b', 'c']) track(flow.acquire(1), label, log);
    await clock.advanceAsync(0);
    expect(log).toEqual(['a']);
    await clock.advanceAsync(99);
    expect(log).toEqual(['a']);
    await clock.advanceAsync(1);
    expect(log).toEqual(['a', 'b']);
    await clock.advanceAsync(100);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('serves waiters first come, first served: a small request does not overtake a large one', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock, maxPerSecond: 100 }); // burst 10
    await flow.acquire(10);
    const log: string[] = [];
    track(flow.acquire(5), 'big', log);
    track(flow.acquire(1), 'small', log);
    await clock.advanceAsync(10); // 1 token: enough for small, not for big
    track(flow.acquire(1), 'late', log); // a token is there, but others wait first
    await clock.advanceAsync(0);
    expect(log).toEqual([]);
    await clock.advanceAsync(40);
    expect(log).toEqual(['big']);
    await clock.advanceAsync(10);
    expect(log).toEqual(['big', 'small']);
    await clock.advanceAsync(10);
    expect(log).toEqual(['big', 'small', 'late']);
  });

  it('holds everyone during a pause; a longer pause extends it, a shorter one does not shorten it', async () => {
    const clock = new ManualClock(1_000);
    const flow = new FlowController({ clock });
    flow.pause(500);
    flow.pause(100);
    expect(flow.pausedUntil).toBe(1_500);
    expect(clock.pendingTimers).toBe(0); // nobody waits yet
    const log: string[] = [];
    track(flow.acquire(1), 'a', log);
    await clock.advanceAsync(300);
    flow.pause(400); // until 1_700
    await clock.advanceAsync(250);
    expect(log).toEqual([]);
    await clock.advanceAsync(149);
    expect(log).toEqual([]);
    await clock.advanceAsync(1);
    expect(log).toEqual(['a']);
    expect(flow.pausedUntil).toBeUndefined();
  });

  it('only pauses on throttling when no cap is set', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock });
    flow.throttled(2_000);
    expect(flow.pausedUntil).toBe(2_000);
    expect(flow.currentRate).toBeUndefined();
    const log: string[] = [];
    track(flow.acquire(1), 'a', log);
    await clock.advanceAsync(1_999);
    expect(log).toEqual([]);
    await clock.advanceAsync(1);
    expect(log).toEqual(['a']);
  });

  it('lowers the rate on throttling and climbs back as sends succeed', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock, maxPerSecond: 100 });
    flow.throttled(1_000);
    flow.throttled(1_000); // same window: counted once
    expect(flow.currentRate).toBe(50);
    await clock.advanceAsync(15_000);
    flow.succeeded();
    expect(flow.currentRate).toBeGreaterThan(50);
    expect(flow.currentRate).toBeLessThan(100);
    await clock.advanceAsync(30_000);
    flow.succeeded();
    expect(flow.currentRate).toBe(100);
  });

  it('rejects an aborted waiter with the reason and lets the next one move up', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock, maxPerSecond: 100 });
    await flow.acquire(10);
    const controller = new AbortController();
    const log: string[] = [];
    track(flow.acquire(10, controller.signal), 'big', log);
    track(flow.acquire(1), 'small', log);
    await clock.advanceAsync(10);
    controller.abort(new Error('caller gave up'));
    await clock.advanceAsync(0);
    expect(log).toEqual(['big:caller gave up', 'small']);
    expect(flow.waiting).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('cancels its timer when the last waiter aborts', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock });
    flow.pause(10_000);
    const controller = new AbortController();
    const pending = flow.acquire(1, controller.signal);
    expect(clock.pendingTimers).toBe(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects at once with an already aborted signal', async () => {
    const flow = new FlowController({ clock: new ManualClock() });
    const reason = new Error('already');
    await expect(flow.acquire(1, AbortSignal.abort(reason))).rejects.toBe(reason);
  });

  it('rejects every waiter and later acquire on close', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock, maxPerSecond: 1 });
    await flow.acquire(1);
    const reason = new Error('channel stopped');
    const first = flow.acquire(1);
    const second = flow.acquire(1);
    flow.close(reason);
    await expect(first).rejects.toBe(reason);
    await expect(second).rejects.toBe(reason);
    await expect(flow.acquire(1)).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
  });

  it('refuses a bad segment count and a bad cap', async () => {
    const flow = new FlowController({ clock: new ManualClock() });
    await expect(flow.acquire(-1)).rejects.toMatchObject({ code: ErrorCode.Internal });
    await expect(flow.acquire(Number.NaN)).rejects.toMatchObject({ code: ErrorCode.Internal });
    expect(() => new FlowController({ clock: new ManualClock(), maxPerSecond: 0 })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidOptions }),
    );
  });

  it('keeps the long-run rate over many waiters', async () => {
    const clock = new ManualClock();
    const flow = new FlowController({ clock, maxPerSecond: 1_000 }); // burst 100
    let done = 0;
    for (let i = 0; i < 3_000; i++) void flow.acquire(1).then(() => done++);
    await clock.advanceAsync(0);
    expect(done).toBe(100);
    await clock.advanceAsync(1_000);
    // Not 100 + 1000: never more than maxPerSecond within a second (plus a margin).
    expect(done).toBe(1_000);
    await clock.advanceAsync(2_500);
    expect(done).toBe(3_000);
    expect(clock.pendingTimers).toBe(0);
  });
});
