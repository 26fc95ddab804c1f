#!/usr/bin/env node
import { runCli } from './cli.js';

// The `tidings` command: process glue only; everything else is in cli.ts.
const controller = new AbortController();
let signals = 0;
const onSignal = (): void => {
  signals++;
  // A second Ctrl-C does not wait for the clean stop.
  if (signals > 1) process.exit(130);
  controller.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = exitCode;
// Everything was stopped; should a socket linger, do not hang (the timer itself holds nothing).
setTimeout(() => process.exit(exitCode), 3_000).unref();
