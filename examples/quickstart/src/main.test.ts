import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { main } from './main.js';

describe('quickstart', () => {
  it('sends one SMS to its embedded simulator and prints its events until delivered', async () => {
    const lines: string[] = [];
    const end = await main({ write: (line) => lines.push(line), env: {} });

    expect(end.type).toBe('delivered');
    expect(lines).toEqual([
      'queued',
      'submitted',
      expect.stringMatching(/^accepted {3}provider id \d+$/),
      'delivered  receipt: delivered',
      'Done: delivered.',
    ]);
  });

  it('uses the account named by SMSC_* instead, and never prints its password', async () => {
    // Stands in for the real SMSC: the env variables must be all that points the app at it.
    const provider = await SmscSimulator.start({
      profile: smscSimulatorProfile(),
      accounts: [{ systemId: 'acme-login', password: 'acme-password' }],
    });
    onTestFinished(() => provider.stop());
    const env = {
      SMSC_HOST: provider.host,
      SMSC_PORT: String(provider.port),
      SMSC_LOGIN: 'acme-login',
      SMSC_PASSWORD: 'acme-password',
      SMSC_TO: '+77011234567',
    };
    const lines: string[] = [];
    const end = await main({ write: (line) => lines.push(line), env });

    expect(end.type).toBe('delivered');
    expect(provider.pdus({ command: 'bind_transceiver' }).map((bind) => bind.system_id)).toEqual(['acme-login']);
    expect(provider.pdus({ command: 'submit_sm' }).map((submit) => submit.destination_addr)).toEqual(['77011234567']);
    expect(lines.join('\n')).not.toContain('acme-password');
  });

  it('refuses a real account without SMSC_TO, before connecting', async () => {
    await expect(main({ write: () => {}, env: { SMSC_LOGIN: 'acme-login', SMSC_PASSWORD: 'x' } })).rejects.toThrow(
      /Set SMSC_TO/,
    );
  });

  it('names a bad option before connecting (here an empty SMSC_PASSWORD)', async () => {
    await expect(
      main({ write: () => {}, env: { SMSC_LOGIN: 'acme-login', SMSC_PASSWORD: '', SMSC_TO: '+77011234567' } }),
    ).rejects.toMatchObject({ code: 'TIDINGS_INVALID_OPTIONS', message: expect.stringMatching(/password/) });
  });

  it('runs as `pnpm start` does and exits 0', async () => {
    const child = spawn(process.execPath, ['--conditions=@tidings/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      // The run tsconfig gives tsx the decorators the packages' sources use.
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.run.json', SMSC_LOGIN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(
      /^queued\nsubmitted\naccepted {3}provider id \d+\ndelivered {2}receipt: delivered\nDone: delivered.\n$/,
    );
  });
});
