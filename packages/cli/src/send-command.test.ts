// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` in a config string is the syntax under test.
import { telegramSimulatorProfile } from '@tidings/channel-telegram/simulator';
import { decodeText } from '@tidings/transport-smpp';
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

const TO = '+79036550550';

describe('tidings send', () => {
  it('--wait settled: prints queued → submitted → accepted → delivered and exits 0', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const code = await run(
      io,
      'send',
      '--config',
      config,
      '--to',
      TO,
      '--code',
      '123456',
      '--text',
      'Your code: {code}',
      '--wait',
      'settled',
    );
    expect(io.stderr.text).toBe('');
    expect(code).toBe(ExitCode.Ok);
    const types = io.stdout.lines.map((line) => line.split(/\s+/)[2]);
    expect(types).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
    expect(io.stdout.text).toMatch(/otp accepted\s+provider id \d+, 1 part/);
    // No colour codes off a terminal.
    expect(io.stdout.text).not.toContain('\u001b[');
    const [submit] = sim.pdus({ command: 'submit_sm' });
    expect(submit?.destination_addr).toBe(TO);
  });

  it('--json: one JSON object per line on stdout, nothing else', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const code = await run(io, 'send', '-c', config, '--to', TO, '--code', '123456', '--wait', 'settled', '--json');
    expect(code).toBe(ExitCode.Ok);
    const events = jsonLines(io.stdout);
    expect(events.map((event) => event.type)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
    expect(events.every((event) => event.channel === 'otp')).toBe(true);
    expect(events.at(-1)).toMatchObject({ terminal: true, report: { state: 'delivered' } });
  });

  it('colours on a terminal only, and never with NO_COLOR', async () => {
    const sim = await startSimulator('telegram');
    const tty = testIo({}, undefined, true);
    const config = writeConfig(tty, { otp: channelEntry('telegram', sim) });
    expect(await run(tty, 'send', '-c', config, '--to', TO, '--code', '123456')).toBe(ExitCode.Ok);
    expect(tty.stdout.text).toContain('\u001b[32maccepted');
    const noColor = testIo({ NO_COLOR: '1' }, tty.cwd, true);
    expect(await run(noColor, 'send', '-c', config, '--to', TO, '--code', '123456')).toBe(ExitCode.Ok);
    expect(noColor.stdout.text).toMatch(/otp accepted/);
    expect(noColor.stdout.text).not.toContain('\u001b[');
  });

  it('--wait accepted (the default) exits 0 once the provider accepted, without waiting for the receipt', async () => {
    // Receipts an hour later: only acceptance can end this run.
    const sim = await startSimulator('telegram', { receipts: { delayMs: 3_600_000 } });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const code = await run(io, 'send', '-c', config, '--to', TO, '--code', '123456', '--json');
    expect(code).toBe(ExitCode.Ok);
    // The shutdown that ends the wait for the receipt is not printed: it is not this command's answer.
    expect(jsonLines(io.stdout).map((event) => event.type)).toEqual(['queued', 'submitted', 'accepted']);
  });

  it('--timeout: exits 5 when the awaited state does not come in time', async () => {
    const sim = await startSimulator('telegram', { receipts: { delayMs: 3_600_000 } });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const code = await run(
      io,
      'send',
      '-c',
      config,
      '--to',
      TO,
      '--code',
      '123456',
      '--wait',
      'settled',
      '--timeout',
      '0.2',
    );
    expect(code).toBe(ExitCode.Timeout);
    expect(io.stderr.text).toContain('no final state within 0.2 s (last event: accepted)');
  });

  it('a wrong password ends quickly with exit 3, says authentication failed, never shows the password', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo({ TG_PASSWORD: 'Wr0ng-Pa55' });
    const config = writeConfig(io, { otp: channelEntry('telegram', sim, { password: '${TG_PASSWORD}' }) });
    const code = await run(io, 'send', '-c', config, '--to', TO, '--code', '123456', '--json', '--verbose');
    expect(code).toBe(ExitCode.ConnectionFailed);
    expect(io.stderr.text).toContain('authentication failed (TIDINGS_AUTH_FAILED)');
    expect(io.stderr.text).toContain('ESME_RINVPASWD');
    expect(jsonLines(io.stdout)).toEqual([
      expect.objectContaining({ type: 'error', exitCode: 3, code: 'TIDINGS_AUTH_FAILED' }),
    ]);
    expect(io.stdout.text + io.stderr.text).not.toContain('Wr0ng-Pa55');
    expect(sim.pdus({ command: 'submit_sm' })).toEqual([]);
  });

  it('--connect-timeout: an unreachable host ends with exit 3 after that long, over startTimeoutMs in the config', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const port = await closedPort();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim, { port, startTimeoutMs: 600_000 }) });
    const code = await run(io, 'send', '-c', config, '--to', TO, '--code', '123456', '--connect-timeout', '0.3');
    expect(code).toBe(ExitCode.ConnectionFailed);
    expect(io.stderr.text).toContain('could not connect (TIDINGS_START_FAILED)');
    expect(io.stderr.text).toContain('no SMPP session bound within 300 ms');
    expect(io.stderr.text).toContain('ECONNREFUSED');
  });

  it('--connect-timeout takes a positive number of seconds (exit 2 otherwise, before connecting)', async () => {
    for (const value of ['0', '-1', 'soon', '', '1e9']) {
      const io = testIo();
      expect(await run(io, 'send', '-c', 'x.json', '--to', TO, '--code', '1234', '--connect-timeout', value)).toBe(
        ExitCode.Usage,
      );
      expect(io.stderr.text).toContain('--connect-timeout must be a positive number of seconds');
    }
  });

  it('an unknown channel: exit 2, the configured channels listed, nothing connects', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim), backup: channelEntry('telegram', sim) });
    const code = await run(io, 'send', '-c', config, '--channel', 'sms', '--to', TO, '--code', '123456');
    expect(code).toBe(ExitCode.Usage);
    expect(io.stderr.text).toContain('unknown channel "sms": config tidings.json has "otp", "backup"');
    expect(sim.pdus({ command: 'bind_transceiver' })).toEqual([]);
  });

  it('a bad number: TIDINGS_INVALID_MESSAGE naming the field, exit 4, no submit_sm on the wire', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const code = await run(io, 'send', '-c', config, '--to', '+7 (903) 655', '--code', '123456', '--json');
    expect(code).toBe(ExitCode.InvalidMessage);
    expect(io.stderr.text).toContain('invalid message, nothing was sent: TIDINGS_INVALID_MESSAGE: message.to');
    expect(jsonLines(io.stdout)).toEqual([
      expect.objectContaining({ type: 'error', exitCode: 4, code: 'TIDINGS_INVALID_MESSAGE' }),
    ]);
    expect(sim.pdus({ command: 'submit_sm' })).toEqual([]);
  });

  it('a message the provider refuses: the rejected event with its status, exit 1', async () => {
    // Telegram Gateway answers 0x0B to a recipient the account may not send to.
    const sim = await startSimulator('telegram', { profile: telegramSimulatorProfile({ blockedRecipients: [TO] }) });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const code = await run(io, 'send', '-c', config, '--to', TO, '--code', '123456');
    expect(code).toBe(ExitCode.MessageFailed);
    expect(io.stdout.text).toMatch(/otp rejected\s+TIDINGS_REJECTED: .*\(provider status 0x0000000B\)/);
    expect(io.stderr.text).toContain('tidings: message rejected: TIDINGS_REJECTED');
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(1);
  });

  it('usage errors (missing --to, a bad --wait, an unset variable) exit 2', async () => {
    const io = testIo();
    expect(await run(io, 'send', '-c', 'x.json', '--code', '1234')).toBe(ExitCode.Usage);
    expect(io.stderr.text).toContain("required option '--to <number>' not specified");
    const io2 = testIo();
    expect(await run(io2, 'send', '-c', 'x.json', '--to', TO, '--wait', 'delivered')).toBe(ExitCode.Usage);
    expect(io2.stderr.text).toContain('Allowed choices are accepted, settled');
    const io3 = testIo();
    const config = writeConfig(io3, {
      otp: { plugin: 'telegram', host: '${SMPP_HOST}', port: 1, systemId: 'a', password: 'b', sender: 'c' },
    });
    expect(await run(io3, 'send', '-c', config, '--to', TO, '--code', '1234')).toBe(ExitCode.Usage);
    expect(io3.stderr.text).toContain(
      'channels.otp.host uses ${SMPP_HOST}, but the environment variable SMPP_HOST is not set',
    );
  });

  it('SIGINT while waiting stops cleanly with exit 130', async () => {
    const sim = await startSimulator('telegram', { receipts: { delayMs: 3_600_000 } });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const running = run(
      io,
      'send',
      '-c',
      config,
      '--to',
      TO,
      '--code',
      '123456',
      '--wait',
      'settled',
      '--timeout',
      '0',
    );
    await waitForLine(io.stdout, /accepted/);
    io.abort();
    expect(await running).toBe(ExitCode.Interrupted);
    expect(sim.pdus({ command: 'unbind' })).toHaveLength(1);
  });

  it('--json: Ctrl-C while waiting ends with one {"type":"error"} line, exit 130', async () => {
    const sim = await startSimulator('telegram', { receipts: { delayMs: 3_600_000 } });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const running = run(io, 'send', '-c', config, '--to', TO, '--code', '123456', '--wait', 'settled', '--json');
    await waitForLine(io.stdout, /"accepted"/);
    io.abort();
    expect(await running).toBe(ExitCode.Interrupted);
    expect(jsonLines(io.stdout).at(-1)).toEqual({ type: 'error', exitCode: 130, message: 'interrupted; stopping' });
    expect(io.stderr.text).toContain('tidings: interrupted; stopping');
  });

  it('Ctrl-C while connecting stops at once, sends nothing, and says so on stdout with --json', async () => {
    // The provider never answers the bind: without the signal, start would wait for --connect-timeout.
    const sim = await startSimulator('telegram', {
      profile: { ...telegramSimulatorProfile(), onBind: () => new Promise<never>(() => {}) },
    });
    const io = testIo();
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    const running = run(io, 'send', '-c', config, '--to', TO, '--code', '123456', '--json', '--connect-timeout', '5');
    await sim.waitFor({ command: 'bind_transceiver' });
    io.abort();
    expect(await running).toBe(ExitCode.Interrupted);
    expect(jsonLines(io.stdout)).toEqual([
      { type: 'error', exitCode: 130, message: 'interrupted while connecting; stopping' },
    ]);
    expect(sim.pdus({ command: 'submit_sm' })).toEqual([]);
  });

  it('Ctrl-C as the bind completes: nothing is sent, exit 130 with the JSON error line', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    sim.on('bind', () => io.abort());
    const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
    expect(await run(io, 'send', '-c', config, '--to', TO, '--code', '123456', '--json')).toBe(ExitCode.Interrupted);
    expect(jsonLines(io.stdout)).toEqual([expect.objectContaining({ type: 'error', exitCode: 130 })]);
    expect(sim.pdus({ command: 'submit_sm' })).toEqual([]);
  });

  it('--json: a usage error commander finds is one {"type":"error"} line on stdout too', async () => {
    const io = testIo();
    expect(await run(io, 'send', '-c', 'x.json', '--code', '1234', '--json')).toBe(ExitCode.Usage);
    expect(jsonLines(io.stdout)).toEqual([
      { type: 'error', exitCode: 2, message: "required option '--to <number>' not specified" },
    ]);
    // A config error: the same line, with the message.
    const io2 = testIo();
    expect(await run(io2, 'send', '-c', 'missing.json', '--to', TO, '--json')).toBe(ExitCode.Usage);
    expect(jsonLines(io2.stdout)).toEqual([
      expect.objectContaining({
        type: 'error',
        exitCode: 2,
        message: 'config missing.json: cannot read it (no such file)',
      }),
    ]);
  });

  it('uses only the chosen instance: an unset ${VAR} of another instance stops nothing', async () => {
    const sim = await startSimulator('telegram');
    const io = testIo();
    const config = writeConfig(io, {
      otp: channelEntry('telegram', sim),
      backup: channelEntry('telegram', sim, { password: '${UNSET_PASSWORD}' }),
    });
    expect(await run(io, 'send', '-c', config, '--channel', 'otp', '--to', TO, '--code', '123456')).toBe(ExitCode.Ok);
    // Without --channel and two instances: asked to choose, not told about the other's variable.
    const io2 = testIo({}, io.cwd);
    expect(await run(io2, 'send', '-c', config, '--to', TO, '--code', '123456')).toBe(ExitCode.Usage);
    expect(io2.stderr.text).toContain('has 2 channels: choose one with --channel ("otp", "backup")');
  });

  describe('plugin flags reach the wire', () => {
    it('telegram --ptag: the ptag TLV (0x1411)', async () => {
      const sim = await startSimulator('telegram');
      const io = testIo();
      const config = writeConfig(io, { otp: channelEntry('telegram', sim) });
      expect(await run(io, 'send', '-c', config, '--to', TO, '--code', '123456', '--ptag', 'login.42')).toBe(
        ExitCode.Ok,
      );
      const [submit] = sim.pdus({ command: 'submit_sm' });
      expect(sim.tlvs.read(submit?.tlvs, 'ptag')).toBe('login.42');
    });

    it('smsc --kind telegram-code: "__TGM__: <code>" in short_message', async () => {
      const sim = await startSimulator('smsc');
      const io = testIo();
      const config = writeConfig(io, { kz: channelEntry('smsc', sim) });
      expect(
        await run(io, 'send', '-c', config, '--to', '+77011234567', '--kind', 'telegram-code', '--code', '4821'),
      ).toBe(ExitCode.Ok);
      const [submit] = sim.pdus({ command: 'submit_sm' });
      expect(decodeText(submit?.short_message ?? new Uint8Array(), submit?.data_coding ?? 0)).toBe('__TGM__: 4821');
    });

    it('engagelab --template/--param/--code: service_type CODE and the template JSON', async () => {
      const sim = await startSimulator('engagelab');
      const io = testIo();
      const config = writeConfig(io, { el: channelEntry('engagelab', sim) });
      const code = await run(
        io,
        'send',
        '-c',
        config,
        '--to',
        '+6598765432',
        '--template',
        'login-otp',
        '--code',
        '123456',
        '--param',
        'brand=Acme',
        '--wait',
        'settled',
      );
      expect(code).toBe(ExitCode.Ok);
      const [submit] = sim.pdus({ command: 'submit_sm' });
      expect(submit?.service_type).toBe('CODE');
      const json = JSON.parse(
        decodeText(submit?.short_message ?? new Uint8Array(), submit?.data_coding ?? 0),
      ) as unknown;
      expect(json).toMatchObject({ id: 'login-otp', code: '123456', params: { brand: 'Acme' } });
    });

    it('smsorg --text --sender: the text and the sender on the wire', async () => {
      const sim = await startSimulator('smsorg', { receipts: { delayMs: 0 } });
      const io = testIo();
      const config = writeConfig(io, { sms: channelEntry('smsorg', sim) });
      expect(await run(io, 'send', '-c', config, '--to', '+79123456789', '--text', 'Hello', '--sender', 'Shop')).toBe(
        ExitCode.Ok,
      );
      const [submit] = sim.pdus({ command: 'submit_sm' });
      expect(submit?.source_addr).toBe('Shop');
      expect(decodeText(submit?.short_message ?? new Uint8Array(), submit?.data_coding ?? 0)).toBe('Hello');
    });
  });
});
