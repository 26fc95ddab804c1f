import { ErrorCode, TidingsError } from '@tidings/core';
import { CliError } from './cli-error.js';
import { describeError, jsonLine } from './event-format.js';
import { ExitCode } from './exit-codes.js';
import { type CliIo, writeLine } from './io.js';
import { paletteFor } from './palette.js';
import { printable } from './printable.js';

/** The exit code of anything a command may throw. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (TidingsError.is(error)) {
    switch (error.code) {
      case ErrorCode.InvalidMessage:
        return ExitCode.InvalidMessage;
      case ErrorCode.InvalidOptions:
      case ErrorCode.UnknownChannel:
      case ErrorCode.Unsupported:
        return ExitCode.Usage;
      case ErrorCode.AuthFailed:
      case ErrorCode.StartFailed:
        return ExitCode.ConnectionFailed;
    }
  }
  return ExitCode.MessageFailed;
}

/**
 * Prints the error on stderr (`tidings: …`) and, with `--json`, as an `{"type":"error"}` line on
 * stdout too, so a script reading JSON sees why it ended. Returns the exit code.
 */
export function reportError(io: CliIo, json: boolean, error: unknown): ExitCode {
  const exitCode = exitCodeOf(error);
  const text = TidingsError.is(error)
    ? `${error.code === ErrorCode.InvalidMessage ? 'invalid message, nothing was sent: ' : ''}${describeError(error)}`
    : error instanceof Error
      ? error.message
      : String(error);
  const c = paletteFor(io.stderr, io.env);
  // Provider text escaped. A CLI message may span lines on purpose (a config error lists its
  // issues on indented lines): it keeps its newlines; what it quotes from outside is escaped already.
  const shown = error instanceof CliError ? text.split('\n').map(printable).join('\n') : printable(text);
  writeLine(io.stderr, `${c.red('tidings:')} ${shown}`);
  if (json) {
    const code = TidingsError.is(error) || error instanceof CliError ? error.code : undefined;
    writeLine(io.stdout, jsonLine({ type: 'error', exitCode, ...(code === undefined ? {} : { code }), message: text }));
  }
  return exitCode;
}
