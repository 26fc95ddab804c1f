import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

describe('otp-verify example', () => {
  it('tells its story: Telegram, fallback to SMS, a refused resend, a cancel, attempts used up', async () => {
    const lines: string[] = [];
    const result = await main({ write: (line) => lines.push(line) });

    expect(result.checks).toEqual({
      alice: ['wrong', 'approved'],
      bob: ['approved'],
      carol: ['cancelled'],
      dave: ['wrong', 'wrong', 'max_attempts', 'max_attempts'],
    });
    expect(result.resendRefused).toBe('TIDINGS_RATE_LIMITED');

    // Bob's code came by SMS after Telegram refused his number; the others' by Telegram.
    const bob = result.events.filter((event) => event.to.endsWith('0002')).map((event) => event.type);
    expect(bob).toEqual(['started', 'sent', 'fallback', 'delivered', 'approved']);
    expect(result.events.find((event) => event.type === 'fallback')).toMatchObject({
      channel: 'telegram',
      nextChannel: 'smsc',
      reason: 'TIDINGS_REJECTED',
    });
    for (const user of ['0001', '0003', '0004']) {
      expect(result.events.find((event) => event.type === 'delivered' && event.to.endsWith(user))).toMatchObject({
        channel: 'telegram',
      });
    }

    // Each phone got one code, in its locale's text; no event carries a code.
    expect(result.phones.alice).toEqual([expect.stringMatching(/^Your Acme code: [0-9]{6}$/)]);
    expect(result.phones.bob).toEqual([expect.stringMatching(/^Ваш код Acme: [0-9]{6}$/)]);
    const codes = Object.values(result.phones).flatMap((texts) => texts.map((text) => text.slice(-6)));
    const events = JSON.stringify(result.events);
    for (const code of codes) expect(events).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));

    expect(lines).toContain('  resend refused: TIDINGS_RATE_LIMITED, retry in 30 s');
    expect(lines.some((line) => /event {2}fallback {8}\+•+0002 telegram → smsc \(TIDINGS_REJECTED\)/.test(line))).toBe(
      true,
    );
  });

  it('runs as `pnpm start` does', async () => {
    const child = spawn(process.execPath, ['--conditions=@tidings/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      // The run tsconfig gives tsx the decorators the packages' sources use.
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.run.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('check  bob types');
    expect(stdout).toMatch(/check {2}dave types [0-9]{6}: max_attempts\n$/);
  });
});
