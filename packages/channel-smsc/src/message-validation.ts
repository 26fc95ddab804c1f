import { ErrorCode, TidingsError, validateMessageBase } from '@tidings/core';
import { checkRecipient, isValidSender, senderRule } from './addressing.js';
import type { SmscMessage } from './message.js';
import { parseSmscText, type SmscContent } from './text-convention.js';

/**
 * Everything SMSC needs of a message, checked without I/O: the common rules, a text in the
 * provider's conventions (its kind read from the text), a recipient fit for that kind, a sender.
 * Returns the content the text carries.
 */
export function validateSmscMessage(message: SmscMessage): SmscContent {
  validateMessageBase(message);
  if (message.template !== undefined) {
    throw new TidingsError(
      ErrorCode.InvalidMessage,
      'smsc: message.template is not supported over SMPP; send the filled-in text',
      { details: { field: 'template' } },
    );
  }
  if (typeof message.text !== 'string') {
    throw new TidingsError(
      ErrorCode.InvalidMessage,
      'smsc: message.text is required (a Telegram code goes as smscMessage.telegramCode({ to, code }))',
      { details: { field: 'text' } },
    );
  }
  const content = parseSmscText(message.text);
  checkRecipient(message.to, content.kind === 'mail' ? 'email' : 'phone');
  if (message.from !== undefined && !isValidSender(message.from, content.kind === 'mail')) {
    throw new TidingsError(
      ErrorCode.InvalidMessage,
      `smsc: message.from ${senderRule} (got ${JSON.stringify(message.from)})`,
      { details: { field: 'from' } },
    );
  }
  return content;
}
