/**
 * Runs the OTP fallback example: `pnpm --filter @tidings/example-otp-fallback start`.
 * Embedded simulators by default; see providers.ts for the variables that switch to real accounts.
 */
import { runOtpFallback } from './otp-fallback.js';

try {
  await runOtpFallback();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
