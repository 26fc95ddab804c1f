/** Where the CLI writes: a stream-like sink (process.stdout, or a buffer in tests). */
export interface CliOutput {
  write(chunk: string): unknown;
  /** True on a terminal: colours and the progress bar are used only there. */
  readonly isTTY?: boolean | undefined;
  /** Terminal width, for the progress bar. */
  readonly columns?: number | undefined;
}

/**
 * Everything the CLI touches outside itself, so `runCli` runs in-process in tests: the streams,
 * the environment (for `${VAR}` in the config and NO_COLOR), the directory relative paths start
 * from, and a signal that asks long-running commands (`watch`, `simulate`, a pending `send`) to stop.
 */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM by the bin; tests abort it themselves. */
  readonly signal: AbortSignal;
}

/** Writes whole lines. */
export function writeLine(output: CliOutput, line: string): void {
  output.write(`${line}\n`);
}

/** Resolves when `signal` aborts (at once if it already has). */
export function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * Resolves after `ms` (never when infinite) or when `signal` aborts, whichever comes first, and
 * leaves no listener behind: `bulk` sleeps once per message.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined;
    signal.addEventListener('abort', done, { once: true });
  });
}
