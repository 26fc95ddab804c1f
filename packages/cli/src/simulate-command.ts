import { describeStatus } from '@tidings/transport-smpp';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { CliError } from './cli-error.js';
import { checkOptions } from './config.js';
import { ExitCode } from './exit-codes.js';
import { aborted, type CliIo, writeLine } from './io.js';
import { isPluginName, pluginNames } from './plugin-catalog.js';
import { printable } from './printable.js';
import { reportError } from './report-error.js';
import { simulatorPresets } from './simulator-presets.js';

export interface SimulateFlags {
  readonly profile: string;
  readonly host: string;
  readonly port: string;
  readonly systemId?: string;
  readonly password?: string;
  /** Milliseconds from a submit to its delivery receipt, as typed. */
  readonly receiptDelay?: string;
}

/**
 * `tidings simulate`: an SMSC simulator with a channel's provider profile, for local development.
 * Prints where it listens, the login and a config to use with the other commands, then one line
 * per bind, submit and receipt until SIGINT/SIGTERM.
 */
export async function simulateCommand(flags: SimulateFlags, io: CliIo): Promise<ExitCode> {
  let simulator: SmscSimulator | undefined;
  try {
    const name = flags.profile;
    if (!isPluginName(name)) {
      throw new CliError(ExitCode.Usage, `--profile must be one of ${pluginNames.join(', ')} (got "${name}")`);
    }
    const port = wholeNumber(flags.port, '--port', 65_535);
    const receiptDelay =
      flags.receiptDelay === undefined ? undefined : wholeNumber(flags.receiptDelay, '--receipt-delay');
    const preset = simulatorPresets[name];
    const account = { systemId: flags.systemId ?? preset.systemId, password: flags.password ?? preset.password };
    const entry = { host: flags.host, port, ...account, ...preset.extraOptions };
    // The printed config must work: a login the plugin refuses (smsorg wants XXXX.X) is refused here.
    try {
      // `--port 0`: the port is known once listening; any valid one stands in for the check.
      checkOptions(name, name, { ...entry, port: port === 0 ? 2775 : port }, 'printed by simulate');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError(
        ExitCode.Usage,
        `--system-id/--password: the ${name} channel would refuse this login\n${reason.split('\n').slice(1).join('\n')}`,
      );
    }
    try {
      simulator = await SmscSimulator.start({
        host: flags.host,
        port,
        accounts: [account],
        profile: preset.profile(),
        ...(receiptDelay === undefined ? {} : { receipts: { delayMs: receiptDelay } }),
      });
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new CliError(ExitCode.ConnectionFailed, `cannot listen on ${flags.host}:${port}: ${reason}`, { cause });
    }
    const sim = simulator;
    sim.on('bind', ({ session, systemId, mode }) =>
      writeLine(io.stdout, `bind     session #${session.id} ${printable(systemId)} (${mode})`),
    );
    sim.on('bindRefused', ({ session, systemId, status }) =>
      writeLine(
        io.stdout,
        `refused  session #${session.id} ${printable(systemId)}: ${status === 'closed' ? 'connection closed' : describeStatus(status)}`,
      ),
    );
    sim.on('submit', ({ session, pdu, status, messageId }) =>
      writeLine(
        io.stdout,
        `submit   session #${session.id} to ${printable(pdu.destination_addr)}: ${status === undefined || status === 0 ? `accepted as ${messageId}` : `refused ${describeStatus(status)}`}`,
      ),
    );
    sim.on('receipt', ({ session, messageId }) =>
      writeLine(io.stdout, `receipt  session #${session.id} for ${messageId}`),
    );
    const config = { channels: { [name]: { plugin: name, ...entry, host: sim.host, port: sim.port } } };
    writeLine(io.stdout, `${name} simulator listening on ${sim.host}:${sim.port}`);
    writeLine(io.stdout, `  systemId: ${account.systemId}`);
    writeLine(io.stdout, `  password: ${account.password}`);
    writeLine(
      io.stdout,
      `config (save as tidings.json, then: tidings send --config tidings.json --to … ${preset.sendHint}):`,
    );
    for (const line of JSON.stringify(config, null, 2).split('\n')) writeLine(io.stdout, line);
    writeLine(io.stderr, 'Ctrl-C stops the simulator');
    await aborted(io.signal);
    return ExitCode.Ok;
  } catch (error) {
    return reportError(io, false, error);
  } finally {
    await simulator?.stop();
  }
}

function wholeNumber(value: string, flag: string, max = Number.MAX_SAFE_INTEGER): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number > max) {
    throw new CliError(ExitCode.Usage, `${flag} must be a whole number from 0 to ${max} (got "${value}")`);
  }
  return number;
}
