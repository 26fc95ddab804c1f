import { isSuccessEvent, type MessageEvent, type MessageHandle, type TerminalEvent } from '@tidings/core';
import type { Subscription } from 'rxjs';
import { CliError } from './cli-error.js';
import {
  channelConfig,
  chooseChannel,
  createPlugin,
  readConfigFile,
  resolveChannels,
  withStartTimeout,
} from './config.js';
import { describeError, formatEvent, jsonLine } from './event-format.js';
import { ExitCode } from './exit-codes.js';
import { type CliIo, sleep, writeLine } from './io.js';
import { buildMessage, type MessageFlags } from './message-flags.js';
import { paletteFor } from './palette.js';
import { printable } from './printable.js';
import { reportError } from './report-error.js';
import { type CliRuntime, cliLogger, startRuntime, stopTimeoutMs } from './runtime.js';
import { parseConnectTimeout, parseSeconds } from './seconds-flag.js';

export interface SendFlags extends MessageFlags {
  readonly config: string;
  readonly channel?: string;
  readonly to: string;
  readonly wait: 'accepted' | 'settled';
  /** Seconds, as typed. */
  readonly timeout: string;
  /** Seconds, as typed: overrides the instance's `startTimeoutMs`. */
  readonly connectTimeout?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/**
 * `tidings send`: one message, every lifecycle event printed as it happens, then the exit code
 * of the awaited state: 0 when it was reached successfully, see {@link ExitCode} otherwise.
 */
export async function sendCommand(flags: SendFlags, io: CliIo): Promise<ExitCode> {
  const json = flags.json === true;
  const c = paletteFor(io.stdout, io.env);
  let runtime: CliRuntime | undefined;
  let subscription: Subscription | undefined;
  try {
    const timeoutMs = parseSeconds(flags.timeout, '--timeout');
    const startTimeoutMs = parseConnectTimeout(flags.connectTimeout);
    const file = await readConfigFile(flags.config, io.cwd);
    // Only the instance used is substituted and checked: another one's unset variable stops nothing.
    const name = chooseChannel(file, flags.channel);
    const config = resolveChannels(file, [name], io.env);
    const channel = withStartTimeout(channelConfig(config, name), startTimeoutMs);
    // Flags first: a typo must not cost a connection.
    const message = buildMessage(channel.plugin, flags.to, flags);
    const plugin = createPlugin(config, channel);
    runtime = await startRuntime([plugin], [channel], cliLogger(flags.verbose === true, io.stderr), io.signal);
    if (io.signal.aborted) throw interrupted();

    const handle: MessageHandle = await runtime.send(channel.name, message);
    subscription = handle.events$.subscribe((event: MessageEvent) =>
      writeLine(io.stdout, json ? jsonLine(event) : formatEvent(event, c)),
    );
    // Ends the timeout's timer once the race is decided, so nothing holds the process.
    const decided = new AbortController();
    const outcome = await Promise.race([
      waitFor(handle, flags.wait),
      sleep(timeoutMs, AbortSignal.any([io.signal, decided.signal])).then(() =>
        io.signal.aborted ? ('interrupted' as const) : ('timeout' as const),
      ),
    ]);
    decided.abort();
    if (outcome === 'interrupted') throw interrupted();
    if (outcome === 'timeout') {
      const last = handle.last?.type ?? 'nothing';
      return reportError(
        io,
        json,
        new CliError(
          ExitCode.Timeout,
          `no ${flags.wait === 'accepted' ? 'acceptance' : 'final state'} within ${flags.timeout} s (last event: ${last})`,
        ),
      );
    }
    if (isSuccessEvent(outcome)) return ExitCode.Ok;
    const error = 'error' in outcome ? outcome.error : undefined;
    return reportError(
      io,
      json,
      new CliError(
        ExitCode.MessageFailed,
        `message ${outcome.type}${error ? `: ${printable(describeError(error))}` : ''}`,
        {
          ...(error === undefined ? {} : { code: error.code }),
        },
      ),
    );
  } catch (error) {
    return reportError(io, json, error);
  } finally {
    // Events after the awaited state (a shutdown failure of a message still waiting for its
    // receipt) are not this command's answer.
    subscription?.unsubscribe();
    await runtime?.stop({ timeoutMs: stopTimeoutMs });
  }
}

const interrupted = (): CliError => new CliError(ExitCode.Interrupted, 'interrupted; stopping');

/** The awaited state: acceptance (or the end that came instead), or the terminal event. */
async function waitFor(handle: MessageHandle, wait: 'accepted' | 'settled'): Promise<TerminalEvent> {
  if (wait === 'settled') return handle.settled;
  try {
    const accepted = await handle.accepted;
    // An accepted event is a success whether or not a receipt follows.
    return { ...accepted, terminal: true } as TerminalEvent;
  } catch {
    return handle.settled;
  }
}
