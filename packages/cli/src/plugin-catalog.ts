import { engagelabChannel, engagelabOptionsSchema } from '@tidings/channel-engagelab';
import { smscChannel, smscOptionsSchema } from '@tidings/channel-smsc';
import { smsorgChannel, smsorgOptionsSchema } from '@tidings/channel-smsorg';
import { telegramChannel, telegramOptionsSchema } from '@tidings/channel-telegram';
import type { ChannelPlugin } from '@tidings/core';

/** The `plugin` values a config may name. */
export const pluginNames = ['telegram', 'smsc', 'engagelab', 'smsorg'] as const;
export type PluginName = (typeof pluginNames)[number];

/** The part of a Standard Schema (zod here) the config loader uses: synchronous validation with paths. */
export interface OptionSchema {
  readonly '~standard': {
    validate(value: unknown): OptionSchemaResult | Promise<OptionSchemaResult>;
  };
}

export type OptionSchemaResult =
  | { readonly value: unknown; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
      }>;
    };

export interface PluginEntry {
  /** The channel package's factory (`telegramChannel`…), taking the config entry's options. */
  readonly create: (options: Record<string, unknown>) => ChannelPlugin;
  /** The package's own option schema: checked here first, so each issue can be named `channels.<name>.<option>`. */
  readonly schema: OptionSchema;
}

// Each factory is generic over its instance name; the config gives names at run time.
type AnyFactory = (options: Record<string, unknown>) => ChannelPlugin;

export const plugins: Readonly<Record<PluginName, PluginEntry>> = {
  telegram: { create: telegramChannel as unknown as AnyFactory, schema: telegramOptionsSchema },
  smsc: { create: smscChannel as unknown as AnyFactory, schema: smscOptionsSchema },
  engagelab: { create: engagelabChannel as unknown as AnyFactory, schema: engagelabOptionsSchema },
  smsorg: { create: smsorgChannel as unknown as AnyFactory, schema: smsorgOptionsSchema },
};

export function isPluginName(value: unknown): value is PluginName {
  return typeof value === 'string' && (pluginNames as readonly string[]).includes(value);
}
