/**
 * The process exit codes of `tidings`, documented in the README. Scripts branch on them, so a
 * value never changes meaning.
 */
export const ExitCode = {
  /** The awaited state was reached (send), every message succeeded (bulk), a clean stop (watch, simulate). */
  Ok: 0,
  /** The message failed: refused by the provider, undelivered, expired, or failed locally. */
  MessageFailed: 1,
  /** Bad command line or config file (unknown channel, unset `${VAR}`, invalid option). */
  Usage: 2,
  /** The channel could not connect or bind: host unreachable, wrong credentials. */
  ConnectionFailed: 3,
  /** The message is invalid (a bad number, a missing code): refused before anything was sent. */
  InvalidMessage: 4,
  /** `--timeout` passed before the awaited state; the message's fate is unknown. */
  Timeout: 5,
  /** Interrupted (SIGINT/SIGTERM) before `send` or `bulk` finished. */
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
