import { ErrorCode, isSuccessEvent, isTerminalEvent, type MessageHandle, TidingsError } from '@tidings/core';
import type { Subscription } from 'rxjs';
import { type BulkCounts, bulkProgress } from './bulk-progress.js';
import { CliError } from './cli-error.js';
import {
  channelConfig,
  chooseChannel,
  createPlugin,
  readConfigFile,
  resolveChannels,
  withStartTimeout,
} from './config.js';
import { describeError, jsonLine } from './event-format.js';
import { ExitCode } from './exit-codes.js';
import { type CliIo, sleep, writeLine } from './io.js';
import { buildMessage, type MessageFlags } from './message-flags.js';
import { printable } from './printable.js';
import { type Recipient, readRecipients } from './recipients.js';
import { reportError } from './report-error.js';
import { type CliRuntime, cliLogger, startRuntime, stopTimeoutMs } from './runtime.js';
import { parseConnectTimeout, parseSeconds } from './seconds-flag.js';

export interface BulkFlags extends MessageFlags {
  readonly config: string;
  readonly channel?: string;
  readonly toFile: string;
  /** Messages per second, as typed. */
  readonly rate?: string;
  readonly wait: 'accepted' | 'settled';
  /** Seconds, as typed: how long to wait for the rest once the last recipient was handed over. */
  readonly timeout: string;
  /** Seconds, as typed: overrides the instance's `startTimeoutMs`. */
  readonly connectTimeout?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** One recipient that did not make it, for the summary. */
export interface BulkFailure {
  readonly line: number;
  readonly to: string;
  readonly event: string;
  readonly code: string;
  readonly message: string;
}

/** What `bulk --json` prints at the end. */
export interface BulkSummary {
  readonly type: 'summary';
  readonly total: number;
  readonly sent: number;
  readonly accepted: number;
  readonly delivered: number;
  readonly failed: number;
  readonly invalid: number;
  /** Sent but not finished when the run ended (timeout, Ctrl-C). */
  readonly pending: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly failures: readonly BulkFailure[];
}

/**
 * Unaccepted messages in flight at once: enough to keep every window full, few enough that a
 * million-line file does not sit in memory as queued messages.
 */
const maxOutstanding = 1_000;

/**
 * `tidings bulk`: the same message to every recipient of a file, paced by `--rate`, with a
 * progress bar and a summary. An invalid line is reported and counted as failed; the run goes on.
 */
export async function bulkCommand(flags: BulkFlags, io: CliIo): Promise<ExitCode> {
  const json = flags.json === true;
  let runtime: CliRuntime | undefined;
  try {
    const timeoutMs = parseSeconds(flags.timeout, '--timeout');
    const startTimeoutMs = parseConnectTimeout(flags.connectTimeout);
    const rate = flags.rate === undefined ? undefined : Number(flags.rate);
    if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
      throw new CliError(
        ExitCode.Usage,
        `--rate must be a positive number of messages per second (got "${flags.rate}")`,
      );
    }
    const file = await readConfigFile(flags.config, io.cwd);
    // Only the instance used is substituted and checked: another one's unset variable stops nothing.
    const name = chooseChannel(file, flags.channel);
    const config = resolveChannels(file, [name], io.env);
    const channel = withStartTimeout(channelConfig(config, name), startTimeoutMs);
    const recipients = await readRecipients(flags.toFile, io.cwd);
    // The flags are checked once, before connecting; each line is then the channel's to judge.
    buildMessage(channel.plugin, recipients[0]?.to ?? '', flags);
    const plugin = createPlugin(config, channel);
    runtime = await startRuntime([plugin], [channel], cliLogger(flags.verbose === true, io.stderr), io.signal);
    return await run(runtime, channel.name, channel.plugin, recipients, flags, io, { rate, timeoutMs, json });
  } catch (error) {
    return reportError(io, json, error);
  } finally {
    await runtime?.stop({ timeoutMs: stopTimeoutMs });
  }
}

async function run(
  runtime: CliRuntime,
  channel: string,
  plugin: Parameters<typeof buildMessage>[0],
  recipients: readonly Recipient[],
  flags: BulkFlags,
  io: CliIo,
  { rate, timeoutMs, json }: { rate: number | undefined; timeoutMs: number; json: boolean },
): Promise<ExitCode> {
  const startedAt = Date.now();
  const counts: BulkCounts = {
    total: recipients.length,
    sent: 0,
    accepted: 0,
    delivered: 0,
    failed: 0,
    invalid: 0,
    done: 0,
  };
  const failures: BulkFailure[] = [];
  const progress = bulkProgress(io.stderr);
  const ticker = setInterval(() => progress.update(counts), 1_000);
  ticker.unref();
  let outstanding = 0;
  let wake: (() => void) | undefined;
  const changed = (): void => {
    progress.update(counts);
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const fail = (recipient: Recipient, event: string, error: TidingsError): void => {
    counts.failed++;
    failures.push({ line: recipient.line, to: recipient.to, event, code: error.code, message: error.message });
    // Through the progress: on a terminal the line must not run into the bar.
    progress.log(`line ${recipient.line} (${printable(recipient.to)}): ${event}: ${printable(describeError(error))}`);
  };
  // Each message's subscription, until it reaches the awaited state; the rest are closed before
  // the summary, so what the stop does to messages still waiting for receipts is not reported.
  const following = new Set<Subscription>();
  const follow = (recipient: Recipient, handle: MessageHandle): void => {
    outstanding++;
    let waiting = true;
    let finished = false;
    // Counts against the in-flight cap until the provider took it (or it ended).
    const release = (): void => {
      if (waiting) {
        waiting = false;
        outstanding--;
      }
    };
    let subscription: Subscription | undefined;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      counts.done++;
      // Later events (a receipt after `--wait accepted`) are not this run's answer.
      if (subscription) {
        subscription.unsubscribe();
        following.delete(subscription);
      }
    };
    subscription = handle.events$.subscribe((event) => {
      if (finished) return;
      if (event.type === 'accepted') {
        counts.accepted++;
        release();
        if (flags.wait === 'accepted') finish();
      }
      if (isTerminalEvent(event) && !finished) {
        release();
        if (event.type === 'delivered') counts.delivered++;
        else if (!isSuccessEvent(event)) fail(recipient, event.type, 'error' in event ? event.error : unknownError);
        finish();
      }
      changed();
    });
    // The events are replayed: the message may have finished during subscribe.
    if (finished) subscription.unsubscribe();
    else following.add(subscription);
  };

  const interval = rate === undefined ? 0 : 1000 / rate;
  // Wakes whatever the loop below waits for: a message moved on, or the user asked to stop.
  const waitForChange = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => changed(), ms) : undefined;
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  io.signal.addEventListener('abort', changed);
  let handled = 0;
  try {
    for (const [index, recipient] of recipients.entries()) {
      // Pace: message i goes at start + i / rate, whatever the earlier ones took.
      const due = startedAt + index * interval;
      while (Date.now() < due && !io.signal.aborted) await sleep(due - Date.now(), io.signal);
      while (outstanding >= maxOutstanding && !io.signal.aborted) await waitForChange(Number.POSITIVE_INFINITY);
      if (io.signal.aborted) break;
      handled++;
      try {
        const handle = await runtime.send(channel, buildMessage(plugin, recipient.to, flags));
        counts.sent++;
        follow(recipient, handle);
      } catch (error) {
        const typed = TidingsError.from(error, ErrorCode.InvalidMessage);
        if (typed.code === ErrorCode.InvalidMessage) counts.invalid++;
        fail(recipient, typed.code === ErrorCode.InvalidMessage ? 'invalid' : 'refused', typed);
        counts.done++;
      }
      changed();
    }
    // Then wait for the rest to reach the awaited state, at most `--timeout`.
    const deadline = Date.now() + timeoutMs;
    while (counts.done < handled && !io.signal.aborted && Date.now() < deadline) {
      await waitForChange(deadline - Date.now());
    }
  } finally {
    io.signal.removeEventListener('abort', changed);
    for (const subscription of following) subscription.unsubscribe();
    following.clear();
  }
  const interrupted = io.signal.aborted;
  clearInterval(ticker);
  progress.stop(counts);

  const elapsedMs = Date.now() - startedAt;
  const summary: BulkSummary = {
    type: 'summary',
    total: counts.total,
    sent: counts.sent,
    accepted: counts.accepted,
    delivered: counts.delivered,
    failed: counts.failed,
    invalid: counts.invalid,
    pending: counts.total - counts.done,
    elapsedMs,
    perSecond: Math.round((counts.done / Math.max(elapsedMs / 1000, 0.001)) * 10) / 10,
    failures: failures.sort((a, b) => a.line - b.line),
  };
  if (json) writeLine(io.stdout, jsonLine(summary));
  else for (const line of formatSummary(summary, flags.wait)) writeLine(io.stdout, line);
  if (interrupted) return ExitCode.Interrupted;
  if (summary.failed > 0) return ExitCode.MessageFailed;
  if (summary.pending > 0) return ExitCode.Timeout;
  return ExitCode.Ok;
}

const unknownError = new TidingsError(ErrorCode.Internal, 'ended without an error');

function formatSummary(summary: BulkSummary, wait: 'accepted' | 'settled'): string[] {
  const row = (label: string, value: number | string): string => `  ${label.padEnd(10)} ${value}`;
  return [
    `bulk: ${summary.total} recipients in ${(summary.elapsedMs / 1000).toFixed(1)} s (${summary.perSecond}/s, waited until ${wait})`,
    row('sent', summary.sent),
    row('accepted', summary.accepted),
    row('delivered', summary.delivered),
    row('failed', summary.invalid > 0 ? `${summary.failed} (${summary.invalid} invalid)` : summary.failed),
    ...(summary.pending > 0 ? [row('pending', summary.pending)] : []),
  ];
}
