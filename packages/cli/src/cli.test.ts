import { describe, expect, it } from 'vitest';
import { run, testIo } from './cli.test-helper.js';
import { ExitCode } from './exit-codes.js';

describe('tidings (program)', () => {
  it('--help lists the four commands on stdout, exit 0', async () => {
    const io = testIo();
    expect(await run(io, '--help')).toBe(ExitCode.Ok);
    for (const command of ['send', 'bulk', 'watch', 'simulate']) expect(io.stdout.text).toContain(command);
  });

  it('--version prints the package version, exit 0', async () => {
    const io = testIo();
    expect(await run(io, '--version')).toBe(ExitCode.Ok);
    expect(io.stdout.text).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('an unknown command or option is a usage error (exit 2) on stderr', async () => {
    const io = testIo();
    expect(await run(io, 'sned')).toBe(ExitCode.Usage);
    expect(io.stderr.text).toContain("unknown command 'sned'");
    expect(io.stderr.text).toContain('(Did you mean send?)');
    const io2 = testIo();
    expect(await run(io2, 'send', '-c', 'x.json', '--to', '1', '--colour')).toBe(ExitCode.Usage);
    expect(io2.stderr.text).toContain("unknown option '--colour'");
  });
});
