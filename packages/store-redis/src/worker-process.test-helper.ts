import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { WorkerConfig } from './worker.test-helper.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workerPath = fileURLToPath(new URL('./worker.test-helper.ts', import.meta.url));

/** A Tidings worker in a child process of its own (see worker.test-helper.ts). */
export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The JSON facts it printed so far. */
  readonly facts: Record<string, unknown>[];
  /** Resolves with the first fact of this type (rejects if the process exits before). */
  fact(type: string): Promise<Record<string, unknown>>;
  /** Tells it to start sending. */
  go(): void;
  /** SIGKILL: no cleanup at all, as a crash. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
}

export function spawnWorker(config: WorkerConfig): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=@tidings/source', '--import', 'tsx', workerPath, JSON.stringify(config)],
    {
      cwd: packageDir,
      // The package's tsconfig: the channels' sources use (experimental) parameter decorators.
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../tsconfig.run.json', import.meta.url)) },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const facts: Record<string, unknown>[] = [];
  const waiters: { type: string; resolve: (fact: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    let fact: Record<string, unknown>;
    try {
      fact = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // not one of ours
    }
    facts.push(fact);
    for (const waiter of waiters.filter((w) => w.type === fact.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(fact);
    }
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const waiter of waiters.splice(0)) {
      waiter.reject(new Error(`worker ${config.name} exited before "${waiter.type}": ${stderr}`));
    }
  });
  return {
    name: config.name,
    child,
    facts,
    fact(type) {
      const known = facts.find((fact) => fact.type === type);
      if (known) return Promise.resolve(known);
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.reject(new Error(`worker ${config.name} has exited: ${stderr}`));
      }
      return new Promise((resolve, reject) => waiters.push({ type, resolve, reject }));
    },
    go() {
      child.stdin?.write('go\n');
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
