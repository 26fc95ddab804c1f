import { ErrorCode, TidingsError } from './errors.js';
import { checkRetryPolicy, defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

/**
 * What to do with an ambiguous outcome (the request was written, then a timeout or a lost
 * connection: the provider may or may not have the message).
 * - `retry` (default): send again. A duplicate is possible, but nothing is silently lost; for OTP
 *   codes a second copy of the same code is harmless while a lost one locks a user out.
 * - `fail`: end the message with the error; choose it where duplicates cost more than losses.
 */
export type AmbiguousOutcomePolicy = 'retry' | 'fail';

/** Per-channel runtime behaviour. A plugin sets defaults; a host may override them. */
export interface ChannelSettings {
  readonly retry?: Partial<RetryPolicy>;
  readonly ambiguous?: AmbiguousOutcomePolicy;
  /** Sends handed to the channel at once (its window). */
  readonly maxInFlight?: number;
  /** Messages waiting for this channel before `send` refuses more with `TIDINGS_QUEUE_FULL`. */
  readonly maxQueued?: number;
  /** Deadline for one send attempt, in case the channel never answers. */
  readonly submitTimeoutMs?: number;
  /** How long to wait for a delivery receipt before ending the message with `TIDINGS_RECEIPT_TIMEOUT`. */
  readonly receiptTimeoutMs?: number;
}

export interface ResolvedChannelSettings {
  readonly retry: RetryPolicy;
  readonly ambiguous: AmbiguousOutcomePolicy;
  readonly maxInFlight: number;
  readonly maxQueued: number;
  readonly submitTimeoutMs: number;
  readonly receiptTimeoutMs: number;
}

export const defaultChannelSettings: ResolvedChannelSettings = Object.freeze({
  retry: defaultRetryPolicy,
  ambiguous: 'retry',
  maxInFlight: 100,
  maxQueued: 100_000,
  submitTimeoutMs: 60_000,
  receiptTimeoutMs: 24 * 60 * 60 * 1000,
});

/** Layers settings (later ones win) over the defaults and checks the result. */
export function resolveChannelSettings(
  owner: string,
  ...layers: ReadonlyArray<ChannelSettings | undefined>
): ResolvedChannelSettings {
  let retry: RetryPolicy = defaultChannelSettings.retry;
  let resolved: ResolvedChannelSettings = defaultChannelSettings;
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.retry !== undefined && layer.retry !== null && typeof layer.retry !== 'object') {
      const got = typeof layer.retry;
      throw new TidingsError(ErrorCode.InvalidOptions, `${owner}: retry must be an object (got ${got})`, {
        details: { option: 'retry' },
      });
    }
    if (layer.retry) {
      checkRetryPolicy(layer.retry, owner);
      retry = { ...retry, ...definedOnly(layer.retry) };
    }
    resolved = { ...resolved, ...definedOnly(layer), retry };
  }
  const positiveInteger = (field: keyof ResolvedChannelSettings, value: number): void => {
    if (!(Number.isInteger(value) && value >= 1))
      throw new TidingsError(ErrorCode.InvalidOptions, `${owner}: ${field} must be an integer ≥ 1 (got ${value})`, {
        details: { option: field },
      });
  };
  positiveInteger('maxInFlight', resolved.maxInFlight);
  positiveInteger('maxQueued', resolved.maxQueued);
  positiveInteger('submitTimeoutMs', resolved.submitTimeoutMs);
  positiveInteger('receiptTimeoutMs', resolved.receiptTimeoutMs);
  if (resolved.ambiguous !== 'retry' && resolved.ambiguous !== 'fail')
    throw new TidingsError(ErrorCode.InvalidOptions, `${owner}: ambiguous must be 'retry' or 'fail'`, {
      details: { option: 'ambiguous' },
    });
  return resolved;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
