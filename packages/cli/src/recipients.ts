import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** One recipient of a `bulk` file, with its line number for reports. */
export interface Recipient {
  readonly line: number;
  readonly to: string;
}

/** One recipient a line; blank lines and lines starting with `#` are skipped; spaces around are trimmed. */
export function parseRecipients(text: string): Recipient[] {
  const out: Recipient[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const to = raw.trim();
    if (to === '' || to.startsWith('#')) continue;
    out.push({ line: index + 1, to });
  }
  return out;
}

export async function readRecipients(path: string, cwd: string): Promise<Recipient[]> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new CliError(ExitCode.Usage, `--to-file ${path}: cannot read it (${reason})`, { cause });
  }
  const recipients = parseRecipients(text);
  if (recipients.length === 0) throw new CliError(ExitCode.Usage, `--to-file ${path} lists no recipient`);
  return recipients;
}
