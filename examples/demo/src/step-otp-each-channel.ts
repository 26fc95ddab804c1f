import type { MessageHandle } from '@tidings/core';
import type { Step } from './step.js';

const lifecycle = ['queued', 'submitted', 'accepted', 'delivered'];

/**
 * One code per channel, each in the shape its provider takes: Telegram Gateway a `code` (its text
 * must carry it), SMSC and smsorg a plain text, EngageLab a `CODE` template the provider fills in.
 */
export const otpThroughEachChannel: Step = {
  title: 'A one-time code through each channel',
  intro: 'queued → submitted → accepted (the provider gives an id) → delivered (its receipt comes back)',
  async run(ctx) {
    const sends: ReadonlyArray<readonly [ref: string, send: () => Promise<MessageHandle>]> = [
      [
        'otp-telegram',
        () =>
          ctx.tidings.send('telegram', {
            to: '+79036550550',
            code: '482913',
            text: 'Your Acme code: {code}',
            clientRef: 'otp-telegram',
          }),
      ],
      [
        'otp-smsc',
        () => ctx.tidings.send('smsc', { to: '+79161234567', text: 'Your Acme code: 517204', clientRef: 'otp-smsc' }),
      ],
      [
        'otp-engagelab',
        () =>
          ctx.tidings.send('engagelab', {
            to: '+6598765432',
            serviceType: 'CODE',
            code: '730145',
            template: { id: 'login-otp' },
            clientRef: 'otp-engagelab',
          }),
      ],
      [
        'otp-smsorg',
        () =>
          ctx.tidings.send('smsorg', { to: '+79123456789', text: 'Your Acme code: 295817', clientRef: 'otp-smsorg' }),
      ],
    ];
    // One after the other, so each message's lines read together.
    for (const [ref, send] of sends) {
      const handle = ctx.track(ref, await send());
      await ctx.settled(handle);
      const types = ctx.log.eventsOf(ref).map((event) => event.type);
      ctx.expect(
        types.join(' → ') === lifecycle.join(' → '),
        `${ref}: expected ${lifecycle.join(' → ')}, got ${types.join(' → ') || 'no events'}`,
      );
    }
  },
};
