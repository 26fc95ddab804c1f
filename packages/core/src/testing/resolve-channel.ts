import 'reflect-metadata';
import { Container } from 'inversify';
import type { Channel } from '../channel.js';
import { type Clock, systemClock } from '../clock.js';
import { type Logger, silentLogger } from '../logger.js';
import type { MessageBase } from '../message.js';
import type { ChannelPlugin } from '../plugin.js';
import { TOKENS } from '../tokens.js';

/**
 * Builds a plugin's channel in a container of its own, as the runtime would, without starting it:
 * for unit tests of a channel's validation and mapping.
 */
export function resolveChannel<TMessage extends MessageBase>(
  plugin: ChannelPlugin<string, TMessage>,
  services: { readonly clock?: Clock; readonly logger?: Logger } = {},
): Channel<TMessage> {
  const root = new Container();
  root.bind(TOKENS.Clock).toConstantValue(services.clock ?? systemClock);
  root.bind(TOKENS.Logger).toConstantValue(services.logger ?? silentLogger);
  const scope = new Container({ parent: root });
  scope.load(plugin.module);
  return scope.get(TOKENS.Channel) as Channel<TMessage>;
}
