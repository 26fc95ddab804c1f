import { describeChannelContract } from '@tidings/core/testing/vitest';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { smsorgSimulatorProfile } from './simulator/index.js';
import { ACCOUNT, type Overrides, optionsFor } from './smsorg.test-helper.js';
import type { SmsorgMessage } from './smsorg-message.js';
import { smsorgChannel } from './smsorg-plugin.js';

const invalidMessages = [
  { label: 'no recipient', message: { text: 'hi' } },
  { label: 'a recipient that is not an international number', message: { to: '8 (912) 345-67-89', text: 'hi' } },
  { label: 'no text', message: { to: '+79123456789', code: '4829' } },
  {
    label: 'an alphanumeric sender longer than 11 characters',
    message: { to: '+79123456789', from: 'A'.repeat(12), text: 'hi' },
  },
  { label: 'a text longer than 255 parts', message: { to: '+79123456789', text: 'x'.repeat(153 * 255 + 1) } },
];

const variants: ReadonlyArray<readonly [string, Overrides]> = [
  ['passive receipts (receipts: true)', { receipts: true }],
  ['active receipts (query_sm polling)', { receipts: { mode: 'active', intervalMs: 10 } }],
  ['bind_transmitter with active receipts', { bindMode: 'transmitter', receipts: { mode: 'active', intervalMs: 10 } }],
];

for (const [mode, overrides] of variants) {
  describeChannelContract<SmsorgMessage>(`smsorg channel, ${mode}, against the smsorg simulator profile`, {
    setup: async () => {
      const sim = await SmscSimulator.start({
        profile: smsorgSimulatorProfile({ deliveryDelayMs: 5 }),
        accounts: [ACCOUNT],
      });
      return {
        plugin: smsorgChannel(optionsFor(sim, overrides)),
        teardown: () => sim.stop(),
      };
    },
    validMessage: (i) => ({ to: `+7912345${String(i).padStart(4, '0')}`, text: `Your code is ${1000 + i}` }),
    invalidMessages,
  });
}
