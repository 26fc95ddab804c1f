/**
 * Runs the reactive example: `pnpm --filter @tidings/example-reactive start`.
 * Embedded simulators by default; see providers.ts for the variables that switch to real accounts.
 */
import { runReactive } from './reactive.js';

try {
  await runReactive();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
