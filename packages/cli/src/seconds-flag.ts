import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** Node runs a timer set beyond 2^31-1 ms after 1 ms. */
const maxTimerMs = 2_147_483_647;

/**
 * `--timeout 2.5` → 2500 ms; any zero (`0`, `0.0`, `00`) or `none` for no limit (infinite).
 * Empty, negative, not a number or beyond what a timer can wait is a usage error.
 */
export function parseSeconds(value: string | undefined, flag: string): number {
  if (value === undefined || value.trim() === 'none') return Number.POSITIVE_INFINITY;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0 || seconds * 1000 > maxTimerMs) {
    throw new CliError(
      ExitCode.Usage,
      `${flag} must be a number of seconds, at most ${Math.floor(maxTimerMs / 1000)}, or 0 for no limit (got "${value}")`,
    );
  }
  return seconds === 0 ? Number.POSITIVE_INFINITY : seconds * 1000;
}

/**
 * `--connect-timeout 5` → 5000 ms, for the channels' `startTimeoutMs` (how long start waits for a
 * first bound session); undefined when the flag is absent (each instance keeps its own).
 */
export function parseConnectTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  const ms = Math.round(seconds * 1000);
  if (value.trim() === '' || !Number.isFinite(seconds) || ms < 1 || ms > maxTimerMs) {
    throw new CliError(
      ExitCode.Usage,
      `--connect-timeout must be a positive number of seconds, at most ${Math.floor(maxTimerMs / 1000)} (got "${value}")`,
    );
  }
  return ms;
}
