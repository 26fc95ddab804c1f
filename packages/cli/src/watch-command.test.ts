// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` in a config string is the syntax under test.
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { describe, expect, it } from 'vitest';
import {
  channelEntry,
  closedPort,
  jsonLines,
  run,
  startSimulator,
  testIo,
  waitForLine,
  writeConfig,
} from './cli.test-helper.js';
import { ExitCode } from './exit-codes.js';

describe('tidings watch', () => {
  it('prints inbound messages and receipts until stopped, then unbinds and exits 0', async () => {
    const sim = await startSimulator('smsc');
    const io = testIo();
    const config = writeConfig(io, { kz: channelEntry('smsc', sim) });
    const running = run(io, 'watch', '-c', config);
    await waitForLine(io.stderr, /^watching kz; Ctrl-C stops$/);
    expect(io.stderr.lines[0]).toMatch(/^kz: ready/);

    await sim.sendMo({ from: '+77011234567', to: '7755', text: 'STOP' });
    expect(await waitForLine(io.stdout, /inbound/)).toMatch(/kz inbound\s+from \+77011234567 to 7755: STOP$/);

    // A receipt for a message another process sent (this one sent nothing).
    await sim.sendReceipt({ messageId: '4242', stat: 'UNDELIV', err: 1, systemId: 'test' });
    expect(await waitForLine(io.stdout, /receipt/)).toMatch(/kz receipt\s+provider id 4242 undelivered err/);

    io.abort();
    expect(await running).toBe(ExitCode.Ok);
    expect(sim.pdus({ command: 'unbind' })).toHaveLength(1);
  });

  it('--json: one object per inbound message or receipt; --channel picks instances', async () => {
    const sim = await startSimulator('smsorg');
    const other = await startSimulator('smsorg');
    const io = testIo();
    const config = writeConfig(io, { sms: channelEntry('smsorg', sim), spare: channelEntry('smsorg', other) });
    const running = run(io, 'watch', '-c', config, '--channel', 'sms', '--json');
    await waitForLine(io.stderr, /^watching sms;/);
    expect(other.pdus({ command: 'bind_transceiver' })).toEqual([]);

    await sim.sendMo({ from: '+79123456789', to: 'MyShop', text: 'Привет' });
    await waitForLine(io.stdout, /inbound/);
    await sim.sendReceipt({ messageId: '77', systemId: '1234.5' });
    await waitForLine(io.stdout, /receipt/);
    io.abort();
    expect(await running).toBe(ExitCode.Ok);
    expect(jsonLines(io.stdout)).toEqual([
      expect.objectContaining({ type: 'inbound', channel: 'sms', from: '+79123456789', to: 'MyShop', text: 'Привет' }),
      expect.objectContaining({ type: 'receipt', channel: 'sms', providerMessageId: '77', state: 'delivered' }),
    ]);
  });

  it('--connect-timeout: an unreachable host ends with exit 3 after that long', async () => {
    const sim = await startSimulator('smsc');
    const io = testIo();
    const config = writeConfig(io, { kz: channelEntry('smsc', sim, { port: await closedPort() }) });
    expect(await run(io, 'watch', '-c', config, '--connect-timeout', '0.3')).toBe(ExitCode.ConnectionFailed);
    expect(io.stderr.text).toContain('no SMPP session bound within 300 ms');
  });

  it('an unknown --channel is a usage error (exit 2)', async () => {
    const sim = await startSimulator('smsc');
    const io = testIo();
    const config = writeConfig(io, { kz: channelEntry('smsc', sim) });
    expect(await run(io, 'watch', '-c', config, '--channel', 'nope')).toBe(ExitCode.Usage);
    expect(io.stderr.text).toContain('unknown channel "nope"');
  });

  it('naming the same instance twice watches it once (no duplicate-plugin failure)', async () => {
    const sim = await startSimulator('smsc');
    const io = testIo();
    const config = writeConfig(io, { kz: channelEntry('smsc', sim) });
    const running = run(io, 'watch', '-c', config, '--channel', 'kz', '--channel', 'kz');
    const first = await Promise.race([
      running.then((code) => `exited ${code}: ${io.stderr.text}`),
      waitForLine(io.stderr, /^watching /),
    ]);
    io.abort();
    expect(await running).toBe(ExitCode.Ok);
    expect(first).toBe('watching kz; Ctrl-C stops');
    expect(sim.pdus({ command: 'bind_transceiver' })).toHaveLength(1);
  });

  it('keeps one line per inbound message and passes no terminal escape through (text, from, to)', async () => {
    const sim = await startSimulator('smsc');
    const io = testIo();
    const config = writeConfig(io, { kz: channelEntry('smsc', sim) });
    const running = run(io, 'watch', '-c', config);
    await waitForLine(io.stderr, /^watching kz;/);
    // Anyone can send an SMS: a newline forges a second "receipt" line, ESC[2J clears the screen.
    await sim.sendMo({
      from: '+7701\u001b]0;x\u0007',
      to: '7755',
      text: 'hi\n00:00:00.000 kz receipt     provider id 1 delivered\u001b[2J\u202e',
    });
    await waitForLine(io.stdout, /inbound/);
    // A receipt after it: the inbound line must be complete and alone before it.
    await sim.sendReceipt({ messageId: '4242', systemId: 'test' });
    await waitForLine(io.stdout, /receipt/);
    io.abort();
    expect(await running).toBe(ExitCode.Ok);
    expect(io.stdout.lines).toHaveLength(2);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal.
    expect(io.stdout.text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(io.stdout.lines[0]).toMatch(
      /kz inbound\s+from \+7701\\x1B\]0;x\\x07 to 7755: hi\\n00:00:00\.000 kz receipt {5}provider id 1 delivered\\x1B\[2J\\u202E$/,
    );
  });

  it('--json keeps the inbound text exactly as received (JSON escapes it)', async () => {
    const sim = await startSimulator('smsc');
    const io = testIo();
    const config = writeConfig(io, { kz: channelEntry('smsc', sim) });
    const running = run(io, 'watch', '-c', config, '--json');
    await waitForLine(io.stderr, /^watching kz;/);
    await sim.sendMo({ from: '+77011234567', to: '7755', text: 'a\nb\u001b[2J' });
    await waitForLine(io.stdout, /inbound/);
    io.abort();
    expect(await running).toBe(ExitCode.Ok);
    expect(jsonLines(io.stdout)).toEqual([expect.objectContaining({ type: 'inbound', text: 'a\nb\u001b[2J' })]);
  });

  it('Ctrl-C while connecting stops cleanly (exit 0) without waiting for the bind', async () => {
    // The provider never answers the bind.
    const sim = await startSimulator('smsc', {
      profile: { ...smscSimulatorProfile(), onBind: () => new Promise<never>(() => {}) },
    });
    const io = testIo();
    const config = writeConfig(io, { kz: channelEntry('smsc', sim) });
    const running = run(io, 'watch', '-c', config, '--connect-timeout', '5');
    await sim.waitFor({ command: 'bind_transceiver' });
    io.abort();
    expect(await running).toBe(ExitCode.Ok);
    expect(io.stderr.text).not.toContain('watching');
  });

  it("with --channel, only the named instances are substituted: another one's unset ${VAR} stops nothing", async () => {
    const sim = await startSimulator('smsc');
    const io = testIo();
    const config = writeConfig(io, {
      kz: channelEntry('smsc', sim),
      other: channelEntry('smsc', sim, { password: '${UNSET_PASSWORD}' }),
    });
    const running = run(io, 'watch', '-c', config, '--channel', 'kz');
    await waitForLine(io.stderr, /^watching kz;/);
    io.abort();
    expect(await running).toBe(ExitCode.Ok);
    // Without --channel every instance is used, and the unset variable is the error.
    const all = testIo({}, io.cwd);
    expect(await run(all, 'watch', '-c', config)).toBe(ExitCode.Usage);
    expect(all.stderr.text).toContain('channels.other.password uses ${UNSET_PASSWORD}');
  });
});
