import { countParts, type PartCount } from '@tidings/transport-smpp';
import { SMSORG_ENCODING } from './smsorg-rules.js';

/**
 * What a text costs at smsorg, as the channel will send it: ASCII (160 per SMS, 153 per part)
 * when it can, else UCS2 (70 / 67). A GSM-only character such as `€` already means UCS2 here.
 * Throws `TIDINGS_INVALID_MESSAGE` for a text no alphabet carries (a lone surrogate).
 *
 * ```ts
 * countSmsorgParts('Your code: 4829');  // { alphabet: 'ascii', dataCoding: 1, parts: 1, perPart: 160, … }
 * countSmsorgParts('Ваш код: 4829');    // { alphabet: 'ucs2', dataCoding: 8, parts: 1, perPart: 70, … }
 * ```
 */
export function countSmsorgParts(text: string): PartCount {
  return countParts(text, { allowed: SMSORG_ENCODING.allowed, concatenation: SMSORG_ENCODING.concatenation });
}
