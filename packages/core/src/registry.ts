import type { MessageBase } from './message.js';
import type { ChannelPlugin, MessageOf } from './plugin.js';

/**
 * Channel name → message shape, for code that types a `Tidings` without naming its plugins.
 * Channel packages augment it with their default instance name:
 *
 * ```ts
 * declare module '@tidings/core' {
 *   interface ChannelRegistry { telegram: TelegramMessage }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by module augmentation.
export interface ChannelRegistry {}

/** Name → message shape of a runtime's channels. */
export type ChannelMap = { readonly [name: string]: MessageBase };

/** The registry, or any name when nothing augmented it. */
export type RegisteredChannels = keyof ChannelRegistry extends never
  ? ChannelMap
  : { readonly [K in keyof ChannelRegistry]: ChannelRegistry[K] & MessageBase };

/** The channel map inferred from a list of plugins. */
export type ChannelsOf<TPlugins extends readonly ChannelPlugin[]> = {
  readonly [P in TPlugins[number] as P['name']]: MessageOf<P>;
};

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;

/**
 * The message accepted by `send(channels, message)`: with a fallback list the message must fit
 * every channel of the list.
 */
export type MessageFor<TChannels extends ChannelMap, TName extends keyof TChannels> =
  UnionToIntersection<Boxed<TChannels, TName>> extends { readonly message: infer TMessage extends MessageBase }
    ? TMessage
    : never;

/** Boxing keeps a channel whose message is itself a union whole: only the names are intersected. */
type Boxed<TChannels extends ChannelMap, TName extends keyof TChannels> = TName extends unknown
  ? { readonly message: TChannels[TName] }
  : never;
