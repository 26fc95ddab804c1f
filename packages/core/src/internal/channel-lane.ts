import type { Clock, Timer } from '../clock.js';
import { Deque } from './deque.js';

/** A unit of work the lane starts when a slot is free; it must call `done()` exactly once. */
export interface LaneJob {
  run(done: () => void): void;
}

/**
 * One channel's dispatch queue: at most `maxInFlight` sends at once, FIFO, and a pause that holds
 * every queued message (throttling, queue full) until it ends.
 */
export class ChannelLane {
  readonly #queue = new Deque<LaneJob>();
  #inFlight = 0;
  #pausedUntil = 0;
  #resumeTimer: Timer | undefined;
  #dispatching = false;

  constructor(
    private readonly clock: Clock,
    private readonly maxInFlight: number,
    private readonly maxQueued: number,
    private readonly onPauseChange: (paused: boolean) => void,
    private readonly onJobError: (error: unknown) => void = () => {},
  ) {}

  get queued(): number {
    return this.#queue.size;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get paused(): boolean {
    return this.#resumeTimer !== undefined;
  }

  /** True when a new message would exceed `maxQueued`. Retries are always let back in. */
  get full(): boolean {
    return this.#queue.size >= this.maxQueued;
  }

  enqueue(job: LaneJob, options: { readonly front?: boolean } = {}): void {
    if (options.front) this.#queue.unshift(job);
    else this.#queue.push(job);
    this.#dispatch();
  }

  /** Holds the queue for `pauseMs` (extending a pause already running, never shortening it). */
  pause(pauseMs: number): void {
    const until = this.clock.now() + pauseMs;
    if (until <= this.#pausedUntil && this.paused) return;
    this.#pausedUntil = until;
    this.#resumeTimer?.cancel();
    const wasPaused = this.paused;
    this.#resumeTimer = this.clock.setTimeout(() => this.#resume(), pauseMs);
    if (!wasPaused) this.onPauseChange(true);
  }

  /** Removes every queued job without running it (shutdown). */
  takeQueued(): LaneJob[] {
    return this.#queue.drain();
  }

  dispose(): void {
    this.#resumeTimer?.cancel();
    this.#resumeTimer = undefined;
  }

  #resume(): void {
    this.#resumeTimer = undefined;
    this.onPauseChange(false);
    this.#dispatch();
  }

  #dispatch(): void {
    // A job may call done() (or pause/enqueue) from inside run(): the loop below already running
    // picks the freed slot up, instead of recursing once per job (a long queue of jobs that finish
    // synchronously would otherwise overflow the stack).
    if (this.#dispatching) return;
    this.#dispatching = true;
    try {
      while (!this.paused && this.#inFlight < this.maxInFlight) {
        const job = this.#queue.shift();
        if (!job) return;
        this.#inFlight++;
        let finished = false;
        const done = (): void => {
          if (finished) return;
          finished = true;
          this.#inFlight--;
          this.#dispatch();
        };
        try {
          job.run(done);
        } catch (error) {
          // A job that throws still gives its slot back.
          done();
          this.onJobError(error);
        }
      }
    } finally {
      this.#dispatching = false;
    }
  }
}
