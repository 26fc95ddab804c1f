import { blockedTelegramRecipient } from './providers.js';
import type { Step } from './step.js';

/** Telegram Gateway's status for a recipient the account may not send to. */
const invalidRecipient = 0x0b;

/**
 * A login code sent to `['telegram', 'smsc']`: the message carries a `code` for Telegram Gateway
 * and a text for SMS (`{code}` is filled in). Telegram refuses the number with `0x0B` (never
 * resent), so core moves the same message on to SMSC.
 */
export const telegramFallsBackToSms: Step = {
  title: 'Fallback: Telegram refuses the number, the code goes by SMS',
  intro: 'one message, two channels: 0x0B (recipient not allowed) at Telegram Gateway, then SMSC',
  async run(ctx) {
    const ref = 'login-fallback';
    const handle = ctx.track(
      ref,
      await ctx.tidings.send(['telegram', 'smsc'], {
        to: blockedTelegramRecipient,
        code: '905531',
        text: 'Your Acme code: {code}',
        clientRef: ref,
      }),
    );
    const end = await ctx.settled(handle);
    const events = ctx.log.eventsOf(ref);
    const rejected = events.find((event) => event.type === 'rejected');
    ctx.expect(
      rejected?.type === 'rejected' &&
        rejected.channel === 'telegram' &&
        rejected.error.providerStatus === invalidRecipient,
      `${ref}: expected telegram to reject it with 0x0B`,
    );
    const fallback = events.find((event) => event.type === 'fallback');
    ctx.expect(
      fallback?.type === 'fallback' && fallback.from === 'telegram' && fallback.to === 'smsc',
      `${ref}: expected a fallback from telegram to smsc`,
    );
    ctx.expect(
      end.type === 'delivered' && end.channel === 'smsc',
      `${ref}: expected delivered by smsc, got ${end.type} on ${end.channel}`,
    );
  },
};
