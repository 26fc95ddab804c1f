import {
  type ChannelPlugin,
  type ChannelSettings,
  defineChannelPlugin,
  ErrorCode,
  TidingsError,
  validateOptions,
} from '@tidings/core';
import { resolveSmppConnection } from '@tidings/transport-smpp';
import { SmsorgChannel } from './smsorg-channel.js';
import type { SmsorgMessage } from './smsorg-message.js';
import {
  maxTimerMs,
  type ResolvedSmsorgOptions,
  type SmsorgOptions,
  smsorgOptionsSchema,
  toConnectionOptions,
} from './smsorg-options.js';

/**
 * The smsorg.ru channel plugin, for `createTidings({ plugins })`. Options are checked now: a bad
 * one throws `TIDINGS_INVALID_OPTIONS` naming it (never echoing the password).
 *
 * ```ts
 * const sms = smsorgChannel({ systemId: '1234.5', password: process.env.SMSORG_PASSWORD!, sender: 'MyShop' });
 * const tidings = await createTidings({ plugins: [sms] });
 * await tidings.send('smsorg', { to: '+79123456789', text: 'Your code: 4829' });
 * ```
 */
export function smsorgChannel<const TName extends string = 'smsorg'>(
  options: SmsorgOptions<TName>,
): ChannelPlugin<TName, SmsorgMessage> {
  if (!isObject(options)) {
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      'smsorg channel: options must be an object { systemId, password, … }',
    );
  }
  const name = options.name ?? ('smsorg' as TName);
  const owner = `smsorg channel "${name}"`;
  const resolved = validateOptions(smsorgOptionsSchema, options, owner);
  // Whatever the transport would refuse at start is refused now.
  resolveSmppConnection(toConnectionOptions(resolved), owner);
  return defineChannelPlugin({
    name,
    kind: 'smsorg',
    options: resolved,
    settings: settingsOf(resolved),
    channel: SmsorgChannel,
  });
}

/**
 * In active mode, a message whose polling ended without a final state must not wait for the
 * default 24 h receipt deadline: the deadline becomes the longest the polling can take (capped by
 * maxDurationMs) plus one answer's time.
 */
function settingsOf(options: ResolvedSmsorgOptions): ChannelSettings | undefined {
  const receipts = options.receipts;
  if (receipts.mode !== 'active') return options.settings;
  // Each query goes out intervalMs after the previous answer, which takes up to one response
  // timeout: the last query is sent within pollingMs, and answered one response timeout later.
  const perQueryMs = receipts.intervalMs + options.responseTimeoutMs;
  const pollingMs = Math.min(receipts.maxDurationMs, receipts.maxAttempts * perQueryMs);
  const deadlineMs = Math.min(maxTimerMs, pollingMs + options.responseTimeoutMs);
  return {
    ...options.settings,
    receiptTimeoutMs: options.settings?.receiptTimeoutMs ?? deadlineMs,
  };
}

function isObject<T>(value: T): value is T & object {
  return typeof value === 'object' && value !== null;
}
