import { describe, expect, it } from 'vitest';
import { tempDir, writeFile } from './cli.test-helper.js';
import { parseRecipients, readRecipients } from './recipients.js';

describe('recipients file', () => {
  it('one a line, trimmed; blank lines and # comments skipped; line numbers kept', () => {
    expect(parseRecipients('# team\n+79000000001\n\n  +79000000002  \r\n#+79000000003\nnot-a-number\n')).toEqual([
      { line: 2, to: '+79000000001' },
      { line: 4, to: '+79000000002' },
      { line: 6, to: 'not-a-number' },
    ]);
  });

  it('a missing or empty file is a usage error', async () => {
    const dir = tempDir();
    writeFile(dir, 'empty.txt', '# nobody\n\n');
    await expect(readRecipients('none.txt', dir)).rejects.toThrow('--to-file none.txt: cannot read it (no such file)');
    await expect(readRecipients('empty.txt', dir)).rejects.toThrow('--to-file empty.txt lists no recipient');
  });
});
