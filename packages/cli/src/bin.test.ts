// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` in a config string is the syntax under test.
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { channelEntry, startSimulator, tempDir, writeFile } from './cli.test-helper.js';
import { ExitCode } from './exit-codes.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('bin.ts', import.meta.url));
// `--import tsx` would resolve tsx from the working directory (a temporary folder): name it exactly.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Child {
  readonly process: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exit: Promise<number | null>;
}

/** `tidings <argv>` as a real process: the source through tsx, as `pnpm --filter @tidings/cli start` would. */
function tidings(cwd: string, argv: readonly string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, ['--conditions=@tidings/source', '--import', tsx, bin, ...argv], {
    cwd,
    // tsx compiles the workspace sources with this package's compiler options (decorators).
    env: { ...process.env, NO_COLOR: '1', TSX_TSCONFIG_PATH: `${packageDir}tsconfig.run.json`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result: Child = {
    process: child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    result.stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    result.stderr += chunk;
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return result;
}

async function until(child: Child, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(child[stream]);
    if (match) return match;
    if (child.process.exitCode !== null) throw new Error(`exited ${child.process.exitCode}: ${child.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the tidings bin (child process)', () => {
  it('send --json: JSON lines on stdout, exit 0 once delivered', async () => {
    const sim = await startSimulator('telegram');
    const dir = tempDir();
    writeFile(dir, 'tidings.json', { channels: { otp: channelEntry('telegram', sim) } });
    const child = tidings(dir, [
      'send',
      '-c',
      'tidings.json',
      '--to',
      '+79036550550',
      '--code',
      '123456',
      '--wait',
      'settled',
      '--json',
    ]);
    expect(await child.exit).toBe(ExitCode.Ok);
    const events = child.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(events.map((event) => event.type)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
    expect(child.stderr).toBe('');
  });

  it('exit codes: 3 for a wrong password (never printed), 4 for a bad number, 2 for a bare `tidings`', async () => {
    const sim = await startSimulator('telegram');
    const dir = tempDir();
    writeFile(dir, 'tidings.json', {
      channels: { otp: channelEntry('telegram', sim, { password: '${TG_PASSWORD}' }) },
    });
    // Three processes at once: each spends its first seconds compiling the sources.
    const wrong = tidings(dir, ['send', '-c', 'tidings.json', '--to', '+79036550550', '--code', '123456'], {
      TG_PASSWORD: 'Not-The-Pw',
    });
    const bad = tidings(dir, ['send', '-c', 'tidings.json', '--to', 'nobody', '--code', '123456'], {
      TG_PASSWORD: 'secret',
    });
    const bare = tidings(dir, []);
    const [wrongExit, badExit, bareExit] = await Promise.all([wrong.exit, bad.exit, bare.exit]);

    expect(wrongExit).toBe(ExitCode.ConnectionFailed);
    expect(wrong.stderr).toContain('authentication failed');
    expect(wrong.stdout + wrong.stderr).not.toContain('Not-The-Pw');
    expect(badExit).toBe(ExitCode.InvalidMessage);
    expect(bad.stderr).toContain('TIDINGS_INVALID_MESSAGE');
    expect(bareExit).toBe(ExitCode.Usage);
    expect(bare.stderr).toContain('Usage: tidings [options] [command]');
  });

  it('watch: streams an inbound message, and SIGTERM stops it with exit 0', async () => {
    const sim = await startSimulator('smsc');
    const dir = tempDir();
    writeFile(dir, 'tidings.json', { channels: { kz: channelEntry('smsc', sim) } });
    const child = tidings(dir, ['watch', '-c', 'tidings.json', '--json']);
    await until(child, 'stderr', /watching kz/);
    await sim.sendMo({ from: '+77011234567', to: '7755', text: 'YES' });
    await until(child, 'stdout', /\n/);
    expect(JSON.parse(child.stdout)).toMatchObject({ type: 'inbound', channel: 'kz', text: 'YES' });
    child.process.kill('SIGTERM');
    expect(await child.exit).toBe(ExitCode.Ok);
    expect(sim.pdus({ command: 'unbind' })).toHaveLength(1);
  });

  it('simulate: listens, prints a config, and SIGINT stops it with exit 0', async () => {
    const child = tidings(tempDir(), ['simulate', '--profile', 'smsc', '--port', '0']);
    const [, port] = await until(child, 'stdout', /listening on 127\.0\.0\.1:(\d+)/);
    await until(child, 'stdout', /\n}\n/);
    expect(child.stdout).toContain(`"port": ${port}`);
    child.process.kill('SIGINT');
    expect(await child.exit).toBe(ExitCode.Ok);
  });
});
