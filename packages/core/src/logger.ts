/** Structured fields attached to a log line. Never put secrets here. */
export type LogFields = Readonly<Record<string, unknown>>;

/** The logging contract; adapt pino, winston or console to it in a few lines. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const noop = (): void => {};

/** Drops everything: the default, so a library never writes to a host's console uninvited. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes to the console at or above `level`. */
export function consoleLogger(level: LogLevel = 'info'): Logger {
  const at = levels[level];
  const line =
    (lvl: LogLevel, write: (...args: unknown[]) => void) =>
    (message: string, fields?: LogFields): void => {
      if (levels[lvl] < at) return;
      if (fields === undefined) write(`[tidings] ${lvl} ${message}`);
      else write(`[tidings] ${lvl} ${message}`, fields);
    };
  return {
    debug: line('debug', console.debug),
    info: line('info', console.info),
    warn: line('warn', console.warn),
    error: line('error', console.error),
  };
}
