import { describe, expect, it } from 'vitest';
import { run, testIo, waitForLine, writeFile } from './cli.test-helper.js';
import { ExitCode } from './exit-codes.js';
import { pluginNames } from './plugin-catalog.js';

/** The config `simulate` printed: the lines from `{` to `}`. */
function printedConfig(lines: readonly string[]): unknown {
  const start = lines.indexOf('{');
  const end = lines.lastIndexOf('}');
  return JSON.parse(lines.slice(start, end + 1).join('\n'));
}

const samples: Record<(typeof pluginNames)[number], string[]> = {
  telegram: ['--to', '+79036550550', '--code', '123456'],
  // Not the hint's text: the provider refuses the same text to the same number twice in a row.
  smsc: ['--to', '+77011234567', '--text', 'Hello from the test'],
  engagelab: ['--to', '+6598765432', '--template', 'login-otp', '--code', '123456'],
  smsorg: ['--to', '+79123456789', '--text', 'Hello'],
};

describe('tidings simulate', () => {
  it.each(pluginNames)(
    '--profile %s: prints where it listens, the login and a config that send can use',
    async (profile) => {
      const io = testIo();
      const running = run(io, 'simulate', '--profile', profile, '--port', '0');
      const listening = await waitForLine(io.stdout, /simulator listening on/);
      const [, host, port] = /listening on ([\d.]+):(\d+)$/.exec(listening) ?? [];
      expect(host).toBe('127.0.0.1');
      expect(Number(port)).toBeGreaterThan(0);
      await waitForLine(io.stdout, /^}$/);
      const config = printedConfig(io.stdout.lines);
      expect(config).toMatchObject({ channels: { [profile]: { plugin: profile, host, port: Number(port) } } });

      const client = testIo({}, io.cwd);
      writeFile(client.cwd, 'tidings.json', config);
      const code = await run(client, 'send', '-c', 'tidings.json', ...samples[profile], '--wait', 'settled');
      expect(client.stderr.text).toBe('');
      expect(code).toBe(ExitCode.Ok);
      await waitForLine(io.stdout, /^submit {3}session #\d+ to \S+: accepted as \S+$/);

      // The printed hint works as printed (telegram sends a code, not a bare text).
      const hint = /then: tidings send --config tidings\.json --to … (.*)\):$/.exec(
        io.stdout.lines.find((line) => line.startsWith('config (')) ?? '',
      )?.[1];
      const hinted = testIo({}, io.cwd);
      const hintFlags =
        (hint ?? '')
          .match(/'[^']*'|\S+/g)
          ?.map((flag) => (flag === '<id>' ? 'login-otp' : flag.replace(/^'|'$/g, ''))) ?? [];
      const hintedCode = await run(
        hinted,
        'send',
        '-c',
        'tidings.json',
        '--to',
        samples[profile][1] ?? '',
        ...hintFlags,
      );
      expect(hinted.stderr.text).toBe('');
      expect(hintedCode).toBe(ExitCode.Ok);

      io.abort();
      expect(await running).toBe(ExitCode.Ok);
    },
  );

  it('takes --system-id and --password, and shows refused logins', async () => {
    const io = testIo();
    const running = run(
      io,
      'simulate',
      '--profile',
      'telegram',
      '--port',
      '0',
      '--system-id',
      'acme',
      '--password',
      'pw1',
    );
    await waitForLine(io.stdout, /^}$/);
    const config = printedConfig(io.stdout.lines) as { channels: { telegram: Record<string, unknown> } };
    expect(config.channels.telegram).toMatchObject({ systemId: 'acme', password: 'pw1' });
    const client = testIo({}, io.cwd);
    writeFile(client.cwd, 'bad.json', {
      channels: { telegram: { ...config.channels.telegram, password: 'nope', maxBindFailures: 1 } },
    });
    expect(await run(client, 'send', '-c', 'bad.json', '--to', '+79036550550', '--code', '123456')).toBe(
      ExitCode.ConnectionFailed,
    );
    await waitForLine(io.stdout, /^refused {2}session #\d+ acme: ESME_RINVPASWD/);
    io.abort();
    expect(await running).toBe(ExitCode.Ok);
  });

  it('--receipt-delay holds the receipts: a send waiting for them times out (exit 5)', async () => {
    const io = testIo();
    const running = run(io, 'simulate', '--profile', 'telegram', '--port', '0', '--receipt-delay', '3600000');
    await waitForLine(io.stdout, /^}$/);
    const client = testIo({}, io.cwd);
    writeFile(client.cwd, 'tidings.json', printedConfig(io.stdout.lines));
    const code = await run(
      client,
      'send',
      '-c',
      'tidings.json',
      ...samples.telegram,
      '--wait',
      'settled',
      '--timeout',
      '0.2',
    );
    expect(code).toBe(ExitCode.Timeout);
    expect(client.stdout.text).toMatch(/accepted/);
    io.abort();
    expect(await running).toBe(ExitCode.Ok);
  });

  it('a port already taken: exit 3 naming the address', async () => {
    const first = testIo();
    const running = run(first, 'simulate', '--profile', 'smsc', '--port', '0');
    const [, port] = /:(\d+)$/.exec(await waitForLine(first.stdout, /listening on/)) ?? [];
    const second = testIo();
    expect(await run(second, 'simulate', '--profile', 'smsc', '--port', String(port))).toBe(ExitCode.ConnectionFailed);
    expect(second.stderr.text).toContain(`cannot listen on 127.0.0.1:${port}`);
    first.abort();
    expect(await running).toBe(ExitCode.Ok);
  });

  it('a login the plugin would refuse is a usage error, so the printed config always works (smsorg: XXXX.X)', async () => {
    const io = testIo();
    expect(await run(io, 'simulate', '--profile', 'smsorg', '--port', '0', '--system-id', 'acme')).toBe(ExitCode.Usage);
    expect(io.stderr.text).toContain('--system-id/--password: the smsorg channel would refuse this login');
    expect(io.stderr.text).toContain('channels.smsorg.systemId:');
    expect(io.stdout.text).toBe('');
  });

  it('an unknown profile or a bad port is a usage error (exit 2)', async () => {
    const io = testIo();
    expect(await run(io, 'simulate', '--profile', 'twilio')).toBe(ExitCode.Usage);
    expect(io.stderr.text).toContain('Allowed choices are telegram, smsc, engagelab, smsorg');
    const io2 = testIo();
    expect(await run(io2, 'simulate', '--profile', 'smsc', '--port', '70000')).toBe(ExitCode.Usage);
    expect(io2.stderr.text).toContain('--port must be a whole number from 0 to 65535');
  });
});
