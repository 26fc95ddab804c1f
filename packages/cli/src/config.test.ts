// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` in a config string is the syntax under test.
import { describe, expect, it } from 'vitest';
import { tempDir, writeFile } from './cli.test-helper.js';
import { CliError } from './cli-error.js';
import { channelConfig, createPlugin, loadConfig, parseConfig, scrub } from './config.js';
import { substituteEnv } from './env-substitution.js';
import { ExitCode } from './exit-codes.js';

const telegram = {
  plugin: 'telegram',
  host: '127.0.0.1',
  port: 2775,
  systemId: 'acme',
  password: 'pw-secret-77',
  sender: 'Acme',
};

function failure(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

describe('config', () => {
  it('reads the channels, the key becoming the instance name', () => {
    const config = parseConfig({ channels: { otp: telegram } }, 'tidings.json', {});
    const channel = channelConfig(config, 'otp');
    expect(channel).toMatchObject({ name: 'otp', plugin: 'telegram', options: { port: 2775, sender: 'Acme' } });
    expect(channel.options).not.toHaveProperty('plugin');
    expect(createPlugin(config, channel)).toMatchObject({ name: 'otp', kind: 'telegram' });
  });

  it('substitutes ${VAR} from the environment, in any string, nested too', () => {
    const config = parseConfig(
      {
        channels: {
          otp: {
            ...telegram,
            password: '${TG_PASSWORD}',
            sender: 'Acme-${ENV_SUFFIX}',
            backupHosts: [{ host: '${BACKUP}' }],
          },
        },
      },
      'tidings.json',
      { TG_PASSWORD: 'from-env', ENV_SUFFIX: 'prod', BACKUP: 'smpp2.example.com' },
    );
    expect(channelConfig(config, 'otp').options).toMatchObject({
      password: 'from-env',
      sender: 'Acme-prod',
      backupHosts: [{ host: 'smpp2.example.com' }],
    });
  });

  it('keeps an all-digit password from the environment a string (a numeric password is common)', () => {
    const config = parseConfig(
      {
        channels: {
          sms: { plugin: 'smsc', systemId: 'acme', password: '${SMSC_PASSWORD}', sender: 'Acme', backupHosts: [] },
        },
      },
      'tidings.json',
      { SMSC_PASSWORD: '12345678' },
    );
    expect(config.channels.get('sms')?.options.password).toBe('12345678');
  });

  it('keeps an smsorg login like 1234.5 from the environment a string', () => {
    const config = parseConfig(
      { channels: { org: { plugin: 'smsorg', systemId: '${SMSORG_LOGIN}', password: 'secret', sender: 'Acme' } } },
      'tidings.json',
      { SMSORG_LOGIN: '1234.5' },
    );
    expect(config.channels.get('org')?.options.systemId).toBe('1234.5');
  });

  it('makes a whole "${VAR}" the number or boolean the schema wants, nested too: "port": "${SMPP_PORT}" works', () => {
    const config = parseConfig(
      {
        channels: {
          otp: {
            ...telegram,
            port: '${P}',
            sendPtag: '${PTAG}',
            reconnect: { initialDelayMs: '${DELAY}' },
            sender: '${SENDER}',
            systemId: 'x${P}',
          },
        },
      },
      'tidings.json',
      { P: '2775', PTAG: 'false', DELAY: '250', SENDER: '1234' },
    );
    expect(channelConfig(config, 'otp').options).toMatchObject({
      port: 2775,
      sendPtag: false,
      reconnect: { initialDelayMs: 250 },
      // A string option stays a string, digits or not; only a whole reference is ever converted.
      sender: '1234',
      systemId: 'x2775',
    });
  });

  it('a whole "${VAR}" out of range: the schema\'s own message about the value, as a number', () => {
    const error = failure(() =>
      parseConfig({ channels: { otp: { ...telegram, port: '${P}' } } }, 'tidings.json', { P: '99999' }),
    );
    expect(error.message).toContain('channels.otp.port: must be a TCP port');
    const text = failure(() =>
      parseConfig({ channels: { otp: { ...telegram, port: '${P}' } } }, 'tidings.json', { P: 'twenty' }),
    );
    expect(text.message).toContain('channels.otp.port: must be a TCP port');
  });

  it('substituteEnv leaves every value a string', () => {
    expect(substituteEnv({ port: '${P}', tls: '${T}', id: 'x${P}' }, { P: '2775', T: 'false' }, 'f')).toEqual({
      port: '2775',
      tls: 'false',
      id: 'x2775',
    });
  });

  it('writes "$${" as a literal "${", also when no "}" follows', () => {
    expect(substituteEnv('a$${B}c', {}, 'f')).toBe('a${B}c');
    expect(substituteEnv('pa$${ss', {}, 'f')).toBe('pa${ss');
    const config = parseConfig(
      { channels: { sms: { plugin: 'smsc', systemId: 'acme', password: 'pa$${ss', sender: 'Acme', backupHosts: [] } } },
      'tidings.json',
      {},
    );
    expect(config.channels.get('sms')?.options.password).toBe('pa${ss');
  });

  it('"plugin" may come from the environment too', () => {
    const config = parseConfig(
      {
        channels: {
          sms: { plugin: '${PLUGIN}', systemId: 'acme', password: 'secret', sender: 'Acme', backupHosts: [] },
        },
      },
      'tidings.json',
      { PLUGIN: 'smsc' },
    );
    expect(config.channels.get('sms')?.plugin).toBe('smsc');
    expect(failure(() => parseConfig({ channels: { sms: { plugin: '${PLUGIN}' } } }, 'f', {})).message).toContain(
      'channels.sms.plugin uses ${PLUGIN}, but the environment variable PLUGIN is not set',
    );
  });

  it('loads only the instances asked for: a broken other instance stops nothing', () => {
    const file = {
      channels: { otp: telegram, broken: { ...telegram, password: '${UNSET}' }, bad: { ...telegram, port: 'x' } },
    };
    const config = parseConfig(file, 'f.json', {}, ['otp']);
    expect([...config.channels.keys()]).toEqual(['otp']);
    expect(failure(() => parseConfig(file, 'f.json', {}, ['broken'])).message).toContain(
      'channels.broken.password uses ${UNSET}',
    );
    expect(failure(() => parseConfig(file, 'f.json', {}, ['nope'])).message).toBe(
      'unknown channel "nope": config f.json has "otp", "broken", "bad"',
    );
  });

  it('an unset variable names the variable and where it is used, exit code 2', () => {
    const error = failure(() =>
      parseConfig({ channels: { otp: { ...telegram, password: '${TG_PASSWORD}' } } }, 'tidings.json', {}),
    );
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toBe(
      'config tidings.json: channels.otp.password uses ${TG_PASSWORD}, but the environment variable TG_PASSWORD is not set',
    );
  });

  it('an unknown plugin lists the four', () => {
    const error = failure(() => parseConfig({ channels: { sms: { ...telegram, plugin: 'twilio' } } }, 'f.json', {}));
    expect(error.message).toContain(
      'channels.sms.plugin is "twilio": use one of "telegram", "smsc", "engagelab", "smsorg"',
    );
    const missing = failure(() => parseConfig({ channels: { sms: { host: 'x' } } }, 'f.json', {}));
    expect(missing.message).toContain('channels.sms.plugin is missing');
  });

  it("checks each instance's options with its plugin's schema, naming channels.<name>.<option>, never the password", () => {
    const error = failure(() =>
      parseConfig(
        {
          channels: { otp: { ...telegram, port: 'twenty', sender: undefined, passwrd: 'x', password: 'pw-secret-77' } },
        },
        'f.json',
        {},
      ),
    );
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toContain('invalid options for telegram channel "otp"');
    expect(error.message).toContain('channels.otp.port: must be a TCP port');
    expect(error.message).toContain('channels.otp.sender: is required');
    expect(error.message).toMatch(/channels\.otp: Unrecognized key: "passwrd"/);
    expect(error.message).not.toContain('pw-secret-77');
  });

  it('checks the rules of each plugin: smsc refuses a Cyrillic password without showing it', () => {
    const error = failure(() =>
      parseConfig({ channels: { kz: { plugin: 'smsc', systemId: 'acme', password: 'пароль123' } } }, 'f.json', {}),
    );
    expect(error.message).toContain('channels.kz.password: must not contain Cyrillic letters');
    expect(error.message).not.toContain('пароль123');
  });

  it('refuses a "name" inside an entry, a bad instance name, unknown top-level keys and an empty channel list', () => {
    expect(failure(() => parseConfig({ channels: { otp: { ...telegram, name: 'x' } } }, 'f', {})).message).toContain(
      'channels.otp.name: the instance name is the key',
    );
    expect(failure(() => parseConfig({ channels: { 'bad name': telegram } }, 'f', {})).message).toContain(
      'channels.bad name: an instance name is 1-64 letters',
    );
    expect(failure(() => parseConfig({ channels: { otp: telegram }, plugins: [] }, 'f', {})).message).toContain(
      'unknown top-level key "plugins"',
    );
    expect(failure(() => parseConfig({ channels: {} }, 'f', {})).message).toContain('at least one channel');
    expect(failure(() => parseConfig([], 'f', {})).message).toContain('must be a JSON object');
  });

  it('loads a file relative to cwd; a missing file or bad JSON is a usage error naming the file', async () => {
    const dir = tempDir();
    writeFile(dir, 'ok.json', { channels: { otp: telegram } });
    writeFile(dir, 'broken.json', '{ "channels": ');
    expect((await loadConfig('ok.json', { cwd: dir, env: {} })).channels.has('otp')).toBe(true);
    await expect(loadConfig('nope.json', { cwd: dir, env: {} })).rejects.toThrow(
      'config nope.json: cannot read it (no such file)',
    );
    await expect(loadConfig('broken.json', { cwd: dir, env: {} })).rejects.toThrow(
      /config broken.json: not valid JSON/,
    );
  });

  it('picks the only channel without --channel; with several, asks for one; an unknown one lists them', () => {
    const one = parseConfig({ channels: { otp: telegram } }, 'f.json', {});
    expect(channelConfig(one, undefined).name).toBe('otp');
    const two = parseConfig({ channels: { otp: telegram, backup: telegram } }, 'f.json', {});
    expect(failure(() => channelConfig(two, undefined)).message).toBe(
      'config f.json has 2 channels: choose one with --channel ("otp", "backup")',
    );
    const unknown = failure(() => channelConfig(two, 'sms'));
    expect(unknown.exitCode).toBe(ExitCode.Usage);
    expect(unknown.message).toBe('unknown channel "sms": config f.json has "otp", "backup"');
  });

  it('reports what the factory refuses beyond the schema under the instance name', () => {
    // telegram: receipts with a transmitter bind need a receiver bind (a superRefine of the schema).
    const error = failure(() =>
      parseConfig({ channels: { otp: { ...telegram, bindMode: 'transmitter' } } }, 'f.json', {}),
    );
    expect(error.message).toContain('channels.otp.receiverBinds: must be at least 1');
  });

  it('scrub masks a secret where it stands as a whole value, never the instance name or part of a word', () => {
    expect(scrub('refused: password "pw-secret-77" (pw-secret-77)', { password: 'pw-secret-77' })).toBe(
      'refused: password "***" (***)',
    );
    // A password equal to the instance name must not hide which instance failed.
    expect(scrub('channels.otp: bind refused', { password: 'otp' }, ['otp'])).toBe('channels.otp: bind refused');
    // A short secret is not masked inside ordinary words ("sent" for "sen", "kz" of "kz-main").
    expect(scrub('sent to kz-main', { password: 'sen', token: 'kz' })).toBe('sent to kz-main');
    expect(scrub('token abcd1 in abcd12', { apiKey: 'abcd1' })).toBe('token *** in abcd12');
  });
});
