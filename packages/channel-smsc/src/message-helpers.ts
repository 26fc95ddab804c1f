import type { MessageBase } from '@tidings/core';
import type { SmscMessage } from './message.js';
import { validateSmscMessage } from './message-validation.js';
import { formatSmscText, type SmscContent, type SmscVoice } from './text-convention.js';

/** The message fields every kind shares (the text is built by the helper). */
export type SmscMessageCommon = Omit<MessageBase, 'text' | 'code' | 'template'>;

function build<T extends SmscMessageCommon>(input: T, content: SmscContent, own: readonly string[]): SmscMessage {
  const rest: Record<string, unknown> = { ...input };
  for (const key of own) delete rest[key];
  const message = { ...(rest as SmscMessageCommon), text: formatSmscText(content) } as SmscMessage;
  validateSmscMessage(message);
  return message;
}

/**
 * Builds each kind SMSC carries over SMPP, in the provider's text conventions; each throws
 * `TIDINGS_INVALID_MESSAGE` on input the provider would refuse, before anything is sent.
 *
 * ```ts
 * await tidings.send('smsc', smscMessage.telegramCode({ to: '+77011234567', code: '4821' }));
 * ```
 */
export const smscMessage = {
  /** A plain SMS; `comment` (after `\n~~~\n`) shows in the account history only, is not sent nor billed. */
  sms(input: SmscMessageCommon & { readonly text: string; readonly comment?: string }): SmscMessage {
    const { text, comment } = input;
    return build(input, comment === undefined ? { kind: 'sms', text } : { kind: 'sms', text, comment }, ['comment']);
  },
  /** An e-mail (`__MAIL__: <text>\nsubj:<subject>`); `to` is an e-mail address. */
  mail(input: SmscMessageCommon & { readonly text: string; readonly subject: string }): SmscMessage {
    return build(input, { kind: 'mail', text: input.text, subject: input.subject }, ['subject']);
  },
  /** An MMS (`__MMS__: <text>\nsubj:<subject>`). */
  mms(input: SmscMessageCommon & { readonly text: string; readonly subject: string }): SmscMessage {
    return build(input, { kind: 'mms', text: input.text, subject: input.subject }, ['subject']);
  },
  /**
   * A voice call reading the text (`__CALL__: <text>\nvoice:<voice>[,<language>]`), with the call's
   * `param` after `\n~~~\n`. The provider's default voice is `m3`.
   */
  call(
    input: SmscMessageCommon & {
      readonly text: string;
      readonly voice?: SmscVoice;
      readonly language?: string;
      readonly params?: string;
    },
  ): SmscMessage {
    const { text, voice, language, params } = input;
    return build(
      input,
      {
        kind: 'call',
        text,
        ...(voice === undefined ? {} : { voice }),
        ...(language === undefined ? {} : { language }),
        ...(params === undefined ? {} : { params }),
      },
      ['voice', 'language', 'params'],
    );
  },
  /** A Viber message (`__VIBER__: <text>`); button and file macros as in the provider's HTTP API. */
  viber(input: SmscMessageCommon & { readonly text: string }): SmscMessage {
    return build(input, { kind: 'viber', text: input.text }, []);
  },
  /** A message to Odnoklassniki, VKontakte or Mail.Ru Agent users (`__SOC__: <text>`). */
  social(input: SmscMessageCommon & { readonly text: string }): SmscMessage {
    return build(input, { kind: 'social', text: input.text }, []);
  },
  /** A Telegram confirmation code (`__TGM__: <code>`): 4 to 8 digits only. */
  telegramCode(input: SmscMessageCommon & { readonly code: string }): SmscMessage {
    return build(input, { kind: 'telegram-code', code: input.code }, ['code']);
  },
  /** A message through a Telegram chat-bot (`__BOT__: <text>\nbot:@<bot>`). */
  bot(input: SmscMessageCommon & { readonly text: string; readonly bot: string }): SmscMessage {
    return build(input, { kind: 'bot', text: input.text, bot: input.bot }, ['bot']);
  },
  /** An HLR request (`__HLR__`); the result comes in the delivery receipt. */
  hlr(input: SmscMessageCommon): SmscMessage {
    return build(input, { kind: 'hlr' }, []);
  },
  /** A ping SMS (`__PING__`): checks the subscriber is reachable, shows nothing. */
  ping(input: SmscMessageCommon): SmscMessage {
    return build(input, { kind: 'ping' }, []);
  },
} as const;
