import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from './providers.js';
import { type DemoResult, runDemo } from './run-demo.js';
import type { Step } from './step.js';
import { inboundText } from './step-inbound.js';
import { longTextParts } from './step-long-text.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const passwords = Object.values(demoAccounts).map((account) => account.password);
const ansi = '\u001b[';

/** A writer that keeps everything written. */
function capture(): { write(text: string): void; readonly text: () => string } {
  const chunks: string[] = [];
  return { write: (text) => void chunks.push(text), text: () => chunks.join('') };
}

describe('the demo, run in-process', () => {
  let result: DemoResult;
  let output: string;

  beforeAll(async () => {
    const out = capture();
    result = await runDemo({ out, color: false });
    output = out.text();
  });

  it('ends every step as the story expects', () => {
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(output).toContain('✔ Every step ended as the story expects');
  });

  it('sends a code through each of the four channels: queued → submitted → accepted → delivered', () => {
    const otp = result.messages.filter((message) => message.ref.startsWith('otp-'));
    expect(otp.map(({ ref, channels, events, final }) => ({ ref, channels, events, final }))).toEqual(
      ['telegram', 'smsc', 'engagelab', 'smsorg'].map((channel) => ({
        ref: `otp-${channel}`,
        channels: [channel],
        events: ['queued', 'submitted', 'accepted', 'delivered'],
        final: 'delivered',
      })),
    );
  });

  it('pauses telegram on 0x58 and sends the refused code again, once', () => {
    const burst = result.messages.filter((message) => message.ref.startsWith('burst-'));
    expect(burst.map((message) => message.final)).toEqual(['delivered', 'delivered']);
    // The first submit of the burst is the refused one: the channel sends in order.
    expect(burst.map(({ ref, attempts }) => ({ ref, attempts }))).toEqual([
      { ref: 'burst-1', attempts: 2 },
      { ref: 'burst-2', attempts: 1 },
    ]);
    expect(burst[0]?.events).toEqual(['queued', 'submitted', 'retrying', 'submitted', 'accepted', 'delivered']);
    expect(output).toMatch(/telegram\s+⏸ paused/);
    expect(output).toMatch(/telegram\s+burst-1\s+retrying\s+status 0x58: channel paused 400 ms/);
    expect(output).toMatch(/telegram\s+▶ resumed/);
  });

  it('falls back from telegram (0x0B) to smsc for the same message', () => {
    const fallback = result.messages.find((message) => message.ref === 'login-fallback');
    expect(fallback).toMatchObject({ channels: ['telegram', 'smsc'], final: 'delivered', attempts: 2 });
    expect(fallback?.events).toEqual([
      'queued',
      'submitted',
      'rejected',
      'fallback',
      'queued',
      'submitted',
      'accepted',
      'delivered',
    ]);
    expect(output).toMatch(/telegram\s+login-fallback\s+rejected\s+status 0x0B: invalid recipient number/);
    expect(output).toMatch(/login-fallback\s+fallback\s+telegram → smsc/);
  });

  it('receives the inbound message on smsc', () => {
    expect(result.inbound.map(({ channel, from, to, text }) => ({ channel, from, to, text }))).toEqual([
      { channel: 'smsc', from: '79001112233', to: 'Acme', text: inboundText },
    ]);
    expect(output).toContain(`inbound    to Acme: ${JSON.stringify(inboundText)}`);
  });

  it('splits the long UCS2 text into 3 parts, as the accepted event and the wire say', () => {
    const long = result.messages.find((message) => message.ref === 'long-text');
    expect(long).toMatchObject({ channels: ['smsorg'], final: 'delivered', parts: longTextParts });
    expect(output).toMatch(/long-text\s+accepted\s+provider id \d+ · 3 parts/);
    expect(output).toContain('3 submit_sm, data_coding 0x08 (UCS2), esm_class 0x40 (UDH), parts 1/3 2/3 3/3');
  });

  it('prints a summary table: message, channel(s), final state, attempts, parts, time', () => {
    const summary = output.slice(output.indexOf('\nSummary'));
    expect(summary).toMatch(/message\s+channel\(s\)\s+final state\s+attempts\s+parts\s+time/);
    const rows = [
      ['otp-telegram', 'telegram', 1, 1],
      ['otp-smsc', 'smsc', 1, 1],
      ['otp-engagelab', 'engagelab', 1, 1],
      ['otp-smsorg', 'smsorg', 1, 1],
      ['burst-1', 'telegram', 2, 1],
      ['burst-2', 'telegram', 1, 1],
      ['login-fallback', 'telegram → smsc', 2, 1],
      ['long-text', 'smsorg', 1, 3],
    ] as const;
    for (const [ref, channels, attempts, parts] of rows) {
      expect(summary).toMatch(
        new RegExp(`\\n  ${ref}\\s+${channels}\\s+delivered\\s+${attempts}\\s+${parts}\\s+\\d+\\.\\d\\d s\\n`),
      );
    }
    expect(summary).toContain('8 messages, 8 delivered; 1 inbound message: smsc from 79001112233');
  });

  it('writes plain text when asked to, and never a password', () => {
    expect(output).not.toContain(ansi);
    for (const password of passwords) expect(output).not.toContain(password);
  });
});

describe('the demo when the story does not go as expected', () => {
  it('reports each problem, still prints the summary, and is not ok', async () => {
    const unexpected: Step = {
      title: 'A step whose expectation fails',
      intro: 'sends one code, expects the wrong outcome',
      async run(ctx) {
        const handle = ctx.track('odd-one', await ctx.tidings.send('smsc', { to: '+79161234500', text: 'Code 1234' }));
        const end = await ctx.settled(handle);
        ctx.expect(end.type === 'undelivered', `odd-one: expected undelivered, got ${end.type}`);
      },
    };
    const broken: Step = {
      title: 'A step that throws',
      intro: 'fails before sending',
      run: () => Promise.reject(new Error('boom')),
    };
    const out = capture();
    const result = await runDemo({ out, color: false, steps: [unexpected, broken] });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'A step whose expectation fails: odd-one: expected undelivered, got delivered',
      'A step that throws: boom',
    ]);
    expect(out.text()).toContain('✘ Not as the story expects (2 problems):');
    expect(out.text()).toMatch(/\n {2}odd-one\s+smsc\s+delivered/);
  });

  it('reports a wait that never ends instead of hanging', async () => {
    const never: Step = {
      title: 'A step that waits forever',
      intro: 'nothing comes',
      run: (ctx) => ctx.within(new Promise<never>(() => {}), 'the impossible'),
    };
    const result = await runDemo({ out: capture(), color: false, steps: [never], waitMs: 50 });
    expect(result.problems).toEqual(['A step that waits forever: the impossible did not come within 50 ms']);
  });
});

describe('pnpm demo (main.ts in a child process)', () => {
  it('exits 0 with plain output when stdout is not a terminal', async () => {
    // What `pnpm start` runs: tsx with the run tsconfig (decorators for the packages' sources).
    const child = spawn(process.execPath, ['--conditions=@tidings/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: demoDir,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.run.json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).not.toContain(ansi);
    expect(stdout).toContain('✔ Every step ended as the story expects');
    for (const password of passwords) expect(stdout).not.toContain(password);
  });
});
