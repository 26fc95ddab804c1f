import type { MessageBase, MessageHandle, SendOptions } from '@tidings/core';
import type { ServiceIdentifier } from 'inversify';
import type { VerificationStore } from './verification-store.js';
import type { Verifier } from './verifier.js';
import type { ResolvedVerifierOptions } from './verifier-options.js';

/**
 * The part of a Tidings runtime the verifier uses: any `Tidings<…>` is one, whatever its channels.
 * Method syntax on purpose: it lets a runtime with narrower channel names and messages bind here.
 */
export interface CodeSender {
  readonly channels: readonly string[];
  send(
    channel: string | readonly [string, ...string[]],
    message: MessageBase,
    options?: SendOptions,
  ): Promise<MessageHandle>;
}

/**
 * Tokens of `@tidings/verify` in an inversify container, next to core's `TOKENS` (whose `Clock`
 * and `Logger` the verifier also takes). Bind `Tidings` to your runtime, load `verifyModule(options)`,
 * then `container.get(VERIFY_TOKENS.Verifier)`.
 */
export const VERIFY_TOKENS = {
  /** The runtime the codes are sent through; the host binds it. */
  Tidings: Symbol.for('tidings.verify.Tidings') as ServiceIdentifier<CodeSender>,
  /** The verifier's validated options; bound by `verifyModule`. */
  Options: Symbol.for('tidings.verify.Options') as ServiceIdentifier<ResolvedVerifierOptions>,
  /** Where verifications live; `verifyModule` binds an in-memory store unless one is bound. */
  Store: Symbol.for('tidings.verify.Store') as ServiceIdentifier<VerificationStore>,
  /** How verification ids are made; `verifyModule` binds random UUIDs unless one is bound. */
  GenerateId: Symbol.for('tidings.verify.GenerateId') as ServiceIdentifier<() => string>,
  /** The verifier (a singleton). */
  Verifier: Symbol.for('tidings.verify.Verifier') as ServiceIdentifier<Verifier>,
} as const;
