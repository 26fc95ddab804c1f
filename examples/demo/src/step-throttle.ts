import { CommandStatus } from '@tidings/transport-smpp';
import { throttlePauseMs } from './providers.js';
import type { Step } from './step.js';

/**
 * Telegram Gateway answers a partner over its rate limit with `0x58` ("rate limit exceeded"); the
 * page says to hold every submit 5 s, then send the refused ones again. The simulator's `throttle`
 * fault makes the next submit get exactly that status (ESME_RTHROTTLED is `0x58`), so the story
 * is the same on every run; the channel's `throttlePauseMs` shortens the 5 s.
 */
export const throttledAndRetried: Step = {
  title: 'Throttling: a submit refused with 0x58, the channel paused, the code sent again',
  intro: `Telegram Gateway's rate limit refuses the next submit_sm; the whole channel waits ${throttlePauseMs} ms (5 s in production)`,
  async run(ctx) {
    ctx.sims.telegram.faults.set({ throttle: { submits: 1 } });
    const burst = [
      { ref: 'burst-1', to: '+79036550561', code: '640118' },
      { ref: 'burst-2', to: '+79036550562', code: '371925' },
    ];
    const refs = burst.map(({ ref }) => ref);
    // Sent together: the first submit_sm gets 0x58, the second goes through.
    const handles = await Promise.all(
      burst.map(async ({ ref, to, code }) =>
        ctx.track(
          ref,
          await ctx.tidings.send('telegram', { to, code, text: 'Your Acme code: {code}', clientRef: ref }),
        ),
      ),
    );
    await Promise.all(handles.map((handle) => ctx.settled(handle)));

    const throttled = refs.filter((ref) =>
      ctx.log
        .eventsOf(ref)
        .some(
          (event) =>
            event.type === 'retrying' &&
            event.channelPaused &&
            event.error.providerStatus === CommandStatus.ESME_RTHROTTLED,
        ),
    );
    ctx.expect(throttled.length === 1, `expected one code refused with 0x58 and retried, got ${throttled.length}`);
    for (const ref of refs) {
      const events = ctx.log.eventsOf(ref);
      const last = events.at(-1);
      ctx.expect(last?.type === 'delivered', `${ref}: expected delivered, got ${last?.type ?? 'no events'}`);
      const attempts = throttled.includes(ref) ? 2 : 1;
      ctx.expect(last?.attempt === attempts, `${ref}: expected ${attempts} attempts, got ${last?.attempt}`);
    }
    const telegramPauses = ctx.pauses.filter((change) => change.channel === 'telegram');
    ctx.expect(
      telegramPauses.some((change) => change.paused) && telegramPauses.at(-1)?.paused === false,
      'expected the telegram channel to pause, then resume',
    );
  },
};
