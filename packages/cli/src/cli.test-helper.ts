import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SmscSimulator, type SmscSimulatorOptions } from '@tidings/transport-smpp/simulator';
import { onTestFinished } from 'vitest';
import { runCli } from './cli.js';
import type { ExitCode } from './exit-codes.js';
import type { CliIo, CliOutput } from './io.js';
import type { PluginName } from './plugin-catalog.js';
import { simulatorPresets } from './simulator-presets.js';

/** A CliOutput that keeps what was written. */
export class MemoryOutput implements CliOutput {
  text = '';
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  get lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }
}

export interface TestIo extends CliIo {
  readonly stdout: MemoryOutput;
  readonly stderr: MemoryOutput;
  /** What SIGINT does in the bin. */
  abort(): void;
}

/** An in-memory io: no TTY unless `tty`, the given environment, `cwd` a fresh temporary folder. */
export function testIo(env: Record<string, string> = {}, cwd = tempDir(), tty = false): TestIo {
  const controller = new AbortController();
  return {
    stdout: new MemoryOutput(tty),
    stderr: new MemoryOutput(tty),
    env,
    cwd,
    signal: controller.signal,
    abort: () => controller.abort(),
  };
}

/** Runs `tidings <argv>` in-process. */
export function run(io: CliIo, ...argv: string[]): Promise<ExitCode> {
  return runCli(argv, io);
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tidings-cli-'));
}

/** Writes `content` (JSON unless a string) to `name` in `dir`; returns the path. */
export function writeFile(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** A simulator with the plugin's provider profile and the login of `tidings simulate`, stopped after the test. */
export async function startSimulator(
  plugin: PluginName,
  options: Omit<SmscSimulatorOptions, 'accounts'> = {},
): Promise<SmscSimulator> {
  const preset = simulatorPresets[plugin];
  const sim = await SmscSimulator.start({
    profile: preset.profile(),
    ...options,
    accounts: [{ systemId: preset.systemId, password: preset.password }],
  });
  onTestFinished(() => sim.stop());
  return sim;
}

/** A config entry for `sim`: quick reconnects and one bind failure, so a bad login ends at once. */
export function channelEntry(
  plugin: PluginName,
  sim: SmscSimulator,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const preset = simulatorPresets[plugin];
  return {
    plugin,
    host: sim.host,
    port: sim.port,
    systemId: preset.systemId,
    password: preset.password,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50, jitter: 0 },
    maxBindFailures: 1,
    ...preset.extraOptions,
    ...overrides,
  };
}

/** Writes `tidings.json` with one channel per entry into the io's folder (its cwd); returns the name. */
export function writeConfig(io: CliIo, channels: Record<string, Record<string, unknown>>): string {
  writeFile(io.cwd, 'tidings.json', { channels });
  return 'tidings.json';
}

/** Every stdout line parsed as JSON (fails the test on a line that is not). */
export function jsonLines(output: MemoryOutput): Record<string, unknown>[] {
  return output.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Resolves once `output` has a line matching `pattern` (polling the buffer; no timing asserted). */
export async function waitForLine(output: MemoryOutput, pattern: RegExp): Promise<string> {
  for (;;) {
    const line = output.lines.find((candidate) => pattern.test(candidate));
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A port on 127.0.0.1 nothing listens on: every connect is refused at once (ECONNREFUSED). */
export async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
