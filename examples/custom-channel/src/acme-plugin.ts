import { type ChannelPlugin, type ChannelSettings, defineChannelPlugin, validateOptions } from '@tidings/core';
import { resolveSmppConnection } from '@tidings/transport-smpp';
import { AcmeChannel } from './acme-channel.js';
import type { AcmeMessage } from './acme-message.js';
import { type AcmeOptions, acmeOptionsSchema, connectionOptions, type ResolvedAcmeOptions } from './acme-options.js';

/**
 * An Acme SMS channel, to pass to `createTidings({ plugins })`. Validates the options now: a bad
 * config throws `TIDINGS_INVALID_OPTIONS` naming each option, never echoing the password.
 *
 * ```ts
 * const tidings = await createTidings({
 *   plugins: [acmeChannel({ host, systemId, password, sender: 'Acme' })],
 * });
 * const handle = await tidings.send('acme', { to: '+4915112345678', code: '482913', text: 'Your Acme code: {code}' });
 * const end = await handle.settled; // delivered | undelivered | expired | rejected | failed …
 * ```
 */
export function acmeChannel<const TName extends string = 'acme'>(
  options: AcmeOptions & { readonly name?: TName | undefined },
): ChannelPlugin<TName, AcmeMessage> {
  const named = typeof options === 'object' && options !== null && typeof options.name === 'string';
  const owner = `acme channel ${JSON.stringify(named ? options.name : 'acme')}`;
  const resolved: ResolvedAcmeOptions = validateOptions(acmeOptionsSchema, options, owner);
  // The transport's own checks, so a bad config fails now rather than at start.
  resolveSmppConnection(connectionOptions(resolved), owner);
  return defineChannelPlugin({
    name: resolved.name as TName,
    kind: 'acme',
    options: resolved,
    settings: resolved.settings as ChannelSettings | undefined,
    channel: AcmeChannel,
  });
}
