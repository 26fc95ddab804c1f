import type { Step } from './step.js';
import { telegramFallsBackToSms } from './step-fallback.js';
import { inboundReply } from './step-inbound.js';
import { longUcs2Text } from './step-long-text.js';
import { otpThroughEachChannel } from './step-otp-each-channel.js';
import { throttledAndRetried } from './step-throttle.js';

/** The demo's sections, in order. */
export const story: readonly Step[] = [
  otpThroughEachChannel,
  throttledAndRetried,
  telegramFallsBackToSms,
  inboundReply,
  longUcs2Text,
];
