import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { AuditEntry } from './audit-log.js';
import { startProviders, startSimulatedProviders } from './providers.js';
import { runReactive } from './reactive.js';

async function run() {
  const providers = await startSimulatedProviders();
  onTestFinished(() => providers.stop());
  const lines: string[] = [];
  const auditLines: string[] = [];
  const result = await runReactive({
    providers,
    write: (line) => lines.push(line),
    audit: (line) => auditLines.push(line),
  });
  return { ...result, lines, auditLines, sims: providers.simulated };
}

describe('reactive example', () => {
  it('measures each channel delivery rate: a fallback fails on telegram and succeeds on smsc', async () => {
    const { rates, sims } = await run();
    // telegram: u1 u2 u4 u7 delivered; u3 u5 u6 refused, u8 refused then sent by SMS.
    expect(rates.telegram).toMatchObject({ delivered: 4, failed: 4, rate: 0.5, windowMs: 60_000 });
    // smsc: parcels 1 3 4 6 and u8's fallback delivered; parcels 2 and 5 undelivered (phone off).
    expect(rates.smsc).toMatchObject({ delivered: 5, failed: 2, rate: 5 / 7 });
    // Every refusal happened at the provider: all 8 codes reached the gateway, 7 SMS the SMSC.
    expect(sims.telegram.pdus({ command: 'submit_sm' })).toHaveLength(8);
    expect(sims.smsc.pdus({ command: 'submit_sm' }).map((submit) => submit.destination_addr)).toContain('79030000008');
  });

  it('raises one alert at the third telegram failure, not before, and none for smsc with two', async () => {
    const { alerts, timeline } = await run();
    expect(alerts).toEqual([
      expect.objectContaining({ channel: 'telegram', failures: 3, codes: { TIDINGS_REJECTED: 3 } }),
    ]);
    const telegramFailures = timeline
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => /^outcome {2}telegram {2}rejected/.test(line));
    expect(telegramFailures).toHaveLength(4);
    const alertAt = timeline.findIndex((line) => line.startsWith('ALERT'));
    // Right after the third failure's outcome and rate lines; nothing alerts before.
    expect(alertAt).toBe((telegramFailures[2]?.index ?? -1) + 2);
    expect(timeline[alertAt]).toBe('ALERT    telegram: 3 failures within 60 s (TIDINGS_REJECTED ×3)');
    expect(timeline.filter((line) => line.startsWith('ALERT'))).toHaveLength(1);
  });

  it('writes exactly one audit line per message, without codes or texts', async () => {
    const { auditLines, sent } = await run();
    const entries = auditLines.map((line) => JSON.parse(line) as AuditEntry);
    expect(entries.map((entry) => entry.id).sort()).toEqual(sent.map((message) => message.messageId).sort());
    expect(entries).toHaveLength(14);

    for (const { code } of sent) if (code !== undefined) expect(auditLines.join('\n')).not.toContain(code);
    expect(auditLines.join('\n')).not.toMatch(/Your code|Parcel/);

    const byRef = new Map(entries.map((entry) => [entry.clientRef, entry]));
    expect(byRef.get('login-u8')).toMatchObject({
      channel: 'smsc',
      route: ['telegram', 'smsc'],
      type: 'delivered',
      success: true,
      attempt: 2,
    });
    // 0x0B: "sending to this number is not allowed".
    expect(byRef.get('login-u3')).toMatchObject({ type: 'rejected', error: 'TIDINGS_REJECTED', providerStatus: 11 });
    expect(byRef.get('parcel-s2')).toMatchObject({ type: 'undelivered', error: 'TIDINGS_UNDELIVERED' });
    for (const entry of entries) {
      expect(Date.parse(entry.endedAt) - Date.parse(entry.queuedAt)).toBe(entry.durationMs);
    }
  });

  it('switches to real accounts only when the environment names them all', async () => {
    await expect(startProviders({ SMSC_LOGIN: 'shop' })).rejects.toThrow(/TELEGRAM_SMPP_HOST.*REACTIVE_TO/);
    const real = await startProviders({
      TELEGRAM_SMPP_HOST: 'smpp.example.com',
      TELEGRAM_SMPP_PORT: '2775',
      TELEGRAM_SYSTEM_ID: 'partner',
      TELEGRAM_PASSWORD: 'pw',
      SMSC_LOGIN: 'shop',
      SMSC_SMPP_PASSWORD: 'pw2',
      REACTIVE_TO: '+79036550550, +79036550551',
    });
    expect(real.simulated).toBeUndefined();
    expect(real.recipients).toEqual(['+79036550550', '+79036550551']);
  });

  it('runs as a program: `node --import tsx src/main.ts` exits 0', async () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@tidings/source', '--import', 'tsx', 'src/main.ts'],
      // tsx applies the decorators setting to the workspace sources through tsconfig.run.json.
      { cwd, env: { PATH: process.env.PATH, TSX_TSCONFIG_PATH: 'tsconfig.run.json' } },
    );
    expect(stdout).toContain('ALERT    telegram: 3 failures within 60 s');
    expect(stdout.match(/^audit {4}\{/gm)).toHaveLength(14);
  });
});
