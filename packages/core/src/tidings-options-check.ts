import { ErrorCode, TidingsError } from './errors.js';
import type { ChannelPlugin } from './plugin.js';

/**
 * Checks `createTidings` options the compiler cannot check for JavaScript callers, before any
 * plugin is created: each mistake is a `TIDINGS_INVALID_OPTIONS` naming the option, never a
 * TypeError at the first send. Returns the plugin list.
 */
export function checkTidingsOptions(options: unknown): readonly ChannelPlugin[] {
  if (!isObject(options)) {
    throw invalid('options', 'createTidings: pass an options object, e.g. { plugins: [smsChannel({ … })] }');
  }
  const plugins = options.plugins;
  if (!Array.isArray(plugins) || plugins.length === 0) {
    throw invalid('plugins', 'createTidings: "plugins" must list at least one channel plugin');
  }
  const names = new Set<string>();
  plugins.forEach((plugin: unknown, index) => {
    if (!isChannelPlugin(plugin)) {
      throw invalid(
        `plugins[${index}]`,
        `createTidings: plugins[${index}] is not a channel plugin (make one with defineChannelPlugin or a channel's factory)`,
      );
    }
    if (names.has(plugin.name)) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `createTidings: two plugins are named "${plugin.name}"; give each instance its own "name"`,
        { details: { option: 'plugins', channel: plugin.name } },
      );
    }
    names.add(plugin.name);
  });

  expectMethods(options, 'store', ['create', 'update', 'get', 'findByIdempotencyKey', 'correlate', 'resolve']);
  expectMethods(options, 'clock', ['now', 'setTimeout']);
  expectMethods(options, 'logger', ['debug', 'info', 'warn', 'error']);
  if (options.defaults !== undefined && !isObject(options.defaults)) {
    throw invalid('defaults', 'createTidings: "defaults" must be an object of channel settings');
  }
  const perChannel = options.channelSettings;
  if (perChannel !== undefined) {
    if (!isObject(perChannel)) {
      throw invalid('channelSettings', 'createTidings: "channelSettings" must map channel names to settings');
    }
    for (const name of Object.keys(perChannel)) {
      // A typo here would silently leave a channel on its defaults.
      if (!names.has(name)) {
        throw invalid(
          `channelSettings.${name}`,
          `createTidings: "channelSettings" names "${name}", but no plugin has that name (plugins: ${[...names].join(', ')})`,
        );
      }
      if (!isObject(perChannel[name])) {
        throw invalid(`channelSettings.${name}`, `createTidings: "channelSettings.${name}" must be an object`);
      }
    }
  }
  if (options.modules !== undefined && !Array.isArray(options.modules)) {
    throw invalid('modules', 'createTidings: "modules" must be an array of inversify ContainerModules');
  }
  const retention = options.idempotencyRetentionMs;
  if (retention !== undefined && !(typeof retention === 'number' && Number.isFinite(retention) && retention >= 0)) {
    throw invalid(
      'idempotencyRetentionMs',
      'createTidings: "idempotencyRetentionMs" must be a number of milliseconds ≥ 0',
    );
  }
  if (options.generateId !== undefined && typeof options.generateId !== 'function') {
    throw invalid('generateId', 'createTidings: "generateId" must be a function returning a new id');
  }
  return plugins as readonly ChannelPlugin[];
}

function isChannelPlugin(value: unknown): value is ChannelPlugin {
  return (
    isObject(value) &&
    typeof value.name === 'string' &&
    value.name !== '' &&
    typeof value.kind === 'string' &&
    isObject(value.module)
  );
}

function expectMethods(options: Record<string, unknown>, option: string, methods: readonly string[]): void {
  const value = options[option];
  if (value === undefined) return;
  const missing = isObject(value) ? methods.filter((method) => typeof value[method] !== 'function') : methods;
  if (missing.length > 0) {
    throw invalid(
      option,
      `createTidings: "${option}" must be an object with ${methods.join(', ')} (missing: ${missing.join(', ')})`,
    );
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function invalid(option: string, message: string): TidingsError {
  return new TidingsError(ErrorCode.InvalidOptions, message, { details: { option } });
}
