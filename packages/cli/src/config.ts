import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ChannelPlugin, TidingsError } from '@tidings/core';
import { CliError } from './cli-error.js';
import { type ConfigPath, formatPath, substituteEnv } from './env-substitution.js';
import { ExitCode } from './exit-codes.js';
import { isPluginName, type PluginName, pluginNames, plugins } from './plugin-catalog.js';
import { typeReferences } from './typed-references.js';

/** One channel instance of the config file: which plugin, and that plugin's options. */
export interface ChannelConfig {
  readonly name: string;
  readonly plugin: PluginName;
  /** The plugin's options, `${VAR}` already substituted (`name` comes from the key). */
  readonly options: Readonly<Record<string, unknown>>;
}

/** A loaded config file. */
export interface TidingsConfig {
  /** Where it came from, for messages: the path as given. */
  readonly source: string;
  /** The instances loaded: every one of the file, or those asked for ({@link LoadConfigOptions.channels}). */
  readonly channels: ReadonlyMap<string, ChannelConfig>;
}

export interface LoadConfigOptions {
  /** For `${VAR}`. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Relative paths start here. Default `process.cwd()`. */
  readonly cwd?: string;
  /**
   * Only these instances are substituted and checked (an unknown name is an error), so a broken
   * instance the command does not use stops nothing. Default: every instance.
   */
  readonly channels?: readonly string[];
}

/** A config file read and its shape checked; no instance substituted or checked yet. */
export interface ConfigFile {
  readonly source: string;
  /** Each instance's entry as written, by name, in file order. */
  readonly entries: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

// As core's defineChannelPlugin: checked here so the message names the config key.
const instanceName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Reads a config file `{ "channels": { "<name>": { "plugin": "telegram", ...options } } }`,
 * substitutes `${VAR}` from the environment and checks each instance's options with its
 * plugin's own schema, so a bad file fails before anything connects. Errors are {@link CliError}s
 * naming the file, the instance and the option (`channels.tg.port`), never showing a secret.
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<TidingsConfig> {
  const file = await readConfigFile(path, options.cwd ?? process.cwd());
  return resolveChannels(file, options.channels ?? [...file.entries.keys()], options.env ?? process.env);
}

/** {@link loadConfig} on an already parsed value. */
export function parseConfig(
  value: unknown,
  source: string,
  env: Readonly<Record<string, string | undefined>>,
  channels?: readonly string[],
): TidingsConfig {
  const file = parseConfigFile(value, source);
  return resolveChannels(file, channels ?? [...file.entries.keys()], env);
}

/** The file read and its shape checked (JSON, `channels`, instance names); nothing substituted. */
export async function readConfigFile(path: string, cwd: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new CliError(ExitCode.Usage, `config ${path}: cannot read it (${reason})`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new CliError(ExitCode.Usage, `config ${path}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  return parseConfigFile(parsed, path);
}

function parseConfigFile(value: unknown, source: string): ConfigFile {
  const fail = (message: string): never => {
    throw new CliError(ExitCode.Usage, `config ${source}: ${message}`);
  };
  if (!isObject(value)) return fail('must be a JSON object { "channels": { … } }');
  for (const key of Object.keys(value)) {
    if (key !== 'channels' && key !== '$schema') fail(`unknown top-level key "${key}" (only "channels" is read)`);
  }
  const channels = value.channels;
  if (!isObject(channels) || Object.keys(channels).length === 0) {
    return fail('"channels" must be an object with at least one channel instance: { "<name>": { "plugin": … } }');
  }
  const entries = new Map<string, Record<string, unknown>>();
  for (const [name, raw] of Object.entries(channels)) {
    const at = `channels.${name}`;
    if (!instanceName.test(name)) {
      fail(`${at}: an instance name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
    }
    if (!isObject(raw)) return fail(`${at} must be an object { "plugin": …, options… }`);
    entries.set(name, raw);
  }
  return { source, entries };
}

/**
 * The instance the command uses: `name`, or the only one of the file; else a usage error listing
 * the instances there are.
 */
export function chooseChannel(file: ConfigFile, name: string | undefined): string {
  return pickName(file.source, [...file.entries.keys()], name);
}

/** Substitutes `${VAR}` in the named instances only, and checks each with its plugin's schema. */
export function resolveChannels(
  file: ConfigFile,
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): TidingsConfig {
  const out = new Map<string, ChannelConfig>();
  for (const name of new Set(names)) {
    const entry = file.entries.get(pickName(file.source, [...file.entries.keys()], name));
    if (entry !== undefined) out.set(name, resolveChannel(file.source, name, entry, env));
  }
  return { source: file.source, channels: out };
}

function resolveChannel(
  source: string,
  name: string,
  entry: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
): ChannelConfig {
  const at = `channels.${name}`;
  const fail = (message: string): never => {
    throw new CliError(ExitCode.Usage, `config ${source}: ${message}`);
  };
  // The whole entry, `plugin` included: any string may come from the environment.
  const wholeReferences: ConfigPath[] = [];
  const substituted = substituteEnv(entry, env, `config ${source}`, ['channels', name], wholeReferences) as Record<
    string,
    unknown
  >;
  const { plugin, ...rest } = substituted;
  if (!isPluginName(plugin)) {
    const got = plugin === undefined ? 'is missing' : `is ${JSON.stringify(plugin)}`;
    return fail(`${at}.plugin ${got}: use one of ${pluginNames.map((p) => `"${p}"`).join(', ')}`);
  }
  if ('name' in rest) fail(`${at}.name: the instance name is the key ("${name}"); remove "name"`);
  const optionPaths = wholeReferences.map((path) => path.slice(2));
  const options = typeReferences(plugins[plugin].schema, rest, name, optionPaths);
  checkOptions(plugin, name, options, source);
  return { name, plugin, options };
}

/** The plugin's schema on the options; every issue named `channels.<name>.<option>`. */
export function checkOptions(
  plugin: PluginName,
  name: string,
  options: Readonly<Record<string, unknown>>,
  source: string,
): void {
  const result = plugins[plugin].schema['~standard'].validate({ ...options, name });
  if (result instanceof Promise || !result.issues) return;
  const lines = result.issues.map((issue) => {
    const path = (issue.path ?? []).map((segment) => (typeof segment === 'object' ? segment.key : segment));
    return `channels.${name}${path.length === 0 ? '' : `.${formatPath(path)}`}: ${issue.message}`;
  });
  throw new CliError(
    ExitCode.Usage,
    scrub(`config ${source}: invalid options for ${plugin} channel "${name}"\n  - ${lines.join('\n  - ')}`, options, [
      name,
    ]),
  );
}

/** The instance `name` of the config, or a usage error listing the ones there are. */
export function channelConfig(config: TidingsConfig, name: string | undefined): ChannelConfig {
  const picked = pickName(config.source, [...config.channels.keys()], name);
  return config.channels.get(picked) as ChannelConfig;
}

function pickName(source: string, names: readonly string[], name: string | undefined): string {
  const listed = names.map((known) => `"${known}"`).join(', ');
  if (name === undefined) {
    const [only, ...others] = names;
    if (only !== undefined && others.length === 0) return only;
    throw new CliError(
      ExitCode.Usage,
      `config ${source} has ${names.length} channels: choose one with --channel (${listed})`,
    );
  }
  if (!names.includes(name))
    throw new CliError(ExitCode.Usage, `unknown channel "${name}": config ${source} has ${listed}`);
  return name;
}

/**
 * The channel plugin of one instance, from its package's factory. Anything the factory still
 * refuses (checks beyond the schema) is reported under the instance's name.
 */
export function createPlugin(config: TidingsConfig, channel: ChannelConfig): ChannelPlugin {
  try {
    return plugins[channel.plugin].create({ ...channel.options, name: channel.name });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(
      ExitCode.Usage,
      scrub(`config ${config.source}: channels.${channel.name}: ${message}`, channel.options, [channel.name]),
      { cause: TidingsError.is(error) ? error : undefined },
    );
  }
}

/** The instance with `startTimeoutMs` set (`--connect-timeout`); as it is when `startTimeoutMs` is undefined. */
export function withStartTimeout(channel: ChannelConfig, startTimeoutMs: number | undefined): ChannelConfig {
  return startTimeoutMs === undefined ? channel : { ...channel, options: { ...channel.options, startTimeoutMs } };
}

const secretKey = /pass(word)?|secret|token|api[-_]?key|private[-_]?key|^(key|pfx)$|credential/i;

/** Shorter values are left alone: masking them would garble ordinary words of the message. */
const minSecretLength = 4;

/**
 * Belt and braces: the plugins' messages never quote a value, but a message built here must not
 * carry a secret from the config either, whatever a future plugin writes. A secret is masked
 * where it stands as a whole token (not inside a longer word), and never where it is one of
 * `keep` (the instance names the message must still show).
 */
export function scrub(message: string, options: unknown, keep: readonly string[] = []): string {
  let out = message;
  for (const secret of new Set(secrets(options))) {
    if (secret.length < minSecretLength || keep.includes(secret)) continue;
    const token = new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(secret)}(?![\\p{L}\\p{N}_])`, 'gu');
    out = out.replace(token, '***');
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function secrets(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) secrets(item, found);
  else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (secretKey.test(key) && typeof inner === 'string') found.push(inner);
      else secrets(inner, found);
    }
  }
  return found;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
