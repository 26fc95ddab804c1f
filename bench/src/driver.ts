import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from './histogram.js';
import type { Target, TargetHooks } from './targets/target.js';

export interface DriveOptions {
  /** Messages to send. */
  readonly count: number;
  /** Most messages between send and response. */
  readonly window: number;
  /** Wait for every receipt too. */
  readonly receipts: boolean;
  /** Messages per second; undefined: as fast as the window allows. */
  readonly rate?: number | undefined;
  /** Give up after this long (a stalled system must not hang the bench). */
  readonly timeoutMs: number;
}

export interface DriveResult {
  readonly sent: number;
  readonly failed: number;
  readonly elapsedMs: number;
  readonly submitToResp: LatencyHistogram;
  readonly submitToReceipt: LatencyHistogram;
}

/** Send times by message index, in a ring: the memory does not grow with the count. */
const ringSize = 1 << 17;
const ringMask = ringSize - 1;
const respDone = 1;
const receiptDone = 2;

/**
 * Feeds a target the same way whatever it is: at most `window` messages awaiting their response,
 * optionally paced, and measures submit→response and submit→receipt per message.
 */
export class Driver implements TargetHooks {
  #target: Target | undefined;
  #options: DriveOptions | undefined;
  readonly #sentAt = new Float64Array(ringSize).fill(Number.NaN);
  readonly #flags = new Uint8Array(ringSize);
  #sent = 0;
  #inFlight = 0;
  #responses = 0;
  #receipts = 0;
  #failed = 0;
  #startedAt = 0;
  #pumping = false;
  #done: (() => void) | undefined;
  #submitToResp = new LatencyHistogram();
  #submitToReceipt = new LatencyHistogram();

  bind(target: Target): void {
    this.#target = target;
  }

  async drive(options: DriveOptions): Promise<DriveResult> {
    if (this.#target === undefined) throw new Error('Driver.bind(target) first');
    this.#options = options;
    this.#sent = 0;
    this.#inFlight = 0;
    this.#responses = 0;
    this.#receipts = 0;
    this.#failed = 0;
    this.#submitToResp = new LatencyHistogram();
    this.#submitToReceipt = new LatencyHistogram();
    this.#startedAt = performance.now();
    const finished = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `stalled: ${this.#responses}/${options.count} responses, ${this.#receipts} receipts after ${options.timeoutMs} ms`,
            ),
          ),
        options.timeoutMs,
      );
      this.#done = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    const pacer = options.rate === undefined ? undefined : setInterval(this.#pump, 1);
    this.#pump();
    try {
      await finished;
    } finally {
      if (pacer !== undefined) clearInterval(pacer);
      this.#done = undefined;
    }
    return {
      sent: this.#sent,
      failed: this.#failed,
      elapsedMs: performance.now() - this.#startedAt,
      submitToResp: this.#submitToResp,
      submitToReceipt: this.#submitToReceipt,
    };
  }

  onResponse(index: number, ok: boolean): void {
    const slot = index & ringMask;
    this.#inFlight--;
    this.#responses++;
    if (ok) this.#submitToResp.record(performance.now() - (this.#sentAt[slot] as number));
    else {
      this.#failed++;
      // No receipt will come for a refused message.
      if (this.#options?.receipts === true) this.#receipts++;
      this.#flags[slot] = respDone | receiptDone;
    }
    this.#settle(slot, respDone);
  }

  onReceipt(index: number): void {
    const slot = index & ringMask;
    this.#receipts++;
    this.#submitToReceipt.record(performance.now() - (this.#sentAt[slot] as number));
    this.#settle(slot, receiptDone);
  }

  #settle(slot: number, flag: number): void {
    const flags = (this.#flags[slot] as number) | flag;
    const needed = this.#options?.receipts === true ? respDone | receiptDone : respDone;
    if ((flags & needed) === needed) {
      this.#flags[slot] = 0;
      this.#sentAt[slot] = Number.NaN;
    } else this.#flags[slot] = flags;
    this.#pump();
  }

  readonly #pump = (): void => {
    const options = this.#options;
    const target = this.#target;
    if (options === undefined || target === undefined || this.#pumping) return;
    this.#pumping = true;
    try {
      const limit =
        options.rate === undefined
          ? options.count
          : Math.min(options.count, Math.floor(((performance.now() - this.#startedAt) * options.rate) / 1000) + 1);
      while (this.#sent < limit && this.#inFlight < options.window) {
        const slot = this.#sent & ringMask;
        // The slot's previous message still waits for its receipt: wait for it.
        if (!Number.isNaN(this.#sentAt[slot] as number)) break;
        this.#sentAt[slot] = performance.now();
        this.#inFlight++;
        target.send(this.#sent++);
      }
      const receiptsDone = !options.receipts || this.#receipts >= options.count;
      if (this.#responses >= options.count && receiptsDone) this.#done?.();
    } finally {
      this.#pumping = false;
    }
  };
}
