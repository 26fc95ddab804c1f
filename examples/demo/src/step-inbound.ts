import { filter, firstValueFrom } from 'rxjs';
import type { Step } from './step.js';

/** A subscriber's reply: UCS2, since it is Cyrillic. */
export const inboundText = 'STOP — больше не присылайте';

/**
 * A mobile-originated message: the SMSC simulator sends it as `deliver_sm` on the channel's
 * transceiver session, and it comes out of the runtime's `inbound$`.
 */
export const inboundReply: Step = {
  title: 'An inbound message',
  intro: 'a subscriber answers; SMSC delivers it as deliver_sm and it comes out of tidings.inbound$',
  async run(ctx) {
    // Subscribe before the simulator sends: inbound$ is hot.
    const arrival = firstValueFrom(ctx.tidings.inbound$.pipe(filter((message) => message.channel === 'smsc')));
    await ctx.within(ctx.sims.smsc.sendMo({ from: '79001112233', to: 'Acme', text: inboundText }), 'the MO');
    const message = await ctx.within(arrival, 'the inbound message');
    ctx.expect(
      message.text === inboundText && message.from === '79001112233',
      `expected ${JSON.stringify(inboundText)} from 79001112233, got ${JSON.stringify(message.text)} from ${message.from}`,
    );
  },
};
