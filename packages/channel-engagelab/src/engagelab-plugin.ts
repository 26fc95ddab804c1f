import { type ChannelPlugin, defineChannelPlugin, validateOptions } from '@tidings/core';
import { EngageLabChannel } from './engagelab-channel.js';
import type { EngageLabMessage } from './engagelab-message.js';
import { type EngageLabChannelOptions, engagelabOptionsSchema } from './engagelab-options.js';

/**
 * The EngageLab channel plugin, for `createTidings({ plugins: [engagelabChannel({...})] })`.
 * Checks the options now (a bad config fails at startup, naming the option) and never echoes
 * the password.
 *
 * ```ts
 * engagelabChannel({ port: 2775, systemId: 'acme', password: process.env.ENGAGELAB_PASSWORD });
 * ```
 */
export function engagelabChannel<const TName extends string = 'engagelab'>(
  options: EngageLabChannelOptions<TName>,
): ChannelPlugin<TName, EngageLabMessage> {
  const name = (typeof options === 'object' && options !== null && options.name) || 'engagelab';
  const resolved = validateOptions(engagelabOptionsSchema, options, `engagelab channel "${name}"`);
  return defineChannelPlugin({
    name: name as TName,
    kind: 'engagelab',
    options: resolved,
    settings: resolved.settings,
    channel: EngageLabChannel,
  });
}
