import type { ChannelReport, InboundMessage } from '@tidings/core';
import type { Subscription } from 'rxjs';
import { chooseChannel, createPlugin, readConfigFile, resolveChannels, withStartTimeout } from './config.js';
import { formatInbound, formatReceipt, jsonLine } from './event-format.js';
import { ExitCode } from './exit-codes.js';
import { aborted, type CliIo, writeLine } from './io.js';
import { paletteFor } from './palette.js';
import { printable } from './printable.js';
import { exitCodeOf, reportError } from './report-error.js';
import { type CliRuntime, cliLogger, startRuntime, stopTimeoutMs } from './runtime.js';
import { parseConnectTimeout } from './seconds-flag.js';

export interface WatchFlags {
  readonly config: string;
  /** Only these instances; default every channel of the config. */
  readonly channel?: readonly string[];
  /** Seconds, as typed: overrides every instance's `startTimeoutMs`. */
  readonly connectTimeout?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/**
 * `tidings watch`: binds every channel of the config (or those named) and prints inbound (MO)
 * messages and delivery receipts as they arrive, until SIGINT/SIGTERM; then unbinds and exits 0.
 * Channel state changes go to stderr.
 */
export async function watchCommand(flags: WatchFlags, io: CliIo): Promise<ExitCode> {
  const json = flags.json === true;
  const c = paletteFor(io.stdout, io.env);
  let runtime: CliRuntime | undefined;
  const subscriptions: Subscription[] = [];
  // Every receipt the channels get, also for messages other processes sent.
  const onReport = ({ channel, ...report }: ChannelReport): void => {
    const at = Date.now();
    writeLine(
      io.stdout,
      json ? jsonLine({ type: 'receipt', channel, receivedAt: at, ...report }) : formatReceipt(channel, report, at, c),
    );
  };
  const onInbound = (message: InboundMessage): void => {
    writeLine(io.stdout, json ? jsonLine({ type: 'inbound', ...message }) : formatInbound(message, c));
  };
  try {
    const startTimeoutMs = parseConnectTimeout(flags.connectTimeout);
    const file = await readConfigFile(flags.config, io.cwd);
    // `--channel kz --channel kz` watches kz once.
    const names =
      flags.channel === undefined || flags.channel.length === 0
        ? [...file.entries.keys()]
        : [...new Set(flags.channel)].map((name) => chooseChannel(file, name));
    const config = resolveChannels(file, names, io.env);
    const chosen = [...config.channels.values()].map((channel) => withStartTimeout(channel, startTimeoutMs));
    const plugins = chosen.map((channel) => createPlugin(config, channel));
    runtime = await startRuntime(plugins, chosen, cliLogger(flags.verbose === true, io.stderr), io.signal);
    subscriptions.push(runtime.inbound$.subscribe(onInbound), runtime.reports$.subscribe(onReport));
    for (const channel of chosen) {
      subscriptions.push(
        runtime.state$(channel.name).subscribe((state) => {
          const detail = state.detail === undefined ? '' : ` (${printable(state.detail)})`;
          writeLine(io.stderr, `${channel.name}: ${state.status}${state.paused ? ', paused' : ''}${detail}`);
        }),
      );
    }
    writeLine(io.stderr, `watching ${chosen.map((channel) => channel.name).join(', ')}; Ctrl-C stops`);
    await aborted(io.signal);
    return ExitCode.Ok;
  } catch (error) {
    // Ctrl-C while connecting is the clean stop watch always ends with.
    if (io.signal.aborted && exitCodeOf(error) === ExitCode.Interrupted) return ExitCode.Ok;
    return reportError(io, json, error);
  } finally {
    for (const subscription of subscriptions) subscription.unsubscribe();
    await runtime?.stop({ timeoutMs: stopTimeoutMs });
  }
}
