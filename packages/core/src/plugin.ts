import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { Channel } from './channel.js';
import { ErrorCode, TidingsError } from './errors.js';
import type { MessageBase } from './message.js';
import { type ChannelSettings, resolveChannelSettings } from './settings.js';
import { TOKENS } from './tokens.js';

/**
 * What a plugin factory (`telegramChannel(options)`) returns and a host passes to
 * `createTidings({ plugins })`. Plain data plus an inversify module; the type parameters carry the
 * instance name and message shape so `send` is checked at compile time.
 */
export interface ChannelPlugin<TName extends string = string, TMessage extends MessageBase = MessageBase> {
  readonly name: TName;
  readonly kind: string;
  readonly settings: ChannelSettings;
  /** Loaded into the plugin's own container (a child of the runtime's); binds `TOKENS.Channel`. */
  readonly module: ContainerModule;
  /** Type-level only: never set at run time. */
  readonly '~message'?: TMessage;
}

/** The message shape of a plugin. */
export type MessageOf<TPlugin> = TPlugin extends ChannelPlugin<string, infer TMessage> ? TMessage : never;

// biome-ignore lint/suspicious/noExplicitAny: a class whose constructor parameters are all injected.
export type ChannelClass<TMessage extends MessageBase> = new (...args: any[]) => Channel<TMessage>;

export interface DefineChannelPluginInput<TName extends string, TMessage extends MessageBase, TOptions> {
  /** Instance name: letters, digits, `.`, `_`, `-`. */
  readonly name: TName;
  readonly kind: string;
  /** Already validated options; injected into the channel as `TOKENS.ChannelOptions`. */
  readonly options: TOptions;
  readonly settings?: ChannelSettings | undefined;
  /** The channel class; its constructor parameters each carry `@inject(TOKEN)`. */
  readonly channel: ChannelClass<TMessage>;
  /** Extra bindings for this plugin only (transports, codecs), in its own container. */
  readonly register?: (options: ContainerModuleLoadOptions) => void;
}

const instanceName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Builds a {@link ChannelPlugin}: the helper every channel package's factory ends with. */
export function defineChannelPlugin<TName extends string, TMessage extends MessageBase, TOptions>(
  input: DefineChannelPluginInput<TName, TMessage, TOptions>,
): ChannelPlugin<TName, TMessage> {
  if (typeof input.name !== 'string' || !instanceName.test(input.name)) {
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      `${input.kind} channel: option "name" must be 1-64 letters, digits, ".", "_" or "-" starting with a letter or digit (got ${JSON.stringify(input.name)})`,
      { details: { option: 'name' } },
    );
  }
  const settings = input.settings ?? {};
  // Fail at creation, not at start, on bad runtime settings.
  resolveChannelSettings(`${input.kind} channel "${input.name}"`, settings);
  const module = new ContainerModule((load) => {
    load.bind(TOKENS.ChannelName).toConstantValue(input.name);
    load.bind(TOKENS.ChannelOptions).toConstantValue(input.options);
    load.bind(TOKENS.Channel).to(input.channel).inSingletonScope();
    input.register?.(load);
  });
  return Object.freeze({ name: input.name, kind: input.kind, settings, module });
}
