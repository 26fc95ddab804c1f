/**
 * A bulk campaign: one text to thousands of recipients through the smsorg channel, at the speed
 * agreed with the provider, with live progress on stderr and a summary at the end.
 */
import { smsorgChannel } from '@tidings/channel-smsorg';
import { createTidings, ErrorCode, TidingsError } from '@tidings/core';
import { from, interval, lastValueFrom, mergeMap } from 'rxjs';
import { type Env, type Provider, startProvider } from './providers.js';
import { type Counts, progressLine, Tally } from './tally.js';

export interface BulkOptions {
  /** Where the summary goes. Default: stdout. */
  readonly write?: (line: string) => void;
  /** Where progress lines go. Default: stderr. */
  readonly progress?: (line: string) => void;
  /** Default: `process.env` (see providers.ts for the variables that switch to a real account). */
  readonly env?: Env;
  /** Simulated recipients. Default `BULK_COUNT`, else 5 000. */
  readonly count?: number;
  /**
   * The throughput cap: SMS parts per second, the speed agreed with the provider. Default
   * `BULK_RATE`, else 1 000 with the simulator (which is told the same speed) and 10 with a real
   * account.
   */
  readonly maxPerSecond?: number;
  /**
   * The host-side limit: messages sent but not ended yet. Keeps memory flat for any list size and
   * keeps the runtime's queue (`maxQueued`) from filling up. Default 1 000.
   */
  readonly maxPending?: number;
  /** Default 1 000 ms. */
  readonly progressEveryMs?: number;
  /** How long a message may wait for its receipt before it counts as failed. Default 120 000 ms. */
  readonly receiptTimeoutMs?: number;
  readonly text?: string;
  /** A provider started by the caller (who then stops it). Default: from `env`. */
  readonly provider?: Provider;
}

export interface BulkSummary extends Counts {
  readonly durationMs: number;
  /** Messages sent per second over the whole run. */
  readonly perSecond: number;
  /** The most messages pending at once (never above `maxPending`). */
  readonly peakPending: number;
}

const defaultText = 'Spring sale: 20% off everything until Sunday. Reply STOP to opt out.';

export async function runBulk(options: BulkOptions = {}): Promise<BulkSummary> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const env = options.env ?? process.env;
  const rate = options.maxPerSecond ?? (Number(env.BULK_RATE) || undefined);
  const maxPending = options.maxPending ?? 1_000;
  const provider =
    options.provider ??
    (await startProvider(env, {
      count: options.count ?? (Number(env.BULK_COUNT) || 5_000),
      maxPerSecond: rate ?? 1_000,
    }));
  // A real account's speed is whatever was agreed with smsorg: a careful default until BULK_RATE says.
  const maxPerSecond = rate ?? (provider.simulator ? 1_000 : 10);

  try {
    const tidings = await createTidings({
      plugins: [
        smsorgChannel({
          ...provider.smsorg,
          // The cap: the channel never sends faster, whatever the host asks; on ESME_RTHROTTLED
          // it pauses and resumes slower.
          maxPerSecond,
          settings: { receiptTimeoutMs: options.receiptTimeoutMs ?? 120_000 },
        }),
      ],
    });
    const { recipients } = provider;
    const tally = new Tally(recipients.length);
    tidings.events$.subscribe((event) => tally.onEvent(event));
    const started = Date.now();
    const report = (): void => progress(progressLine(tally.counts, Date.now() - started));
    const ticker = interval(options.progressEveryMs ?? 1_000).subscribe(report);

    let pending = 0;
    let peakPending = 0;
    const text = options.text ?? defaultText;
    const sendOne = async (to: string, i: number): Promise<void> => {
      pending++;
      peakPending = Math.max(peakPending, pending);
      try {
        const handle = await tidings.send('smsorg', { to, text, clientRef: `campaign-${i}` });
        await handle.settled; // never rejects: the outcome is counted from the events
      } catch (error) {
        // `send` refuses an invalid message before anything goes out; anything else is a bug here.
        if (!(error instanceof TidingsError && error.code === ErrorCode.InvalidMessage)) throw error;
        tally.onInvalid(error);
      } finally {
        pending--;
      }
    };

    try {
      // At most `maxPending` messages between `send` and their end; the next starts as one ends.
      await lastValueFrom(from(recipients).pipe(mergeMap(sendOne, maxPending)), { defaultValue: undefined });
    } finally {
      ticker.unsubscribe();
      await tidings.stop();
    }
    const durationMs = Date.now() - started;
    report();

    const counts = tally.counts;
    const summary: BulkSummary = {
      ...counts,
      durationMs,
      perSecond: counts.sent / (Math.max(durationMs, 1) / 1000),
      peakPending,
    };
    for (const line of summaryLines(summary)) write(line);
    return summary;
  } finally {
    if (options.provider === undefined) await provider.stop();
  }
}

function summaryLines(summary: BulkSummary): string[] {
  const row = (label: string, value: number | string, note = ''): string =>
    `  ${label.padEnd(12)} ${String(value).padStart(10)}  ${note}`.trimEnd();
  const errors = Object.entries(summary.errors)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([code, count]) => `${code} ${count}`);
  return [
    'Summary',
    row('recipients', summary.total),
    row('delivered', summary.delivered),
    row('undelivered', summary.undelivered, 'the provider could not deliver'),
    row('rejected', summary.rejected, 'refused by the provider'),
    row('invalid', summary.invalid, 'refused before sending'),
    row('failed', summary.failed, 'timeouts, lost connections'),
    row('throttled', summary.throttled, 'submits the provider asked to slow down (resent)'),
    row('duration', `${(summary.durationMs / 1000).toFixed(1)} s`),
    row('throughput', `${Math.round(summary.perSecond)} msg/s`),
    ...(errors.length === 0 ? [] : [`  ${'errors'.padEnd(12)} ${errors.join(' · ')}`]),
  ];
}
