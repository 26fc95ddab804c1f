import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeText, type SubmitSm } from '@tidings/transport-smpp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type OtpStory, runOtpFallback } from './otp-fallback.js';
import { startProviders, startSimulatedProviders } from './providers.js';

const textOf = (submit: SubmitSm): string => decodeText(submit.short_message, submit.data_coding);
const steps = (story: OtpStory): string[] =>
  story.events.map((event) => `${event.channel} ${event.type}${event.terminal ? ' (terminal)' : ''}`);

async function run() {
  const providers = await startSimulatedProviders();
  onTestFinished(() => providers.stop());
  const lines: string[] = [];
  // Short on purpose: the fallback deadline is what story 2 waits for.
  const result = await runOtpFallback({ providers, fallbackAfterMs: 300, write: (line) => lines.push(line) });
  return { ...result, lines, sims: providers.simulated };
}

describe('otp-fallback example', () => {
  it('story 1: Telegram delivers the code, no SMS is sent', async () => {
    const { stories, sims } = await run();
    const [first] = stories;
    expect(first?.route).toEqual(['telegram']);
    expect(first?.outcome).toMatchObject({ type: 'delivered', channel: 'telegram', terminal: true });
    expect(first && steps(first)).toEqual([
      'telegram queued',
      'telegram submitted',
      'telegram accepted',
      'telegram delivered (terminal)',
    ]);
    // On the wire: the code went to Telegram Gateway, UCS2, in the text around it.
    const toTelegram = sims.telegram.pdus({ command: 'submit_sm' });
    expect(toTelegram[0]?.destination_addr.replace(/\D/g, '')).toBe('79030000001');
    expect(toTelegram[0]?.data_coding).toBe(8);
    expect(toTelegram[0] && textOf(toTelegram[0])).toBe(`Your code: ${first?.code}`);
    expect(sims.smsc.pdus({ command: 'submit_sm' }).map((submit) => submit.destination_addr)).not.toContain(
      '79030000001',
    );
  });

  it('story 2: no Telegram receipt within fallbackAfterMs → fallback event → the SMS is delivered', async () => {
    const { stories, sims } = await run();
    const second = stories[1] as OtpStory;
    expect(second.route).toEqual(['telegram', 'smsc']);
    expect(steps(second)).toEqual([
      'telegram queued',
      'telegram submitted',
      'telegram accepted',
      'telegram failed',
      'telegram fallback',
      'smsc queued',
      'smsc submitted',
      'smsc accepted',
      'smsc delivered (terminal)',
    ]);
    const fallback = second.events.find((event) => event.type === 'fallback');
    expect(fallback).toMatchObject({ from: 'telegram', to: 'smsc', reason: { code: 'TIDINGS_RECEIPT_TIMEOUT' } });
    // Telegram had accepted it: the outcome there is unknown, so the error says ambiguous.
    expect(fallback?.type === 'fallback' && fallback.reason.ambiguous).toBe(true);
    expect(second.outcome).toMatchObject({ type: 'delivered', channel: 'smsc', attempt: 2 });

    // Both providers got the same code; the SMS carries the text with {code} filled in.
    const toTelegram = sims.telegram.pdus({ command: 'submit_sm' });
    expect(toTelegram.map((submit) => submit.destination_addr.replace(/\D/g, ''))).toEqual([
      '79030000001',
      '79030000002',
    ]);
    const [sms, ...more] = sims.smsc.pdus({ command: 'submit_sm' });
    expect(more).toEqual([]);
    expect(sms?.destination_addr).toBe('79030000002');
    expect(sms && textOf(sms)).toBe(`Your code: ${second.code}`);
  });

  it("ignores Telegram's late receipt: the message keeps its one terminal event", async () => {
    const { stories, lateReceipt, sims, lines } = await run();
    const second = stories[1] as OtpStory;
    const accepted = second.events.find((event) => event.type === 'accepted' && event.channel === 'telegram');
    expect(accepted?.type === 'accepted' && accepted.providerMessageId).toBe(lateReceipt?.providerMessageId);
    expect(lateReceipt).toMatchObject({ ignored: true, eventsAfterSettled: 0 });
    // The receipt did reach the client: it answered the simulator's deliver_sm.
    expect(sims.telegram.pdus({ command: 'deliver_sm_resp' })).toHaveLength(2);
    for (const story of stories) expect(story.events.filter((event) => event.terminal)).toHaveLength(1);
    expect(lines.join('\n')).toMatch(/fallback\s+telegram → smsc \(TIDINGS_RECEIPT_TIMEOUT\)/);
    expect(lines.join('\n')).toContain('arrives late: ignored');
  });

  it('switches to real accounts only when the environment names them all', async () => {
    await expect(startProviders({ TELEGRAM_SMPP_HOST: 'smpp.example.com' })).rejects.toThrow(
      /TELEGRAM_SMPP_PORT, TELEGRAM_SYSTEM_ID, TELEGRAM_PASSWORD, SMSC_LOGIN, SMSC_SMPP_PASSWORD, OTP_TO/,
    );
    const real = await startProviders({
      TELEGRAM_SMPP_HOST: 'smpp.example.com',
      TELEGRAM_SMPP_PORT: '2775',
      TELEGRAM_SYSTEM_ID: 'partner',
      TELEGRAM_PASSWORD: 'pw',
      SMSC_LOGIN: 'shop',
      SMSC_SMPP_PASSWORD: 'pw2',
      SMSC_REGION: 'smsc.kz',
      OTP_TO: '+79036550550',
    });
    expect(real.simulated).toBeUndefined();
    expect(real.recipient).toBe('+79036550550');
    expect(real.telegram).toMatchObject({ host: 'smpp.example.com', port: 2775, systemId: 'partner' });
    expect(real.smsc).toMatchObject({ systemId: 'shop', region: 'smsc.kz' });
  });

  it('runs as a program: `node --import tsx src/main.ts` exits 0', async () => {
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--conditions=@tidings/source', '--import', 'tsx', 'src/main.ts'],
      {
        cwd,
        // tsx applies the decorators setting to the workspace sources through tsconfig.run.json.
        env: { PATH: process.env.PATH, TSX_TSCONFIG_PATH: 'tsconfig.run.json', OTP_FALLBACK_AFTER_MS: '200' },
      },
    );
    expect(stdout).toContain('→ delivered by telegram (route: telegram)');
    expect(stdout).toContain('→ delivered by smsc (route: telegram → smsc)');
  });
});
