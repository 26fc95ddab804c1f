import { Presets, SingleBar } from 'cli-progress';
import type { CliOutput } from './io.js';
import { writeLine } from './io.js';

/** The counters `bulk` shows and sums up. */
export interface BulkCounts {
  /** Recipients in the file. */
  readonly total: number;
  /** Handed to the runtime (queued for the provider). */
  sent: number;
  accepted: number;
  delivered: number;
  /** Refused before sending (invalid), by the provider, undelivered, expired or failed locally. */
  failed: number;
  /** Of `failed`: refused before sending. */
  invalid: number;
  /** Finished as the run waits for (accepted or settled), failures included. */
  done: number;
}

/** How the run shows its progress; `stop` leaves the terminal clean for the summary. */
export interface BulkProgress {
  update(counts: BulkCounts): void;
  /** A report line (an invalid recipient…) on its own line, the bar drawn again below it. */
  log(line: string): void;
  stop(counts: BulkCounts): void;
}

/** Messages done per second so far, and the seconds left at that rate (`–` until there is a rate). */
function pace(counts: BulkCounts, startedAt: number): { rate: string; eta: string } {
  const seconds = Math.max((Date.now() - startedAt) / 1000, 0.001);
  const rate = counts.done / seconds;
  return {
    rate: rate.toFixed(1),
    eta: rate > 0 ? `${Math.round((counts.total - counts.done) / rate)}s` : '–',
  };
}

const format = (counts: BulkCounts, startedAt: number): string => {
  const { rate, eta } = pace(counts, startedAt);
  return (
    `${counts.done}/${counts.total} | sent ${counts.sent} | accepted ${counts.accepted} | delivered ${counts.delivered} | ` +
    `failed ${counts.failed} | ${rate}/s | ETA ${eta}`
  );
};

/** Back to the first column and clear the line: where the bar was drawn. */
const clearLine = '\r\u001b[2K';

/**
 * A cli-progress bar on a terminal; elsewhere (a pipe, a CI log) one plain line every
 * `intervalMs` and one at the end, so logs stay readable. Both go to stderr: stdout is the summary's.
 */
export function bulkProgress(stderr: CliOutput, intervalMs = 2_000): BulkProgress {
  const startedAt = Date.now();
  if (stderr.isTTY === true) {
    const bar = new SingleBar(
      {
        stream: stderr as unknown as NodeJS.WritableStream,
        format:
          '{bar} {percentage}% | {value}/{total} | sent {sent} | accepted {accepted} | delivered {delivered} | failed {failed} | {rate}/s | ETA {eta_text}',
        hideCursor: true,
        // Report lines are written between frames (see log): every frame draws the bar again.
        forceRedraw: true,
      },
      Presets.shades_classic,
    );
    let started = false;
    const payload = (counts: BulkCounts) => {
      const { rate, eta } = pace(counts, startedAt);
      return {
        sent: counts.sent,
        accepted: counts.accepted,
        delivered: counts.delivered,
        failed: counts.failed,
        rate,
        eta_text: eta,
      };
    };
    return {
      update(counts) {
        if (!started) {
          bar.start(counts.total, counts.done, payload(counts));
          started = true;
        } else bar.update(counts.done, payload(counts));
      },
      log(line) {
        if (!started) {
          writeLine(stderr, line);
          return;
        }
        // The bar's line has no newline: clear it, write the report, draw the bar again below.
        stderr.write(`${clearLine}${line}\n`);
        bar.render();
      },
      stop(counts) {
        this.update(counts);
        bar.stop();
      },
    };
  }
  let last = startedAt;
  return {
    update(counts) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      writeLine(stderr, `progress ${format(counts, startedAt)}`);
    },
    log(line) {
      writeLine(stderr, line);
    },
    stop(counts) {
      writeLine(stderr, `progress ${format(counts, startedAt)}`);
    },
  };
}
