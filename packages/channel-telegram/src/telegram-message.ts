import { ErrorCode, type MessageBase, TidingsError } from '@tidings/core';
import {
  characterCount,
  codePlaceholder,
  containsCode,
  hasOtherCodeLikeNumber,
  isCode,
  renderText,
} from './code-text.js';
import { isLifetime, maxValiditySeconds, minValiditySeconds } from './lifetime.js';
import { isPtag } from './ptag.js';
import { recipientProblem } from './recipient.js';
import { maxTextCharacters } from './text-limits.js';

/**
 * An authorization code for a Telegram user, by phone number. A `template` (another channel's
 * content) is ignored, so one message can fall back across channels; the code is what is required.
 */
export interface TelegramMessage extends MessageBase {
  /** Phone number, at most 25 characters: `79036550550`, `+79036550550`, `8-903-655-05-50`, `89036550550`. */
  readonly to: string;
  /** The code: 4 to 8 digits. */
  readonly code: string;
  /**
   * The text, a template where `{code}` stands for the code (`"Your code: {code}"`); it must carry
   * the code and no other number of 4 to 8 digits (the provider reads the code from the text), at
   * most 2000 characters once filled. Default: the code alone.
   */
  readonly text?: string;
  /** Your own id for the message, sent as the `ptag` TLV: 1-50 characters of `0-9 a-z A-Z - .`. */
  readonly ptag?: string;
  /** Lifetime in seconds, 30-3600 (`validity_period`); default: the channel's `validitySeconds`. */
  readonly validitySeconds?: number;
  /** `priority_flag` 0-2, where priority was agreed with the provider (channel option `priority`). */
  readonly priority?: number;
  /** Service name for this message (`source_addr`); default: the channel's `sender`. */
  readonly from?: string;
}

declare module '@tidings/core' {
  interface ChannelRegistry {
    /** `@tidings/channel-telegram` under its default instance name. */
    telegram: TelegramMessage;
  }
}

/** What the channel's options decide about messages. */
export interface TelegramMessageRules {
  /** Whether priority was agreed (the channel has a `priority` option). */
  readonly priorityEnabled: boolean;
}

const invalid = (field: string, rule: string): TidingsError =>
  new TidingsError(ErrorCode.InvalidMessage, `message.${field} ${rule}`, { details: { field } });

const printableAscii = /^[\x20-\x7e]{1,20}$/;

/**
 * The page's rules on a message, checked before anything is sent. Messages name the field and
 * the rule but never echo the code or the text.
 */
export function validateTelegramMessage(message: TelegramMessage, rules: TelegramMessageRules): void {
  const problem = recipientProblem(message.to);
  if (problem !== undefined) throw invalid('to', problem);
  const code: unknown = message.code;
  if (!isCode(code)) {
    const got = typeof code === 'string' ? `${code.length} characters` : typeof code;
    throw invalid('code', `must be 4 to 8 digits 0-9 (got ${got})`);
  }
  const text = renderText(message.code, message.text);
  if (!containsCode(text, message.code)) {
    throw invalid('text', `must contain the code: write ${codePlaceholder} where it goes (e.g. "Your code: {code}")`);
  }
  if (hasOtherCodeLikeNumber(text, message.code)) {
    throw invalid(
      'text',
      'must have no other number of 4 to 8 digits besides the code: the provider reads the code from the text and could take the other one (write it with fewer or more digits, or in words)',
    );
  }
  const characters = characterCount(text);
  if (characters > maxTextCharacters) {
    throw invalid(
      'text',
      `is ${characters} characters long once filled in; Telegram Gateway takes at most ${maxTextCharacters}`,
    );
  }
  if (message.ptag !== undefined && !isPtag(message.ptag)) {
    throw invalid('ptag', 'must be 1 to 50 characters of 0-9, a-z, A-Z, "-" and "."');
  }
  if (message.validitySeconds !== undefined && !isLifetime(message.validitySeconds)) {
    throw invalid(
      'validitySeconds',
      `must be a whole number of seconds from ${minValiditySeconds} to ${maxValiditySeconds} (the message lifetime)`,
    );
  }
  if (message.priority !== undefined) {
    if (!rules.priorityEnabled) {
      throw invalid(
        'priority',
        'cannot be set: priority is off unless agreed with the provider (channel option "priority")',
      );
    }
    if (!(message.priority === 0 || message.priority === 1 || message.priority === 2)) {
      throw invalid('priority', 'must be 0, 1 or 2');
    }
  }
  if (message.from !== undefined && !printableAscii.test(message.from)) {
    throw invalid('from', 'must be a service name of 1 to 20 ASCII characters (source_addr)');
  }
}
