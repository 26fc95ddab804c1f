import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';

describe('ManualClock', () => {
  it('starts at the given time and only moves when advanced', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250);
    expect(clock.now()).toBe(1_250);
    clock.advanceTo(2_000);
    expect(clock.now()).toBe(2_000);
    expect(new ManualClock().now()).toBe(0);
  });

  it('fires a timer when its due time is reached, not before, and only once', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 100);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([100]);
    clock.advance(1_000);
    expect(fired).toEqual([100]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires timers in due order whatever the scheduling order, with now() at each due time', () => {
    const clock = new ManualClock(10);
    const fired: string[] = [];
    const at = (label: string) => () => fired.push(`${label}@${clock.now()}`);
    clock.setTimeout(at('c'), 30);
    clock.setTimeout(at('a'), 10);
    clock.setTimeout(at('b'), 20);
    clock.setTimeout(at('late'), 500);
    clock.advance(100);
    expect(fired).toEqual(['a@20', 'b@30', 'c@40']);
    expect(clock.now()).toBe(110);
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires timers due at the same instant in scheduling order', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    for (let i = 0; i < 50; i++) clock.setTimeout(() => fired.push(i), 5);
    clock.advance(5);
    expect(fired).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('fires timers scheduled during an advance when they fall inside the window', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => {
      fired.push(`outer@${clock.now()}`);
      clock.setTimeout(() => {
        fired.push(`inner@${clock.now()}`);
        clock.setTimeout(() => fired.push(`innermost@${clock.now()}`), 0);
      }, 30);
      clock.setTimeout(() => fired.push(`beyond@${clock.now()}`), 100);
    }, 50);
    clock.setTimeout(() => fired.push(`other@${clock.now()}`), 70);
    clock.advance(100);
    expect(fired).toEqual(['outer@50', 'other@70', 'inner@80', 'innermost@80']);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(50);
    expect(fired.at(-1)).toBe('beyond@150');
  });

  it('a timer scheduled during an advance fires after earlier-due ones even if scheduled later', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => clock.setTimeout(() => fired.push('scheduled-at-10-for-15'), 5), 10);
    clock.setTimeout(() => fired.push('due-20'), 20);
    clock.setTimeout(() => fired.push('due-12'), 12);
    clock.advance(20);
    expect(fired).toEqual(['due-12', 'scheduled-at-10-for-15', 'due-20']);
  });

  it('cancel prevents the callback, is idempotent and harmless after firing', () => {
    const clock = new ManualClock();
    let calls = 0;
    const a = clock.setTimeout(() => calls++, 10);
    const b = clock.setTimeout(() => calls++, 10);
    a.cancel();
    a.cancel();
    expect(clock.pendingTimers).toBe(1);
    clock.advance(10);
    expect(calls).toBe(1);
    b.cancel();
    expect(clock.pendingTimers).toBe(0);
    expect(calls).toBe(1);
  });

  it('a callback can cancel a later timer of the same window', () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const second = clock.setTimeout(() => fired.push('second'), 20);
    clock.setTimeout(() => {
      fired.push('first');
      second.cancel();
    }, 10);
    clock.advance(30);
    expect(fired).toEqual(['first']);
  });

  it('treats negative and NaN delays as zero', () => {
    const clock = new ManualClock(100);
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), -50);
    clock.setTimeout(() => fired.push(clock.now()), Number.NaN);
    expect(fired).toEqual([]);
    clock.advance(0);
    expect(fired).toEqual([100, 100]);
  });

  it('refuses to move backwards or by a non-finite amount', () => {
    const clock = new ManualClock(100);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => clock.advanceTo(99)).toThrow(RangeError);
    expect(clock.now()).toBe(100);
  });

  it('refuses a nested advance from inside a callback', () => {
    const clock = new ManualClock();
    clock.setTimeout(() => clock.advance(5), 1);
    expect(() => clock.advance(10)).toThrow(/already advancing/);
  });

  it('a throwing callback stops the advance at its due time and leaves later timers scheduled', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimeout(() => {
      throw new Error('boom');
    }, 10);
    clock.setTimeout(() => fired.push(clock.now()), 20);
    expect(() => clock.advance(50)).toThrow('boom');
    expect(clock.now()).toBe(10);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(40);
    expect(fired).toEqual([20]);
    expect(clock.now()).toBe(50);
  });

  it('reports the next due time and counts weak timers apart', () => {
    const clock = new ManualClock();
    expect(clock.nextDue()).toBeUndefined();
    const strong = clock.setTimeout(() => {}, 40);
    clock.setTimeout(() => {}, 30, { weak: true });
    expect(clock.nextDue()).toBe(30);
    expect(clock.pendingTimers).toBe(2);
    expect(clock.pendingStrongTimers).toBe(1);
    strong.cancel();
    expect(clock.pendingStrongTimers).toBe(0);
  });

  it('runAll fires everything in order and stops a timer that reschedules itself forever', () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 1_000);
    clock.setTimeout(() => fired.push(clock.now()), 10);
    clock.runAll();
    expect(fired).toEqual([10, 1_000]);
    expect(clock.now()).toBe(1_000);

    const loop = (): void => void clock.setTimeout(loop, 1);
    loop();
    expect(() => clock.runAll(100)).toThrow(/more than 100 timers/);
    expect(clock.pendingTimers).toBe(1);
  });

  it('keeps the right order across many random timers and cancellations', () => {
    const clock = new ManualClock();
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const expected: { due: number; id: number }[] = [];
    const fired: { due: number; id: number }[] = [];
    for (let id = 0; id < 5_000; id++) {
      const delay = Math.floor(random() * 1_000);
      const timer = clock.setTimeout(() => fired.push({ due: clock.now(), id }), delay);
      if (random() < 0.3) timer.cancel();
      else expected.push({ due: delay, id });
    }
    expected.sort((a, b) => a.due - b.due || a.id - b.id);
    clock.advance(1_000);
    expect(fired).toEqual(expected);
    expect(clock.pendingTimers).toBe(0);
  });

  it('advanceAsync lets promise chains schedule timers that still fire within the window', async () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    const sleep = (ms: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, ms));
    const run = (async () => {
      await sleep(10);
      fired.push(`a@${clock.now()}`);
      await sleep(10);
      fired.push(`b@${clock.now()}`);
      await Promise.resolve();
      await sleep(10);
      fired.push(`c@${clock.now()}`);
    })();
    await clock.advanceAsync(25);
    expect(fired).toEqual(['a@10', 'b@20']);
    expect(clock.now()).toBe(25);
    await clock.advanceAsync(5);
    await run;
    expect(fired).toEqual(['a@10', 'b@20', 'c@30']);
  });
});
