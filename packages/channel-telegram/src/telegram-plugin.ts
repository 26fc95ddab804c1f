import { type ChannelPlugin, type ChannelSettings, defineChannelPlugin, validateOptions } from '@tidings/core';
import { resolveSmppConnection } from '@tidings/transport-smpp';
import { TelegramChannel } from './telegram-channel.js';
import type { TelegramMessage } from './telegram-message.js';
import {
  connectionOptions,
  type ResolvedTelegramOptions,
  type TelegramOptions,
  telegramOptionsSchema,
} from './telegram-options.js';

/**
 * A Telegram Gateway channel, to pass to `createTidings({ plugins })`. Validates the options now:
 * a bad config throws `TIDINGS_INVALID_OPTIONS` naming each option, never echoing the password.
 *
 * ```ts
 * const tidings = await createTidings({
 *   plugins: [telegramChannel({ host, port, systemId, password, sender: 'MyService', validitySeconds: 300 })],
 * });
 * await tidings.send('telegram', { to: '+79036550550', code: '123456', text: 'Your code: {code}' });
 * ```
 */
export function telegramChannel<const TName extends string = 'telegram'>(
  options: TelegramOptions & { readonly name?: TName | undefined },
): ChannelPlugin<TName, TelegramMessage> {
  const named = typeof options === 'object' && options !== null && typeof options.name === 'string';
  const owner = `telegram channel ${JSON.stringify(named ? options.name : 'telegram')}`;
  const resolved = validateOptions(telegramOptionsSchema, options, owner) as ResolvedTelegramOptions;
  // The transport's own checks, so the config fails now rather than at start.
  resolveSmppConnection(connectionOptions(resolved), owner);
  return defineChannelPlugin({
    name: resolved.name as TName,
    kind: 'telegram',
    options: resolved,
    settings: resolved.settings as ChannelSettings | undefined,
    channel: TelegramChannel,
  });
}
