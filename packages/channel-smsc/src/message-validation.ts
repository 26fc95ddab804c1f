import { ErrorCode, TidingsError, validateMessageBase } from '@tidings/core';
import { checkRecipient, isValidSender, senderRule } from './addressing.js';
import type { SmscMessage } from './message.js';
import { parseSmscText, type SmscContent } from './text-convention.js';

/**
 * Everything SMSC needs of a message, checked without I/O: the common rules, a text in the
 * provider's conventions (its kind read from the text), a recipient fit for that kind, a sender.
 * Errors name the field and never quote the recipient, the sender or the text.
 * Returns the content the text carries.
 */
export function validateSmscMessage(message: SmscMessage): SmscContent {
  validateMessageBase(message);
  // `template` and `code` are not sent over SMPP and are ignored when a `text` is there, so one
  // message can fall back across channels (`send(['engagelab', 'smsc'], { to, template, text })`).
  if (typeof message.text !== 'string') {
    throw new TidingsError(
      ErrorCode.InvalidMessage,
      'message.text is required: SMSC sends the text (a Telegram code goes as smscMessage.telegramCode({ to, code }))',
      { details: { field: 'text' } },
    );
  }
  const content = parseSmscText(message.text);
  checkRecipient(message.to, content.kind === 'mail' ? 'email' : 'phone');
  if (message.from !== undefined && !isValidSender(message.from, content.kind === 'mail')) {
    throw new TidingsError(ErrorCode.InvalidMessage, `message.from ${senderRule}`, { details: { field: 'from' } });
  }
  return content;
}
