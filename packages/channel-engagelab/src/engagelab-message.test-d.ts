import { createTidings, type Tidings } from '@tidings/core';
import { describe, it } from 'vitest';
import { engagelabChannel } from './engagelab-plugin.js';

describe("send() is checked against EngageLab's message shape", () => {
  it('takes templates of the three service types and refuses other shapes', async () => {
    const tidings = await createTidings({
      plugins: [engagelabChannel({ port: 2775, systemId: 'acme', password: 'pw' })],
    });
    tidings.send('engagelab', { to: '+6598765432', template: { id: 'welcome' } });
    tidings.send('engagelab', { to: '+6598765432', serviceType: 'CODE', code: '1234', template: { id: 'otp' } });
    tidings.send('engagelab', { to: '+6598765432', serviceType: 'MRKT', template: { id: 'sale', language: 'en' } });
    // text is not sent but accepted, so one message can fall back to a text channel
    tidings.send('engagelab', { to: '+6598765432', template: { id: 'welcome' }, text: 'Welcome!' });
    // @ts-expect-error EngageLab sends templates only
    tidings.send('engagelab', { to: '+6598765432', text: 'hello' });
    // @ts-expect-error service_type is MSG, CODE or MRKT
    tidings.send('engagelab', { to: '+6598765432', serviceType: 'OTP', template: { id: 't' } });
    // @ts-expect-error CODE needs its code
    tidings.send('engagelab', { to: '+6598765432', serviceType: 'CODE', template: { id: 'otp' } });
    // @ts-expect-error a code is sent with CODE only
    tidings.send('engagelab', { to: '+6598765432', code: '1234', template: { id: 'welcome' } });
    // @ts-expect-error params values are strings
    tidings.send('engagelab', { to: '+6598765432', template: { id: 't', params: { n: 1 } } });
    const named = await createTidings({
      plugins: [engagelabChannel({ name: 'otp-sg', port: 2775, systemId: 'acme', password: 'pw' })],
    });
    named.send('otp-sg', { to: '+6598765432', template: { id: 'welcome' } });
    // @ts-expect-error the instance is named otp-sg
    named.send('engagelab', { to: '+6598765432', template: { id: 'welcome' } });
  });

  it('augments the registry: an untyped Tidings checks send("engagelab", …) too', () => {
    const untyped = {} as Tidings;
    untyped.send('engagelab', { to: '+6598765432', serviceType: 'CODE', code: '1', template: { id: 'otp' } });
    // @ts-expect-error CODE needs its code
    untyped.send('engagelab', { to: '+6598765432', serviceType: 'CODE', template: { id: 'otp' } });
  });
});
