import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { type BulkFlags, bulkCommand } from './bulk-command.js';
import { jsonLine } from './event-format.js';
import { ExitCode } from './exit-codes.js';
import { type CliIo, writeLine } from './io.js';
import { engagelabServiceTypes, smscKinds } from './message-flags.js';
import { pluginNames } from './plugin-catalog.js';
import { type SendFlags, sendCommand } from './send-command.js';
import { type SimulateFlags, simulateCommand } from './simulate-command.js';
import { type WatchFlags, watchCommand } from './watch-command.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The message flags `send` and `bulk` share; each plugin reads its own (see message-flags.ts). */
function messageOptions(command: Command): Command {
  return command
    .option('--text <text>', 'the text; for telegram a template where {code} stands for the code')
    .option('--code <code>', 'a verification code (telegram, engagelab CODE, smsc --kind telegram-code)')
    .option('--sender <name>', 'sender id / service name (source_addr) instead of the channel default')
    .option('--validity <seconds>', 'how long the provider keeps trying (validity_period)')
    .option('--priority <n>', 'priority_flag, where the channel allows it')
    .option('--client-ref <ref>', 'your reference, echoed in every event')
    .option('--ptag <ptag>', 'telegram: your id for the message, sent as the ptag TLV')
    .addOption(new Option('--kind <kind>', 'smsc: the message kind').choices(smscKinds))
    .option('--subject <subject>', 'smsc --kind mail|mms: the subject')
    .option('--voice <voice>', 'smsc --kind call: the voice (m, m2, m3, m4, w, w2, w3, w4)')
    .option('--bot <name>', 'smsc --kind bot: the Telegram bot')
    .option('--comment <comment>', 'smsc: a comment kept in the account history, not sent')
    .option('--template <id>', 'engagelab: the template id')
    .option('--language <code>', 'engagelab: the template language; smsc --kind call: the text language')
    .option('--param <key=value>', 'engagelab: a template parameter (repeatable)', collect)
    .addOption(new Option('--service-type <type>', 'engagelab: service_type').choices(engagelabServiceTypes));
}

/** The `tidings` program, writing to `io`; each action stores its exit code in `result`. */
export function buildProgram(io: CliIo, result: { exitCode: ExitCode }): Command {
  const program = new Command('tidings')
    .description('Send OTP codes and SMS through Tidings channel plugins configured in a JSON file.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  messageOptions(
    program
      .command('send')
      .description('send one message and print its lifecycle events')
      .requiredOption('-c, --config <file>', 'config file (JSON)')
      .option('--channel <name>', 'channel instance of the config (default: the only one)')
      .requiredOption('--to <number>', 'recipient'),
  )
    .addOption(
      new Option('--wait <state>', 'exit once the message is accepted, or settled (delivered or failed)')
        .choices(['accepted', 'settled'])
        .default('accepted'),
    )
    .option('--timeout <seconds>', 'give up waiting after this long (0: never)', '60')
    .option(
      '--connect-timeout <seconds>',
      'give up connecting and binding after this long (default: the config, else 30)',
    )
    .option('--json', 'one JSON object per event on stdout')
    .option('--verbose', 'log the runtime and transport to stderr')
    .action(async (flags: SendFlags) => {
      result.exitCode = await sendCommand(flags, io);
    });

  messageOptions(
    program
      .command('bulk')
      .description('send one message to every recipient of a file, with progress and a summary')
      .requiredOption('-c, --config <file>', 'config file (JSON)')
      .option('--channel <name>', 'channel instance of the config (default: the only one)')
      .requiredOption('--to-file <file>', 'recipients, one a line; blank lines and # comments skipped'),
  )
    .option('--rate <perSecond>', 'at most this many messages per second')
    .addOption(
      new Option('--wait <state>', 'count a message done once accepted, or once settled')
        .choices(['accepted', 'settled'])
        .default('settled'),
    )
    .option(
      '--timeout <seconds>',
      'once all are handed over, wait at most this long for the rest; they count as pending (0: never)',
      '60',
    )
    .option(
      '--connect-timeout <seconds>',
      'give up connecting and binding after this long (default: the config, else 30)',
    )
    .option('--json', 'print the summary as one JSON object')
    .option('--verbose', 'log the runtime and transport to stderr')
    .action(async (flags: BulkFlags) => {
      result.exitCode = await bulkCommand(flags, io);
    });

  program
    .command('watch')
    .description('print inbound messages and delivery receipts until Ctrl-C')
    .requiredOption('-c, --config <file>', 'config file (JSON)')
    .option('--channel <name>', 'only this channel instance (repeatable; default: all)', collect)
    .option(
      '--connect-timeout <seconds>',
      'give up connecting and binding after this long (default: the config, else 30)',
    )
    .option('--json', 'one JSON object per inbound message or receipt')
    .option('--verbose', 'log the runtime and transport to stderr')
    .action(async (flags: WatchFlags) => {
      result.exitCode = await watchCommand(flags, io);
    });

  program
    .command('simulate')
    .description('run an SMSC simulator with a provider profile, for local development')
    .addOption(new Option('--profile <name>', 'provider profile').choices(pluginNames).makeOptionMandatory())
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0: a free one)', '2775')
    .option('--system-id <id>', 'the login to accept (default: one the profile takes)')
    .option('--password <password>', 'its password (default: secret)')
    .option('--receipt-delay <ms>', 'from a submit to its delivery receipt (default: the profile)')
    .action(async (flags: SimulateFlags) => {
      result.exitCode = await simulateCommand(flags, io);
    });

  return program;
}

/**
 * Runs `tidings` with `argv` (the arguments after the program name) against `io`, resolving with
 * the exit code. Never calls `process.exit`: the bin does, so tests run it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const result: { exitCode: ExitCode } = { exitCode: ExitCode.Ok };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with 0; a bare `tidings` shows the help and is a usage error.
      if (error.exitCode === 0) return ExitCode.Ok;
      // Commander wrote the reason on stderr; a script reading --json sees it on stdout too.
      if (wantsJson(argv)) {
        const message = error.message.replace(/^error: /, '');
        writeLine(io.stdout, jsonLine({ type: 'error', exitCode: ExitCode.Usage, message }));
      }
      return ExitCode.Usage;
    }
    throw error;
  }
}

/** `--json` among the arguments (before a `--`), whether or not commander got as far as reading it. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}
