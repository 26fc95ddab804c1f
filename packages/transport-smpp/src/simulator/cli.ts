import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ErrorCode, type Logger, TidingsError } from '@tidings/core';
import { describeStatus } from '../pdu/command-status.js';
import type { SimulatorAccount, SmscSimulatorOptions } from './simulator-options.js';
import { SmscSimulator } from './smsc-simulator.js';

export const CLI_USAGE = `Usage: tidings-smsc-simulator [options]

  --host <host>              listen address (default 127.0.0.1)
  --port <port>              listen port (default 2775; 0 for a free one)
  --system-id <id>           the account clients bind with (default test)
  --password <password>      its password (default secret)
  --receipt-delay-ms <ms>    delay of delivery receipts (default 100)
  --tls-key <file>           PEM private key: serve SMPP over TLS (with --tls-cert)
  --tls-cert <file>          PEM certificate
  --help                     this text
`;

/** A line writer: the CLI's only output. */
export type WriteLine = (line: string) => void;

/**
 * Parses the command line and starts a simulator that logs binds and submits. Returns undefined
 * after printing the usage for `--help`. Throws TIDINGS_INVALID_OPTIONS on bad arguments.
 */
export async function startSimulatorCli(
  argv: readonly string[],
  writeLine: WriteLine,
): Promise<SmscSimulator | undefined> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '2775' },
      'system-id': { type: 'string', default: 'test' },
      password: { type: 'string', default: 'secret' },
      'receipt-delay-ms': { type: 'string', default: '100' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    writeLine(CLI_USAGE);
    return undefined;
  }
  const port = integerArgument(values.port, '--port');
  const receiptDelayMs = integerArgument(values['receipt-delay-ms'], '--receipt-delay-ms');
  const keyFile = values['tls-key'];
  const certFile = values['tls-cert'];
  if ((keyFile === undefined) !== (certFile === undefined)) {
    throw new TidingsError(ErrorCode.InvalidOptions, 'Give both --tls-key and --tls-cert, or neither.');
  }
  const account: SimulatorAccount = { systemId: values['system-id'], password: values.password };
  const options: SmscSimulatorOptions = {
    host: values.host,
    port,
    accounts: [account],
    receipts: { delayMs: receiptDelayMs },
    logger: lineLogger(writeLine),
    ...(keyFile !== undefined && certFile !== undefined
      ? { tls: { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') } }
      : {}),
  };
  const simulator = await SmscSimulator.start(options);
  simulator.on('submit', ({ session, pdu, status, messageId }) => {
    writeLine(
      `info submit session=#${session.id} system_id=${session.systemId ?? ''} to=${pdu.destination_addr} ` +
        `status=${status === undefined ? 'none' : describeStatus(status)} message_id=${messageId}`,
    );
  });
  simulator.on('receipt', ({ session, messageId }) =>
    writeLine(`info receipt session=#${session.id} message_id=${messageId}`),
  );
  writeLine(`info accepting system_id=${account.systemId} on ${simulator.address}${simulator.tls ? ' (TLS)' : ''}`);
  return simulator;
}

function integerArgument(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new TidingsError(ErrorCode.InvalidOptions, `${name} must be a whole number >= 0, got '${value}'.`);
  }
  return number;
}

/** info and above, one line each: `info smsc simulator: bound {"sessionId":1,…}`. The simulator never logs passwords. */
function lineLogger(writeLine: WriteLine): Logger {
  const line =
    (level: string) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void =>
      writeLine(fields === undefined ? `${level} ${message}` : `${level} ${message} ${JSON.stringify(fields)}`);
  return { debug: () => {}, info: line('info'), warn: line('warn'), error: line('error') };
}
