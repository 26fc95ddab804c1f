import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { DeadlineQueue } from './deadline-queue.js';

function setup(delayMs = 100, weak = false) {
  const clock = new ManualClock(1_000);
  const expired: { target: string; at: number }[] = [];
  const queue = new DeadlineQueue<string>(clock, delayMs, (target) => expired.push({ target, at: clock.now() }), weak);
  return { clock, queue, expired };
}

describe('DeadlineQueue', () => {
  it('expires each target its delay after it was added, in order, on one clock timer', () => {
    const { clock, queue, expired } = setup();
    queue.add('a');
    clock.advance(10);
    queue.add('b');
    queue.add('c');
    expect(clock.pendingTimers).toBe(1);
    expect(queue.size).toBe(3);
    clock.advance(89);
    expect(expired).toEqual([]);
    clock.advance(1);
    expect(expired).toEqual([{ target: 'a', at: 1_100 }]);
    clock.advance(10);
    expect(expired.slice(1)).toEqual([
      { target: 'b', at: 1_110 },
      { target: 'c', at: 1_110 },
    ]);
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never expires a cancelled deadline, even the one the timer is armed for', () => {
    const { clock, queue, expired } = setup();
    const a = queue.add('a');
    clock.advance(50);
    queue.add('b');
    a.cancel();
    a.cancel(); // twice is harmless
    expect(queue.size).toBe(1);
    clock.advance(60);
    expect(expired).toEqual([]);
    clock.advance(40);
    expect(expired).toEqual([{ target: 'b', at: 1_150 }]);
  });

  it('drops its timer once nothing is left to wait for (a strong timer would hold the process)', () => {
    const { clock, queue } = setup();
    const deadlines = [queue.add('a'), queue.add('b')];
    expect(clock.pendingStrongTimers).toBe(1);
    for (const deadline of deadlines) deadline.cancel();
    expect(clock.pendingTimers).toBe(0);
  });

  it('a weak queue arms weak timers only', () => {
    const { clock, queue, expired } = setup(100, true);
    queue.add('a');
    expect(clock.pendingTimers).toBe(1);
    expect(clock.pendingStrongTimers).toBe(0);
    clock.advance(100);
    expect(expired.map((e) => e.target)).toEqual(['a']);
  });

  it('a deadline added while others expire waits its own full delay', () => {
    const clock = new ManualClock(0);
    const expired: string[] = [];
    const queue: DeadlineQueue<string> = new DeadlineQueue<string>(
      clock,
      100,
      (target) => {
        expired.push(`${target}@${clock.now()}`);
        if (target === 'a') queue.add('again');
      },
      false,
    );
    queue.add('a');
    clock.advance(100);
    expect(expired).toEqual(['a@100']);
    clock.advance(99);
    expect(expired).toEqual(['a@100']);
    clock.advance(1);
    expect(expired).toEqual(['a@100', 'again@200']);
  });

  it('stays correct while many cancelled deadlines are compacted away', () => {
    const { clock, queue, expired } = setup();
    const deadlines = Array.from({ length: 5_000 }, (_, i) => queue.add(`m${i}`));
    for (const [i, deadline] of deadlines.entries()) if (i % 1_000 !== 999) deadline.cancel();
    expect(queue.size).toBe(5);
    clock.advance(100);
    expect(expired.map((e) => e.target)).toEqual(['m999', 'm1999', 'm2999', 'm3999', 'm4999']);
  });

  it('clear cancels every deadline and the timer', () => {
    const { clock, queue, expired } = setup();
    queue.add('a');
    queue.add('b');
    queue.clear();
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1_000);
    expect(expired).toEqual([]);
    queue.add('c');
    clock.advance(100);
    expect(expired.map((e) => e.target)).toEqual(['c']);
  });
});
