import { type ChannelPlugin, type ChannelSettings, defineChannelPlugin, validateOptions } from '@tidings/core';
import { resolveSmppConnection } from '@tidings/transport-smpp';
import { EngageLabChannel } from './engagelab-channel.js';
import type { EngageLabMessage } from './engagelab-message.js';
import { type EngageLabOptions, engagelabOptionsSchema, toConnectionOptions } from './engagelab-options.js';

/**
 * The EngageLab channel plugin, for `createTidings({ plugins: [engagelabChannel({...})] })`.
 * Checks the options now (a bad config throws `TIDINGS_INVALID_OPTIONS` naming each option) and
 * never echoes the password.
 *
 * ```ts
 * engagelabChannel({ port: 2775, systemId: 'acme', password: process.env.ENGAGELAB_PASSWORD ?? '' });
 * ```
 */
export function engagelabChannel<const TName extends string = 'engagelab'>(
  options: EngageLabOptions & { readonly name?: TName | undefined },
): ChannelPlugin<TName, EngageLabMessage> {
  const named = typeof options === 'object' && options !== null && typeof options.name === 'string';
  const owner = `engagelab channel ${JSON.stringify(named ? options.name : 'engagelab')}`;
  const resolved = validateOptions(engagelabOptionsSchema, options, owner);
  // The transport's own checks, so the config fails now rather than at start.
  resolveSmppConnection(toConnectionOptions(resolved), owner);
  return defineChannelPlugin({
    name: resolved.name as TName,
    kind: 'engagelab',
    options: resolved,
    settings: resolved.settings as ChannelSettings | undefined,
    channel: EngageLabChannel,
  });
}
