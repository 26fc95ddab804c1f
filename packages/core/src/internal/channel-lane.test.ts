import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { ChannelLane, type LaneJob } from './channel-lane.js';

/** A job that records when it starts and lets the test finish it later. */
class TestJob implements LaneJob {
  done: (() => void) | undefined;
  runs = 0;
  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {}
  run(done: () => void): void {
    this.runs++;
    this.done = done;
    this.log.push(this.name);
  }
  finish(): void {
    if (!this.done) throw new Error(`job ${this.name} has not started`);
    this.done();
  }
}

function setup(options: { maxInFlight?: number; maxQueued?: number } = {}) {
  const clock = new ManualClock(1_000);
  const started: string[] = [];
  const pauseChanges: boolean[] = [];
  const lane = new ChannelLane(clock, options.maxInFlight ?? 2, options.maxQueued ?? 100, (paused) =>
    pauseChanges.push(paused),
  );
  const job = (name: string) => new TestJob(name, started);
  return { clock, lane, started, pauseChanges, job };
}

describe('ChannelLane', () => {
  it('starts jobs at once while slots are free and never more than maxInFlight', () => {
    const { lane, started, job } = setup({ maxInFlight: 2 });
    const jobs = ['a', 'b', 'c', 'd'].map(job);
    for (const j of jobs) lane.enqueue(j);
    expect(started).toEqual(['a', 'b']);
    expect(lane.inFlight).toBe(2);
    expect(lane.queued).toBe(2);
  });

  it('starts the next queued job, in FIFO order, each time one finishes', () => {
    const { lane, started, job } = setup({ maxInFlight: 2 });
    const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map(job) as [TestJob, TestJob, TestJob, TestJob, TestJob];
    for (const j of [a, b, c, d, e]) lane.enqueue(j);
    b.finish();
    expect(started).toEqual(['a', 'b', 'c']);
    a.finish();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    c.finish();
    d.finish();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e']);
    e.finish();
    expect(lane.inFlight).toBe(0);
    expect(lane.queued).toBe(0);
  });

  it('keeps at most maxInFlight running through a long random run', () => {
    const { lane, started, job } = setup({ maxInFlight: 3 });
    const running = new Set<TestJob>();
    let peak = 0;
    let seed = 7;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const all: TestJob[] = [];
    for (let i = 0; i < 2_000; i++) {
      if (random() < 0.55) {
        const j = job(String(i));
        j.run = ((original) =>
          function (this: TestJob, done: () => void) {
            running.add(this);
            peak = Math.max(peak, running.size);
            original.call(this, () => {
              running.delete(this);
              done();
            });
          })(j.run);
        all.push(j);
        lane.enqueue(j);
      } else {
        const first = running.values().next().value;
        first?.finish();
      }
      expect(lane.inFlight).toBe(running.size);
      expect(lane.inFlight).toBeLessThanOrEqual(3);
    }
    expect(peak).toBe(3);
    // FIFO: jobs started in the order they were enqueued.
    expect(started).toEqual(all.slice(0, started.length).map((j) => j.name));
  });

  it('puts a job enqueued with front: true ahead of the queue', () => {
    const { lane, started, job } = setup({ maxInFlight: 1 });
    const a = job('a');
    lane.enqueue(a);
    lane.enqueue(job('b'));
    lane.enqueue(job('c'));
    lane.enqueue(job('retry'), { front: true });
    a.finish();
    expect(started).toEqual(['a', 'retry']);
  });

  it('done() is idempotent: a second call frees no extra slot', () => {
    const { lane, started, job } = setup({ maxInFlight: 1 });
    const a = job('a');
    lane.enqueue(a);
    lane.enqueue(job('b'));
    lane.enqueue(job('c'));
    a.finish();
    a.finish();
    a.finish();
    expect(started).toEqual(['a', 'b']);
    expect(lane.inFlight).toBe(1);
    expect(lane.queued).toBe(1);
  });

  it('runs jobs that finish synchronously, one after another, in order', () => {
    const { lane } = setup({ maxInFlight: 1 });
    const order: number[] = [];
    for (let i = 0; i < 10; i++)
      lane.enqueue({
        run: (done) => {
          order.push(i);
          done();
        },
      });
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(lane.inFlight).toBe(0);
    expect(lane.queued).toBe(0);
  });

  it('survives a long queue of jobs that finish synchronously (no deep recursion)', () => {
    const { lane, clock } = setup({ maxInFlight: 1 });
    let ran = 0;
    lane.pause(10);
    for (let i = 0; i < 100_000; i++)
      lane.enqueue({
        run: (done) => {
          ran++;
          done();
        },
      });
    expect(() => clock.advance(10)).not.toThrow();
    expect(ran).toBe(100_000);
    expect(lane.queued).toBe(0);
    expect(lane.inFlight).toBe(0);
  });

  it('a job that pauses the lane from run() stops further dispatch at once', () => {
    const { lane, started, job } = setup({ maxInFlight: 5 });
    lane.enqueue({ run: () => lane.pause(100) });
    lane.enqueue(job('held'));
    expect(started).toEqual([]);
    expect(lane.queued).toBe(1);
  });

  it('a job that throws from run() gives its slot back and the error is reported', () => {
    const clock = new ManualClock(0);
    const errors: unknown[] = [];
    const started: string[] = [];
    const lane = new ChannelLane(
      clock,
      1,
      10,
      () => {},
      (error) => errors.push(error),
    );
    lane.enqueue({
      run: () => {
        throw new Error('bug in a job');
      },
    });
    lane.enqueue(new TestJob('next', started));
    expect(started).toEqual(['next']);
    expect(lane.inFlight).toBe(1);
    expect(errors.map((e) => (e as Error).message)).toEqual(['bug in a job']);
  });

  it('full is true once maxQueued messages wait', () => {
    const { lane, job } = setup({ maxInFlight: 1, maxQueued: 2 });
    lane.enqueue(job('running'));
    expect(lane.full).toBe(false);
    lane.enqueue(job('q1'));
    expect(lane.full).toBe(false);
    lane.enqueue(job('q2'));
    expect(lane.full).toBe(true);
    // Retries are always let back in: enqueue itself never refuses.
    lane.enqueue(job('retry'), { front: true });
    expect(lane.queued).toBe(3);
  });

  describe('pause', () => {
    it('holds queued jobs until the pause ends, then resumes them through the clock', () => {
      const { lane, clock, started, pauseChanges, job } = setup({ maxInFlight: 2 });
      lane.pause(500);
      expect(lane.paused).toBe(true);
      expect(pauseChanges).toEqual([true]);
      lane.enqueue(job('a'));
      lane.enqueue(job('b'));
      lane.enqueue(job('c'));
      expect(started).toEqual([]);
      clock.advance(499);
      expect(started).toEqual([]);
      expect(lane.paused).toBe(true);
      clock.advance(1);
      expect(lane.paused).toBe(false);
      expect(pauseChanges).toEqual([true, false]);
      expect(started).toEqual(['a', 'b']);
      expect(lane.queued).toBe(1);
    });

    it('does not interrupt jobs already in flight; their slots are reused only after the pause', () => {
      const { lane, clock, started, job } = setup({ maxInFlight: 1 });
      const a = job('a');
      lane.enqueue(a);
      lane.enqueue(job('b'));
      lane.pause(100);
      a.finish();
      expect(started).toEqual(['a']);
      expect(lane.inFlight).toBe(0);
      clock.advance(100);
      expect(started).toEqual(['a', 'b']);
    });

    it('an extension moves the end later', () => {
      const { lane, clock, started, pauseChanges, job } = setup();
      lane.pause(100);
      lane.enqueue(job('a'));
      clock.advance(50);
      lane.pause(200); // now ends at +250 instead of +100
      clock.advance(150); // +200
      expect(started).toEqual([]);
      expect(lane.paused).toBe(true);
      clock.advance(50); // +250
      expect(started).toEqual(['a']);
      expect(pauseChanges).toEqual([true, false]);
    });

    it('a shorter pause while paused never shortens the running one', () => {
      const { lane, clock, started, pauseChanges, job } = setup();
      lane.pause(300);
      lane.enqueue(job('a'));
      clock.advance(100);
      lane.pause(50); // would end at +150: ignored
      clock.advance(100); // +200
      expect(started).toEqual([]);
      expect(lane.paused).toBe(true);
      clock.advance(100); // +300
      expect(started).toEqual(['a']);
      expect(pauseChanges).toEqual([true, false]);
    });

    it('a pause ending exactly when the running one ends changes nothing', () => {
      const { lane, clock, started, job } = setup();
      lane.pause(300);
      lane.enqueue(job('a'));
      clock.advance(100);
      lane.pause(200);
      clock.advance(200);
      expect(started).toEqual(['a']);
    });

    it('calls onPauseChange once per transition, also across several pauses', () => {
      const { lane, clock, pauseChanges } = setup();
      lane.pause(100);
      lane.pause(150);
      lane.pause(120);
      clock.advance(150);
      expect(pauseChanges).toEqual([true, false]);
      clock.advance(1_000);
      expect(pauseChanges).toEqual([true, false]);
      lane.pause(10);
      clock.advance(10);
      expect(pauseChanges).toEqual([true, false, true, false]);
    });

    it('a new pause after the previous one ended starts a fresh window', () => {
      const { lane, clock, started, job } = setup({ maxInFlight: 1 });
      lane.pause(100);
      clock.advance(100);
      lane.pause(40);
      lane.enqueue(job('a'));
      clock.advance(39);
      expect(started).toEqual([]);
      clock.advance(1);
      expect(started).toEqual(['a']);
    });

    it('dispose cancels the resume: nothing starts afterwards', () => {
      const { lane, clock, started, job } = setup();
      lane.pause(100);
      lane.enqueue(job('a'));
      lane.dispose();
      expect(clock.pendingTimers).toBe(0);
      clock.advance(1_000);
      expect(started).toEqual([]);
    });
  });

  it('takeQueued removes every waiting job, in order, without running it', () => {
    const { lane, started, job } = setup({ maxInFlight: 1 });
    const a = job('a');
    const waiting = ['b', 'c', 'd'].map(job);
    lane.enqueue(a);
    for (const j of waiting) lane.enqueue(j);
    expect(lane.takeQueued()).toEqual(waiting);
    expect(lane.queued).toBe(0);
    a.finish();
    expect(started).toEqual(['a']);
    expect(waiting.every((j) => j.runs === 0)).toBe(true);
    expect(lane.inFlight).toBe(0);
  });
});
