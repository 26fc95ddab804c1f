import { describeChannelContract } from '@tidings/core/testing/vitest';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { acmeOptions } from './acme.test-helper.js';
import { acmeChannel } from './acme-plugin.js';
import { acmeSimulatorProfile } from './simulator/index.js';

// The core's contract suite against the Acme profile; its batches run faster than Acme's 10/s,
// so the rate is lifted on both sides (throttling has its own tests).
describeChannelContract('acme channel against the Acme SMS simulator profile', {
  setup: async () => {
    const sim = await SmscSimulator.start({
      profile: acmeSimulatorProfile({ maxPerSecond: Number.POSITIVE_INFINITY }),
    });
    return {
      plugin: acmeChannel(acmeOptions(sim, { name: 'acme-contract', maxPerSecond: 10_000 })),
      teardown: () => sim.stop(),
    };
  },
  validMessage: (i) =>
    i % 2 === 0
      ? { to: `+4915${String(i).padStart(8, '0')}`, text: `Hello number ${i}` }
      : { to: `+4915${String(i).padStart(8, '0')}`, code: String(100_000 + i), text: 'Your code: {code}' },
  invalidMessages: [
    { label: 'no content', message: { to: '+4915112345678' } },
    { label: 'a template only (Acme has none)', message: { to: '+4915112345678', template: { id: 'welcome' } } },
    { label: 'a local recipient number', message: { to: '015112345678a', text: 'Hi' } },
    { label: 'a sender name of 12 characters', message: { to: '+4915112345678', text: 'Hi', from: 'AcmeShopping' } },
    { label: 'a text without its code', message: { to: '+4915112345678', code: '1234', text: 'Hello' } },
    { label: 'a malformed campaign', message: { to: '+4915112345678', text: 'Hi', campaign: 'a b' } },
    { label: 'a validity over 72 h', message: { to: '+4915112345678', text: 'Hi', validitySeconds: 259_201 } },
    { label: 'a text of 7 parts', message: { to: '+4915112345678', text: 'x'.repeat(153 * 6 + 1) } },
  ],
});
