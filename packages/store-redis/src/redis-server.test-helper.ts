import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A `redis-server` of its own for one test file or test, on 127.0.0.1 and a free port. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** A client for the test's own checks (closed by `stop`). */
  readonly client: Redis;
  stop(): Promise<void>;
}

const binary = process.env.REDIS_SERVER ?? 'redis-server';

/**
 * Starts `redis-server` (no persistence). Fails, never skips, when it is not installed: the
 * integration tests are the point of this package.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new Error(
      `redis-server is needed by these tests and was not found (${binary}): install it ` +
        '(apt-get install redis-server, brew install redis) or point REDIS_SERVER at the binary',
    );
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  // Refused connections while the server starts are expected: the loop below retries.
  client.on('error', () => {});
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        client.disconnect();
        child.kill('SIGKILL');
        throw new Error(`redis-server did not start on port ${port}: ${stderr || String(error)}`);
      }
      client.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    port,
    url,
    client,
    async stop() {
      client.disconnect();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
