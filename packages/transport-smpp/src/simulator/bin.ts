#!/usr/bin/env node
import { TidingsError } from '@tidings/core';
import { CLI_USAGE, startSimulatorCli } from './cli.js';

// tidings-smsc-simulator: an SMSC for local development; see CLI_USAGE.
const writeLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

try {
  const simulator = await startSimulatorCli(process.argv.slice(2), writeLine);
  if (simulator !== undefined) {
    const shutdown = (signal: string): void => {
      writeLine(`info ${signal}: stopping`);
      void simulator.stop().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (!TidingsError.is(error)) process.stderr.write(CLI_USAGE);
  process.exitCode = 1;
}
