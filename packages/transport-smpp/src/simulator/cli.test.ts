import { fileURLToPath } from 'node:url';
import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLI_USAGE, startSimulatorCli } from './cli.js';
import { connectClient } from './raw-client.test-helper.js';

describe('tidings-smsc-simulator CLI', () => {
  it('starts with the given account, logs binds and submits, never the password', async () => {
    const lines: string[] = [];
    const sim = await startSimulatorCli(
      ['--port', '0', '--system-id', 'cli', '--password', 'pw-cli', '--receipt-delay-ms', '0'],
      (line) => lines.push(line),
    );
    if (sim === undefined) throw new Error('the CLI did not start');
    onTestFinished(() => sim.stop());
    expect(sim.host).toBe('127.0.0.1');
    const client = await connectClient(sim);
    expect((await client.bind('transceiver', 'cli', 'pw-cli')).command_status).toBe(0);
    const { message_id } = await client.submit({ registered_delivery: 1 });
    await client.deliverSm();
    expect(lines).toContainEqual(expect.stringMatching(/^info accepting system_id=cli on 127\.0\.0\.1:\d+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^info smsc simulator: bound .*"systemId":"cli"/));
    expect(lines).toContainEqual(expect.stringContaining(`status=ESME_ROK (0x00000000) message_id=${message_id}`));
    expect(lines).toContainEqual(`info receipt session=#1 message_id=${message_id}`);
    expect(lines.join('\n')).not.toContain('pw-cli');
  });

  it('serves TLS with --tls-key and --tls-cert', async () => {
    const fixtures = fileURLToPath(new URL('../../test/fixtures/tls/', import.meta.url));
    const sim = await startSimulatorCli(
      ['--port', '0', '--tls-key', `${fixtures}key.pem`, '--tls-cert', `${fixtures}cert.pem`],
      () => {},
    );
    onTestFinished(() => sim?.stop());
    expect(sim?.tls).toBe(true);
  });

  it('prints the usage for --help and starts nothing', async () => {
    const lines: string[] = [];
    expect(await startSimulatorCli(['--help'], (line) => lines.push(line))).toBeUndefined();
    expect(lines).toEqual([CLI_USAGE]);
  });

  it.each([
    [['--port', 'abc'], /--port must be a whole number/],
    [['--tls-key', 'key.pem'], /both --tls-key and --tls-cert/],
  ])('refuses %j', async (argv, message) => {
    await expect(startSimulatorCli(argv, () => {})).rejects.toSatisfy(
      (error: unknown) => TidingsError.is(error, ErrorCode.InvalidOptions) && message.test(error.message),
    );
  });

  it('refuses unknown options', async () => {
    await expect(startSimulatorCli(['--bogus'], () => {})).rejects.toThrow(/bogus/);
  });
});
