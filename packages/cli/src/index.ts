export type { BulkFailure, BulkSummary } from './bulk-command.js';
export { buildProgram, runCli } from './cli.js';
export { CliError } from './cli-error.js';
export {
  type ChannelConfig,
  channelConfig,
  createPlugin,
  type LoadConfigOptions,
  loadConfig,
  parseConfig,
  type TidingsConfig,
} from './config.js';
export { ExitCode } from './exit-codes.js';
export type { CliIo, CliOutput } from './io.js';
export { type PluginName, pluginNames } from './plugin-catalog.js';
