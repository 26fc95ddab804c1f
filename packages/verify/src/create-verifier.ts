import { type ChannelMap, ErrorCode, type Tidings, TidingsError, TOKENS } from '@tidings/core';
import { Container } from 'inversify';
import type { Verifier } from './verifier.js';
import type { VerifierOptions, VerifierServices } from './verifier-options.js';
import { verifyModule } from './verify-module.js';
import { VERIFY_TOKENS } from './verify-tokens.js';

const serviceKeys = ['store', 'clock', 'logger', 'generateId'] as const;

/**
 * A verifier sending its codes through `tidings`, built in a container of its own from
 * {@link verifyModule}. Options are plain data, checked now (`TIDINGS_INVALID_OPTIONS`); `store`,
 * `clock`, `logger` and `generateId` are services beside them. Pass the runtime's clock so expiry
 * and the runtime agree on time.
 *
 * ```ts
 * const verifier = createVerifier(tidings, { via: ['telegram', 'sms'], ttlMs: 5 * 60_000 });
 * const { verificationId } = await verifier.start({ to: '+79036550550' });
 * const result = await verifier.check(verificationId, typedByUser); // { status: 'approved', … }
 * ```
 */
export function createVerifier<TChannels extends ChannelMap>(
  tidings: Tidings<TChannels>,
  options: VerifierOptions & VerifierServices = {},
): Verifier<keyof TChannels & string> {
  if (typeof tidings !== 'object' || tidings === null || typeof tidings.send !== 'function') {
    throw new TidingsError(ErrorCode.InvalidOptions, 'createVerifier: the first argument must be a Tidings runtime');
  }
  const plain: Record<string, unknown> = { ...options };
  for (const key of serviceKeys) delete plain[key];
  const container = new Container();
  container.bind(VERIFY_TOKENS.Tidings).toConstantValue(tidings);
  if (options.store !== undefined) container.bind(VERIFY_TOKENS.Store).toConstantValue(options.store);
  if (options.clock !== undefined) container.bind(TOKENS.Clock).toConstantValue(options.clock);
  if (options.logger !== undefined) container.bind(TOKENS.Logger).toConstantValue(options.logger);
  if (options.generateId !== undefined) container.bind(VERIFY_TOKENS.GenerateId).toConstantValue(options.generateId);
  container.load(verifyModule(plain as VerifierOptions));
  return container.get(VERIFY_TOKENS.Verifier) as unknown as Verifier<keyof TChannels & string>;
}
