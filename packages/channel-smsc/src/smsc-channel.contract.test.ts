import { describeChannelContract } from '@tidings/core/testing/vitest';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { smscSimulatorProfile } from './simulator/index.js';
import { optionsFor } from './smsc.test-helper.js';
import { smscChannel } from './smsc-channel-plugin.js';

describeChannelContract('SMSC over SMPP, against its simulator profile', {
  setup: async () => {
    const sim = await SmscSimulator.start({ profile: smscSimulatorProfile() });
    return { plugin: smscChannel(optionsFor(sim, { name: 'smsc' })), teardown: () => sim.stop() };
  },
  validMessage: (i) => ({ to: `+7701${String(i).padStart(7, '0')}`, text: `Your code is ${1000 + i}` }),
  invalidMessages: [
    { label: 'no recipient', message: { text: 'hi' } },
    { label: 'no text', message: { to: '+77011234567', code: '1234' } },
    { label: 'a Telegram code that is not 4-8 digits', message: { to: '+77011234567', text: '__TGM__: 12ab' } },
    { label: 'an e-mail to a phone number', message: { to: '+77011234567', text: '__MAIL__: hi\nsubj:Hello' } },
    { label: 'a call with an unknown voice', message: { to: '+77011234567', text: '__CALL__: hi\nvoice:x9' } },
    { label: 'a recipient that is not a number', message: { to: 'bob', text: 'hi' } },
    { label: 'a lone surrogate', message: { to: '+77011234567', text: 'bad \ud800 text' } },
  ],
});
