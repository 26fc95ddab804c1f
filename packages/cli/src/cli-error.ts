import type { ExitCode } from './exit-codes.js';

/**
 * A failure the CLI reports in one line and ends with `exitCode`: bad flags, a bad config file,
 * an unknown channel. Messages never carry a secret.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  /** The Tidings error code behind it, when there is one (`TIDINGS_AUTH_FAILED`). */
  readonly code: string | undefined;

  constructor(
    readonly exitCode: ExitCode,
    message: string,
    options?: { readonly cause?: unknown; readonly code?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code;
  }
}
