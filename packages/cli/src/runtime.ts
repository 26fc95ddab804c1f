import {
  type ChannelMap,
  type ChannelPlugin,
  createTidings,
  ErrorCode,
  type LogFields,
  type Logger,
  redactSecrets,
  silentLogger,
  type Tidings,
  TidingsError,
} from '@tidings/core';
import { CliError } from './cli-error.js';
import { type ChannelConfig, scrub } from './config.js';
import { ExitCode } from './exit-codes.js';
import { type CliOutput, writeLine } from './io.js';
import { printable } from './printable.js';

/**
 * How long `stop()` lets in-flight submits get their answer before ending them. Short: the user
 * asked to stop, or the command already has its answer (then nothing is in flight anyway).
 */
export const stopTimeoutMs = 1_000;

/** A runtime typed loosely: the CLI picks channels by name at run time. */
export type CliRuntime = Tidings<ChannelMap>;

/**
 * Starts the runtime with the given plugins. A channel that cannot connect or bind becomes a
 * {@link CliError} with exit code 3 that says whether the credentials were refused; options the
 * runtime refuses are a config error (exit 2). The message never carries the password (the
 * transport never writes it, and {@link scrub} makes sure). When `signal` aborts first (Ctrl-C
 * while connecting), it rejects at once with exit code 130 and stops the runtime once it is up.
 */
export async function startRuntime(
  plugins: readonly ChannelPlugin[],
  channels: readonly ChannelConfig[],
  logger: Logger,
  signal: AbortSignal,
): Promise<CliRuntime> {
  const interrupted = new CliError(ExitCode.Interrupted, 'interrupted while connecting; stopping');
  if (signal.aborted) throw interrupted;
  const starting = createTidings({ plugins, logger }) as Promise<CliRuntime>;
  let onAbort: (() => void) | undefined;
  const abort = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const first = await Promise.race([starting, abort]);
    if (first !== 'aborted') return first;
    // Whatever the start still does ends with a stop; the command does not wait for it.
    void starting.then((runtime) => runtime.stop({ timeoutMs: stopTimeoutMs }), ignore);
    throw interrupted;
  } catch (error) {
    if (error === interrupted) throw error;
    throw startFailure(error, channels);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

const ignore = (): void => {};

function startFailure(error: unknown, channels: readonly ChannelConfig[]): CliError {
  const typed = TidingsError.from(error);
  const keep = channels.map((channel) => channel.name);
  const scrubbed = (message: string): string =>
    channels.reduce((out, channel) => scrub(out, channel.options, keep), message);
  if (typed.code === ErrorCode.InvalidOptions) {
    return new CliError(ExitCode.Usage, scrubbed(`invalid configuration (${typed.code}): ${typed.message}`), {
      cause: error,
      code: typed.code,
    });
  }
  const auth = causes(typed).some((cause) => TidingsError.is(cause, ErrorCode.AuthFailed));
  const lead = auth
    ? `authentication failed (${ErrorCode.AuthFailed}): the provider refused the systemId/password of the channel; check them in the config`
    : `could not connect (${typed.code})`;
  return new CliError(ExitCode.ConnectionFailed, scrubbed(`${lead}\n  ${printable(typed.message)}`), {
    cause: error,
    code: auth ? ErrorCode.AuthFailed : typed.code,
  });
}

function causes(error: unknown): unknown[] {
  const out: unknown[] = [];
  for (let at: unknown = error; at !== undefined && out.length < 10; at = (at as { cause?: unknown }).cause) {
    out.push(at);
    if (at instanceof AggregateError) out.push(...at.errors.flatMap(causes));
    if (typeof at !== 'object' || at === null) break;
  }
  return out;
}

/** `--verbose`: the runtime's log lines on stderr, secrets redacted. Otherwise silent. */
export function cliLogger(verbose: boolean, stderr: CliOutput): Logger {
  if (!verbose) return silentLogger;
  const line =
    (level: string) =>
    (message: string, fields?: LogFields): void =>
      writeLine(
        stderr,
        `[tidings] ${level} ${message}${fields === undefined ? '' : ` ${safeJson(redactSecrets(fields))}`}`,
      );
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, inner: unknown) =>
      inner instanceof Error ? { name: inner.name, message: inner.message } : inner,
    );
  } catch {
    return String(value);
  }
}
