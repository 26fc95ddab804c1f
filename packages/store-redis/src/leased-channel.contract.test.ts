import { smscChannel } from '@tidings/channel-smsc';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { describeChannelContract } from '@tidings/core/testing/vitest';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { afterAll, beforeAll } from 'vitest';
import { freshNamespace } from './cluster.test-helper.js';
import { redisScaleOut } from './redis-scale-out.js';
import { type RedisServer, startRedisServer } from './redis-server.test-helper.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

// The leased SMSC channel owes the runtime what every channel does.
describeChannelContract('SMSC leased through Redis, against its simulator profile', {
  setup: async () => {
    const sim = await SmscSimulator.start({ profile: smscSimulatorProfile({ maxPerSecond: 10_000 }) });
    const redis = redisScaleOut({ url: server.url, namespace: freshNamespace() });
    const plugin = smscChannel({
      name: 'smsc',
      host: sim.host,
      port: sim.port,
      systemId: 'test',
      password: 'secret',
      reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
      settings: { retry: { initialDelayMs: 10, maxDelayMs: 100, maxAttempts: 10 } },
    });
    return {
      plugin: redis.leased(plugin, { leases: 1 }),
      teardown: async () => {
        await redis.close();
        await sim.stop();
      },
    };
  },
  validMessage: (i) => ({ to: `+7701${String(i).padStart(7, '0')}`, text: `Your code is ${1000 + i}` }),
  invalidMessages: [
    { label: 'no recipient', message: { text: 'hi' } },
    { label: 'a recipient that is not a number', message: { to: 'bob', text: 'hi' } },
  ],
});
