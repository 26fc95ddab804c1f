import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeText } from '@tidings/transport-smpp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runBulk } from './bulk.js';
import { madeUpRecipients, startProvider, startSimulatedProvider } from './providers.js';

async function simulated(count: number, maxPerSecond?: number) {
  const provider = await startSimulatedProvider({
    count,
    deliveryDelayMs: 10,
    ...(maxPerSecond === undefined ? {} : { maxPerSecond }),
  });
  onTestFinished(() => provider.stop());
  return provider;
}

describe('bulk example', () => {
  it('sends 300 messages and counts every outcome: delivered, undelivered, refused, invalid', async () => {
    const provider = await simulated(300);
    const progress: string[] = [];
    const summary: string[] = [];
    const result = await runBulk({
      provider,
      maxPerSecond: 5_000,
      maxPending: 40,
      progressEveryMs: 20,
      progress: (line) => progress.push(line),
      write: (line) => summary.push(line),
    });

    // 300 recipients: every 50th is malformed (6), numbers ending in 13 do not exist (3: …013,
    // …113, …213), phones ending in 42 are off (3).
    expect(result).toMatchObject({
      total: 300,
      sent: 294,
      accepted: 291,
      delivered: 288,
      undelivered: 3,
      rejected: 3,
      invalid: 6,
      failed: 0,
      done: 300,
      errors: { TIDINGS_INVALID_MESSAGE: 6, TIDINGS_REJECTED: 3, TIDINGS_UNDELIVERED: 3 },
    });
    // The host-side limit: never more than 40 messages between send and their end.
    expect(result.peakPending).toBe(40);

    // On the wire: each valid number once, as smsorg wants it (no "+", ASCII, a receipt asked
    // for); the malformed ones never left the process.
    const submits = provider.simulator.pdus({ command: 'submit_sm' });
    expect(submits).toHaveLength(294 + result.throttled);
    const valid = madeUpRecipients(300)
      .filter((to) => !to.includes('typo'))
      .map((to) => to.slice(1));
    expect(new Set(submits.map((submit) => submit.destination_addr))).toEqual(new Set(valid));
    expect(submits[0]).toMatchObject({ data_coding: 1, registered_delivery: 1, dest_addr_ton: 1, dest_addr_npi: 1 });
    expect(submits[0] && decodeText(submits[0].short_message, 1)).toBe(
      'Spring sale: 20% off everything until Sunday. Reply STOP to opt out.',
    );

    expect(progress.at(-1)).toMatch(
      /^300\/300 done · sent 294 · accepted 291 · delivered 288 · failed 12 · \d+ msg\/s · ETA 0 s$/,
    );
    expect(summary[0]).toBe('Summary');
    expect(summary).toContain('  recipients          300');
    expect(summary).toContain('  invalid               6  refused before sending');
    expect(summary.at(-1)).toBe(
      '  errors       TIDINGS_INVALID_MESSAGE 6 · TIDINGS_REJECTED 3 · TIDINGS_UNDELIVERED 3',
    );
  });

  it('keeps to the speed agreed with the provider; submits refused for speed are resent and counted', async () => {
    // The simulated provider refuses submits above 30 per second, the channel's cap is the same.
    // 40 recipients: …013 does not exist.
    const provider = await simulated(40, 30);
    const result = await runBulk({ provider, maxPerSecond: 30, progress: () => {}, write: () => {} });
    expect(result).toMatchObject({ total: 40, sent: 40, delivered: 39, rejected: 1, failed: 0, done: 40 });
    expect(provider.simulator.pdus({ command: 'submit_sm' })).toHaveLength(40 + result.throttled);
  });

  it('reads the recipients of a real account from a file, and wants every variable', async () => {
    await expect(startProvider({ SMSORG_SYSTEM_ID: '1234.5' }, { count: 1 })).rejects.toThrow(
      /SMSORG_PASSWORD, BULK_RECIPIENTS_FILE/,
    );
    const dir = await mkdtemp(join(tmpdir(), 'bulk-'));
    onTestFinished(() => rm(dir, { recursive: true }));
    const file = join(dir, 'recipients.txt');
    await writeFile(file, '+79001234567\r\n\n 79007654321 \n');
    const real = await startProvider(
      { SMSORG_SYSTEM_ID: '1234.5', SMSORG_PASSWORD: 'pw', BULK_RECIPIENTS_FILE: file },
      { count: 1 },
    );
    expect(real.simulator).toBeUndefined();
    expect(real.recipients).toEqual(['+79001234567', '79007654321']);
    expect(real.smsorg).toMatchObject({ systemId: '1234.5', password: 'pw', host: undefined });
  });

  it('runs as a program: `node --import tsx src/main.ts` exits 0, progress on stderr, summary on stdout', async () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@tidings/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd,
        // tsx applies the decorators setting to the workspace sources through tsconfig.run.json.
        env: { PATH: process.env.PATH, TSX_TSCONFIG_PATH: 'tsconfig.run.json', BULK_COUNT: '200', BULK_RATE: '2000' },
      },
    );
    expect(stderr).toMatch(/^200\/200 done · sent 196 /m);
    expect(stdout).toContain('  recipients          200');
  });
});
