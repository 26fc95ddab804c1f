/**
 * Runs the bulk example: `pnpm --filter @tidings/example-bulk start` (progress on stderr, the
 * summary on stdout). `BULK_COUNT` and `BULK_RATE` change the size and the speed; see providers.ts
 * for the variables that switch to a real account.
 */
import { runBulk } from './bulk.js';

try {
  await runBulk();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
