import { randomUUID } from 'node:crypto';
import { silentLogger, systemClock, TOKENS } from '@tidings/core';
import { ContainerModule } from 'inversify';
import { InMemoryVerificationStore } from './in-memory-verification-store.js';
import { Verifier } from './verifier.js';
import { resolveVerifierOptions, type VerifierOptions } from './verifier-options.js';
import { VERIFY_TOKENS } from './verify-tokens.js';

/**
 * The verifier as an inversify module, for hosts that compose with their own container. It binds
 * the validated options and the verifier, and, where the container has none yet, an in-memory
 * store, core's system clock and silent logger, and random UUID ids. The host binds
 * `VERIFY_TOKENS.Tidings` to its runtime. Options are checked now: a bad config throws
 * `TIDINGS_INVALID_OPTIONS` here, not at the first `start`.
 *
 * ```ts
 * container.bind(VERIFY_TOKENS.Tidings).toConstantValue(tidings);
 * container.load(verifyModule({ via: ['telegram', 'sms'] }));
 * const verifier = container.get(VERIFY_TOKENS.Verifier);
 * ```
 */
export function verifyModule(options: VerifierOptions = {}): ContainerModule {
  const resolved = resolveVerifierOptions(options);
  return new ContainerModule(({ bind, isBound }) => {
    bind(VERIFY_TOKENS.Options).toConstantValue(resolved);
    if (!isBound(VERIFY_TOKENS.Store)) bind(VERIFY_TOKENS.Store).toConstantValue(new InMemoryVerificationStore());
    if (!isBound(VERIFY_TOKENS.GenerateId)) bind(VERIFY_TOKENS.GenerateId).toConstantValue(randomUUID);
    if (!isBound(TOKENS.Clock)) bind(TOKENS.Clock).toConstantValue(systemClock);
    if (!isBound(TOKENS.Logger)) bind(TOKENS.Logger).toConstantValue(silentLogger);
    bind(VERIFY_TOKENS.Verifier).to(Verifier).inSingletonScope();
  });
}
