import { describeChannelContract } from '@tidings/core/testing/vitest';
import { optionsFor, startEngageLab } from './engagelab.test-helper.js';
import type { EngageLabMessage } from './engagelab-message.js';
import { engagelabChannel } from './engagelab-plugin.js';

describeChannelContract<EngageLabMessage>('engagelab', {
  async setup() {
    const sim = await startEngageLab();
    return { plugin: engagelabChannel(optionsFor(sim)), teardown: () => sim.stop() };
  },
  validMessage: (index) => ({
    to: `+659876${String(index).padStart(4, '0')}`,
    serviceType: 'CODE',
    code: String(100_000 + index),
    template: { id: 'login-otp', params: { attempt: String(index) } },
  }),
  invalidMessages: [
    { label: 'a recipient without "+"', message: { to: '6598765432', template: { id: 'login-otp' } } },
    { label: 'no template', message: { to: '+6598765432', text: 'Your code is 1234' } },
    { label: 'CODE without code', message: { to: '+6598765432', serviceType: 'CODE', template: { id: 'login-otp' } } },
    { label: 'a code with MSG', message: { to: '+6598765432', code: '1234', template: { id: 'login-otp' } } },
    { label: 'an unknown service_type', message: { to: '+6598765432', serviceType: 'OTP', template: { id: 't' } } },
    { label: 'a non-string param', message: { to: '+6598765432', template: { id: 't', params: { n: 1 } } } },
    {
      label: 'a JSON body over 254 octets',
      message: { to: '+6598765432', template: { id: 't', params: { note: 'x'.repeat(200) } } },
    },
  ],
});
