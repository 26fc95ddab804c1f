import { telegramSimulatorProfile } from '@tidings/channel-telegram/simulator';
import { describe, expect, it } from 'vitest';
import type { BulkSummary } from './bulk-command.js';
import { buildProgram } from './cli.js';
import {
  channelEntry,
  closedPort,
  jsonLines,
  run,
  startSimulator,
  testIo,
  writeConfig,
  writeFile,
} from './cli.test-helper.js';
import { ExitCode } from './exit-codes.js';

const recipients = [
  '# launch list',
  '+79036550501',
  '',
  '+79036550502',
  'call-me-maybe',
  '  +79036550503  ',
  '#+79036550599',
  '12',
  '+79036550504',
].join('\n');

describe('tidings bulk', () => {
  it('sends to every line, reports invalid lines without stopping, and sums up (--json)', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', recipients);
    const code = await run(
      io,
      'bulk',
      '-c',
      config,
      '--to-file',
      'to.txt',
      '--code',
      '4821',
      '--text',
      'Code {code}',
      '--json',
    );
    expect(code).toBe(ExitCode.MessageFailed);
    const [summary, ...rest] = jsonLines(io.stdout) as unknown as BulkSummary[];
    expect(rest).toEqual([]);
    expect(summary).toMatchObject({
      type: 'summary',
      total: 6,
      sent: 4,
      accepted: 4,
      delivered: 4,
      failed: 2,
      invalid: 2,
      pending: 0,
    });
    expect(summary?.failures.map((failure) => [failure.line, failure.to, failure.code])).toEqual([
      [5, 'call-me-maybe', 'TIDINGS_INVALID_MESSAGE'],
      [8, '12', 'TIDINGS_INVALID_MESSAGE'],
    ]);
    // Each invalid line is reported on stderr, with its line number.
    expect(io.stderr.text).toContain('line 5 (call-me-maybe): invalid: TIDINGS_INVALID_MESSAGE: message.to');
    // Off a terminal, the progress is plain lines on stderr.
    expect(io.stderr.lines.at(-1)).toMatch(/^progress 6\/6 \| sent 4 \| accepted 4 \| delivered 4 \| failed 2 \|/);
    expect(sim.pdus({ command: 'submit_sm' }).map((submit) => submit.destination_addr)).toEqual([
      '+79036550501',
      '+79036550502',
      '+79036550503',
      '+79036550504',
    ]);
  });

  it('all delivered: a readable summary on stdout and exit 0; --rate paces without failing', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n+79036550502\n+79036550503\n');
    const code = await run(io, 'bulk', '-c', config, '--to-file', 'to.txt', '--code', '4821', '--rate', '200');
    expect(code).toBe(ExitCode.Ok);
    expect(io.stdout.lines[0]).toMatch(/^bulk: 3 recipients in [\d.]+ s \([\d.]+\/s, waited until settled\)$/);
    expect(io.stdout.lines.slice(1)).toEqual(['  sent       3', '  accepted   3', '  delivered  3', '  failed     0']);
  });

  it('on a terminal: a cli-progress bar on stderr, the summary alone on stdout', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo({}, undefined, true);
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n+79036550502\n');
    expect(await run(io, 'bulk', '-c', config, '--to-file', 'to.txt', '--code', '4821')).toBe(ExitCode.Ok);
    expect(io.stderr.text).toMatch(
      /█+ 100% \| 2\/2 \| sent 2 \| accepted 2 \| delivered 2 \| failed 0 \| [\d.]+\/s \| ETA \d+s/,
    );
    expect(io.stdout.lines[0]).toMatch(/^bulk: 2 recipients/);
  });

  it('on a terminal: an invalid line is reported on its own line, not glued to the progress bar', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo({}, undefined, true);
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\ncall-me-maybe\n+79036550502\n');
    expect(await run(io, 'bulk', '-c', config, '--to-file', 'to.txt', '--code', '4821')).toBe(ExitCode.MessageFailed);
    const at = io.stderr.text.indexOf('line 2 (call-me-maybe)');
    expect(at).toBeGreaterThan(0);
    // The bar ends in ESC[0K without a newline: the report must clear it from the first column.
    const before = io.stderr.text.slice(Math.max(0, at - 40), at);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape sequences are the point.
    expect(before).toMatch(/(\n|\r|\u001b\[1G)(\u001b\[[02]?K)?$/);
    // …and the bar is drawn again below it.
    expect(io.stderr.text.slice(at)).toMatch(/^line 2 \(call-me-maybe\)[^\n]*\n[^\n]*█/);
  });

  it('a recipients line with control characters is reported escaped, on one line', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n+7903\u001b[2J655\n');
    expect(await run(io, 'bulk', '-c', config, '--to-file', 'to.txt', '--code', '4821')).toBe(ExitCode.MessageFailed);
    expect(io.stderr.text).toContain('line 2 (+7903\\x1B[2J655): invalid: TIDINGS_INVALID_MESSAGE');
    expect(io.stderr.text).not.toContain('\u001b');
  });

  it('counts provider refusals and undelivered receipts as failed, with the event that ended each', async () => {
    const sim = await startSimulator('telegram', {
      profile: telegramSimulatorProfile({ blockedRecipients: ['+79036550502'] }),
      receipts: { stat: (submit) => (submit.destination_addr.endsWith('3') ? 'UNDELIV' : 'DELIVRD') },
    });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n+79036550502\n+79036550503\n');
    const code = await run(io, 'bulk', '-c', config, '--to-file', 'to.txt', '--code', '4821', '--json');
    expect(code).toBe(ExitCode.MessageFailed);
    const [summary] = jsonLines(io.stdout) as unknown as BulkSummary[];
    expect(summary).toMatchObject({ total: 3, sent: 3, accepted: 2, delivered: 1, failed: 2, invalid: 0 });
    expect(summary?.failures.map((failure) => [failure.to, failure.event, failure.code])).toEqual([
      ['+79036550502', 'rejected', 'TIDINGS_REJECTED'],
      ['+79036550503', 'undelivered', 'TIDINGS_UNDELIVERED'],
    ]);
  });

  it('--wait accepted: done once the provider accepted each, without waiting for receipts', async () => {
    const sim = await startSimulator('telegram', { receipts: { delayMs: 3_600_000 } });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n+79036550502\n');
    const code = await run(
      io,
      'bulk',
      '-c',
      config,
      '--to-file',
      'to.txt',
      '--code',
      '4821',
      '--wait',
      'accepted',
      '--json',
    );
    expect(code).toBe(ExitCode.Ok);
    expect(jsonLines(io.stdout)[0]).toMatchObject({ sent: 2, accepted: 2, delivered: 0, failed: 0, pending: 0 });
  });

  it('--wait accepted: the stop after the summary does not report the accepted messages as failed', async () => {
    // Receipts come late (as on a real network): the run ends at acceptance, as asked, and the
    // runtime's stop then ends the messages still waiting for receipts.
    const sim = await startSimulator('telegram', { receipts: { delayMs: 60_000 } });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n+79036550502\n');
    const code = await run(io, 'bulk', '-c', config, '--to-file', 'to.txt', '--code', '4821', '--wait', 'accepted');
    expect(code).toBe(ExitCode.Ok);
    expect(io.stdout.text).toContain('failed     0');
    expect(io.stderr.text).not.toMatch(/^line \d+ /m);
    expect(io.stderr.text).not.toContain('TIDINGS_SHUTDOWN');
  });

  it('--timeout: messages without an answer count as pending, exit 5', async () => {
    // The provider never answers the submits.
    const sim = await startSimulator('telegram', { faults: { noResponse: true } });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n+79036550502\n');
    const code = await run(
      io,
      'bulk',
      '-c',
      config,
      '--to-file',
      'to.txt',
      '--code',
      '4821',
      '--timeout',
      '0.3',
      '--json',
    );
    expect(code).toBe(ExitCode.Timeout);
    expect(jsonLines(io.stdout)).toEqual([
      expect.objectContaining({ total: 2, sent: 2, accepted: 0, failed: 0, pending: 2 }),
    ]);
    // The pending messages are ended by the stop after the summary: not reported as failures.
    expect(io.stderr.text).not.toMatch(/^line \d+ /m);
  });

  it('--timeout counts from the last recipient handed over: a paced run sends every line first', async () => {
    // Receipts never come in time: without the timeout the run would wait for them.
    const sim = await startSimulator('telegram', { receipts: { delayMs: 3_600_000 } });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n+79036550502\n+79036550503\n');
    // Sending takes 0.4 s at 5/s, longer than the 0.2 s timeout.
    const code = await run(
      io,
      'bulk',
      '-c',
      config,
      '--to-file',
      'to.txt',
      '--code',
      '4821',
      '--rate',
      '5',
      '--timeout',
      '0.2',
      '--json',
    );
    expect(code).toBe(ExitCode.Timeout);
    expect(jsonLines(io.stdout)[0]).toMatchObject({ total: 3, sent: 3, accepted: 3, delivered: 0, pending: 3 });
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(3);
  });

  it('--timeout defaults to 60 s, so a lost receipt does not keep the run going for a day', () => {
    const bulk = buildProgram(testIo(), { exitCode: ExitCode.Ok }).commands.find((c) => c.name() === 'bulk');
    expect(bulk?.options.find((option) => option.long === '--timeout')?.defaultValue).toBe('60');
  });

  it('SIGINT mid-run: stops sending, prints the summary with what is pending, exit 130', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', ['+79036550501', '+79036550502', '+79036550503', '+79036550504'].join('\n'));
    // One a second: the first goes at once, the rest wait.
    const running = run(io, 'bulk', '-c', config, '--to-file', 'to.txt', '--code', '4821', '--rate', '1', '--json');
    await sim.waitFor({ command: 'submit_sm' });
    io.abort();
    expect(await running).toBe(ExitCode.Interrupted);
    const [summary] = jsonLines(io.stdout) as unknown as BulkSummary[];
    expect(summary?.total).toBe(4);
    expect(summary?.sent).toBeLessThan(4);
    expect(summary?.pending).toBe(4 - (summary?.delivered ?? 0));
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(summary?.sent ?? -1);
    // What the stop does to the messages left is not reported as their failure.
    expect(io.stderr.text).not.toMatch(/^line \d+ /m);
  });

  it('--connect-timeout: an unreachable host ends with exit 3 after that long', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim, { port: await closedPort() }) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n');
    const code = await run(
      io,
      'bulk',
      '-c',
      config,
      '--to-file',
      'to.txt',
      '--code',
      '1234',
      '--connect-timeout',
      '0.3',
    );
    expect(code).toBe(ExitCode.ConnectionFailed);
    expect(io.stderr.text).toContain('no SMPP session bound within 300 ms');
  });

  it('a flag the channel does not read fails before connecting (exit 2)', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    writeFile(io.cwd, 'to.txt', '+79036550501\n');
    expect(await run(io, 'bulk', '-c', config, '--to-file', 'to.txt', '--code', '4821', '--template', 'x')).toBe(
      ExitCode.Usage,
    );
    expect(sim.pdus({ command: 'bind_transceiver' })).toEqual([]);
  });
});
