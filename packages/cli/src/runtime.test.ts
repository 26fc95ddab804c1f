import { silentLogger } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { channelEntry, startSimulator } from './cli.test-helper.js';
import { CliError } from './cli-error.js';
import { createPlugin, parseConfig } from './config.js';
import { ExitCode } from './exit-codes.js';
import { startRuntime } from './runtime.js';

describe('startRuntime', () => {
  it('options the runtime refuses (TIDINGS_INVALID_OPTIONS) are a config error, exit 2, not "could not connect"', async () => {
    const sim = await startSimulator('smsc');
    const config = parseConfig({ channels: { kz: channelEntry('smsc', sim) } }, 'tidings.json', {});
    const channel = config.channels.get('kz');
    if (channel === undefined) throw new Error('no channel');
    const plugin = createPlugin(config, channel);
    const error = await startRuntime([plugin, plugin], [channel], silentLogger, new AbortController().signal).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({ exitCode: ExitCode.Usage, code: 'TIDINGS_INVALID_OPTIONS' });
    expect((error as CliError).message).toContain('invalid configuration (TIDINGS_INVALID_OPTIONS)');
    expect((error as CliError).message).toContain('two plugins are named "kz"');
    expect(sim.pdus({ command: 'bind_transceiver' })).toEqual([]);
  });

  it('an already aborted signal connects nothing (exit 130)', async () => {
    const sim = await startSimulator('smsc');
    const config = parseConfig({ channels: { kz: channelEntry('smsc', sim) } }, 'tidings.json', {});
    const channel = config.channels.get('kz');
    if (channel === undefined) throw new Error('no channel');
    const controller = new AbortController();
    controller.abort();
    await expect(
      startRuntime([createPlugin(config, channel)], [channel], silentLogger, controller.signal),
    ).rejects.toMatchObject({ exitCode: ExitCode.Interrupted });
    expect(sim.pdus({ command: 'bind_transceiver' })).toEqual([]);
  });
});
