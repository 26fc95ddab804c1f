import { type ChannelPlugin, type ChannelSettings, defineChannelPlugin, validateOptions } from '@tidings/core';
import { resolveSmppConnection } from '@tidings/transport-smpp';
import type { SmscMessage } from './message.js';
import { type SmscOptions, smscOptionsSchema, toConnectionOptions } from './options.js';
import { SmscChannel } from './smsc-channel.js';

/**
 * The SMSC channel plugin, for `createTidings({ plugins: [smscChannel({ systemId, password })] })`.
 * Options are checked now: a bad one throws `TIDINGS_INVALID_OPTIONS` naming it (never echoing the
 * password). Name instances to run several accounts: `smscChannel({ name: 'bulk', … })`.
 */
export function smscChannel<const TName extends string = 'smsc'>(
  options: SmscOptions & { readonly name?: TName | undefined },
): ChannelPlugin<TName, SmscMessage> {
  const name = ((typeof options === 'object' && options !== null ? options.name : undefined) ?? 'smsc') as TName;
  const owner = `smsc channel ${JSON.stringify(name)}`;
  const resolved = validateOptions(smscOptionsSchema, options, owner);
  // The transport's own checks, so the config fails now rather than at start.
  resolveSmppConnection(toConnectionOptions(resolved), owner);
  // One session per connection, each with its window: let the runtime hand over that many sends.
  const settings: ChannelSettings = {
    maxInFlight: resolved.window * resolved.binds,
    ...resolved.settings,
  };
  return defineChannelPlugin({
    name,
    kind: 'smsc',
    options: Object.freeze(resolved),
    settings,
    channel: SmscChannel,
  });
}
