import { type Clock, type Logger, validateOptions } from '@tidings/core';
import { z } from 'zod';
import { maxCodeLength, minCodeLength } from './code-generator.js';
import type { VerificationStore } from './verification-store.js';

const codePlaceholder = '{code}';
const channelName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a channel instance name');
const template = z
  .string({ error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(2000, 'must be at most 2000 characters')
  .refine((text) => text.includes(codePlaceholder), `must contain ${codePlaceholder} where the code goes`);

/** Message fields the verifier sets itself: `messages` cannot override them. */
export const reservedMessageFields: readonly string[] = ['to', 'code', 'text', 'clientRef', 'idempotencyKey'];

/** Extra message fields by channel name, e.g. `{ engagelab: { serviceType: 'CODE', template: { id: '…' } } }`. */
export const channelMessageFields = z.record(
  channelName,
  z
    .record(z.string(), z.json())
    .refine(
      (fields) => !Object.keys(fields).some((field) => reservedMessageFields.includes(field)),
      `must not set ${reservedMessageFields.join(', ')}: the verifier sets them`,
    ),
  { error: 'must map channel names to objects of message fields' },
);

/** `via`: an ordered fallback list of channel names, each once. */
export const channelList = z
  .array(channelName, { error: 'must be a list of channel names' })
  .min(1, 'must name at least one channel')
  .refine((names) => new Set(names).size === names.length, 'must not name a channel twice');

/** The zod schema behind {@link VerifierOptions}; `createVerifier` and `verifyModule` apply it. */
export const verifierOptionsSchema = z
  .strictObject({
    via: channelList.optional(),
    codeLength: z
      .int({ error: 'must be a whole number of digits' })
      .min(minCodeLength, `must be ${minCodeLength} to ${maxCodeLength} digits`)
      .max(maxCodeLength, `must be ${minCodeLength} to ${maxCodeLength} digits`)
      .default(6),
    ttlMs: z
      .int()
      .min(1_000, 'must be at least 1000 ms')
      .max(86_400_000, 'must be at most a day')
      .default(10 * 60_000),
    maxAttempts: z.int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(5),
    resendCooldownMs: z.int().min(0).max(86_400_000, 'must be at most a day').default(30_000),
    maxSends: z.int().min(1, 'must be at least 1 (the first code)').max(100, 'must be at most 100').default(5),
    startsPerRecipient: z
      .union([
        z.literal(false),
        z.strictObject({
          max: z.int().min(1).max(100_000).default(5),
          windowMs: z
            .int()
            .min(1_000, 'must be at least 1000 ms')
            .max(7 * 86_400_000, 'must be at most a week')
            .default(3_600_000),
        }),
      ])
      .prefault({}),
    fallbackAfterMs: z.int().min(1, 'must be a positive number of milliseconds').optional(),
    text: template.default(`Your code: ${codePlaceholder}`),
    texts: z.record(z.string().min(1, 'locale must not be empty'), template).default({}),
    messages: channelMessageFields.default({}),
    pepper: z
      .string({ error: 'must be a string' })
      .min(16, 'must be at least 16 characters (a random server secret)')
      .max(1024, 'must be at most 1024 characters')
      .optional(),
  })
  .superRefine((options, context) => {
    // A fallback after the code expired would deliver a dead code.
    if (options.fallbackAfterMs !== undefined && options.fallbackAfterMs >= options.ttlMs) {
      context.addIssue({
        code: 'custom',
        path: ['fallbackAfterMs'],
        message: `must be less than ttlMs (${options.ttlMs} ms): a fallback after the code expired sends a dead code`,
      });
    }
  });

/**
 * The verifier's options: plain data (a config file can hold them), checked when the verifier is
 * created. Durations in milliseconds.
 */
export interface VerifierOptions {
  /** Default channels, in fallback order, for `start` calls without `via`. */
  readonly via?: readonly string[] | undefined;
  /** Digits per code, 4-10. Default 6. */
  readonly codeLength?: number | undefined;
  /** How long a code is accepted. Default 10 minutes. */
  readonly ttlMs?: number | undefined;
  /** Checks allowed per verification, across resends. Default 5. */
  readonly maxAttempts?: number | undefined;
  /** Least time between two sends of a verification. Default 30 s. */
  readonly resendCooldownMs?: number | undefined;
  /** Most codes sent per verification, the first included. Default 5. */
  readonly maxSends?: number | undefined;
  /**
   * Most verifications started per recipient within a sliding window; `false` for none.
   * Default 5 per hour.
   */
  readonly startsPerRecipient?:
    | false
    | { readonly max?: number | undefined; readonly windowMs?: number | undefined }
    | undefined;
  /**
   * With several channels: move on to the next when the current one has not delivered within
   * this time (core's `fallbackAfterMs`). Default 60 s, but at most half the code's TTL. When
   * given, it must be less than `ttlMs` (refused here), and than a `start`'s own `ttlMs` when it
   * sends through several channels (that `start` is refused): a later fallback sends a dead code.
   */
  readonly fallbackAfterMs?: number | undefined;
  /** The message text; `{code}` stands for the code. Default `Your code: {code}`. */
  readonly text?: string | undefined;
  /** Texts by locale (`ru`, `pt-BR`); a `start` with `locale` picks one, else `text`. */
  readonly texts?: Readonly<Record<string, string>> | undefined;
  /**
   * Extra message fields by channel, for channels that need more than `{ to, code, text }`:
   * `{ engagelab: { serviceType: 'CODE', template: { id: 'otp-template' } } }`. Added to the
   * message when that channel is in the send's `via`. Core sends ONE message down a fallback list,
   * so every channel of the list gets every listed channel's fields (each reads only its own);
   * two channels of one list giving one field different values is refused at `start`. Plain JSON;
   * `to`, `code`, `text`, `clientRef`, `idempotencyKey` are the verifier's.
   */
  readonly messages?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined;
  /**
   * A server secret keying the code hashes (HMAC), kept outside the store: a store dump is then of
   * no use without it. At least 16 characters. Never logged.
   */
  readonly pepper?: string | undefined;
}

/** The fallback delay for a code living `ttlMs`: the option, else 60 s but at most half the TTL. */
export function fallbackDelay(options: ResolvedVerifierOptions, ttlMs: number): number {
  return options.fallbackAfterMs ?? Math.min(60_000, Math.floor(ttlMs / 2));
}

/** The options with defaults filled in. */
export type ResolvedVerifierOptions = z.output<typeof verifierOptionsSchema>;

/** Services the verifier uses; not plain data, so apart from the options. */
export interface VerifierServices {
  /** Default: a new {@link InMemoryVerificationStore}. */
  readonly store?: VerificationStore | undefined;
  /**
   * Default: core's `systemClock`. The runtime does not expose its clock: pass the one you gave
   * `createTidings` (a test's ManualClock) so expiry and the runtime agree on time.
   */
  readonly clock?: Clock | undefined;
  /** Default: core's `silentLogger`. Never given a code or the pepper. */
  readonly logger?: Logger | undefined;
  /** How verification ids are made. Default: random UUIDs. */
  readonly generateId?: (() => string) | undefined;
}

/** Validates the options; throws `TIDINGS_INVALID_OPTIONS` naming each bad option, never echoing the pepper. */
export function resolveVerifierOptions(options: VerifierOptions | undefined): ResolvedVerifierOptions {
  return validateOptions(verifierOptionsSchema, options ?? {}, 'verifier');
}
