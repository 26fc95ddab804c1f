import { describeChannelContract } from '@tidings/core/testing/vitest';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { telegramSimulatorProfile } from './simulator/index.js';
import { gatewayOptions } from './telegram.test-helper.js';
import { telegramChannel } from './telegram-plugin.js';

describeChannelContract('telegram channel against the Telegram Gateway simulator profile', {
  setup: async () => {
    const sim = await SmscSimulator.start({ profile: telegramSimulatorProfile({ serviceNames: ['TgCodes'] }) });
    return { plugin: telegramChannel(gatewayOptions(sim, { name: 'tg' })), teardown: () => sim.stop() };
  },
  validMessage: (i) => ({ to: `+7903${String(i).padStart(7, '0')}`, code: String(100_000 + i), ptag: `m${i}` }),
  invalidMessages: [
    { label: 'no code', message: { to: '+79036550550', text: 'Your code: {code}' } },
    { label: 'a code of 3 digits', message: { to: '+79036550550', code: '123' } },
    { label: 'a recipient over 25 characters', message: { to: '8-9-0-3-6-5-5-0-5-5-0-1-23', code: '1234' } },
    { label: 'a text without the code', message: { to: '+79036550550', code: '1234', text: 'Hello' } },
    { label: 'a malformed ptag', message: { to: '+79036550550', code: '1234', ptag: 'a b' } },
    { label: 'a lifetime out of 30-3600 s', message: { to: '+79036550550', code: '1234', validitySeconds: 10 } },
  ],
});
