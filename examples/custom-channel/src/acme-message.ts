import { ErrorCode, type MessageBase, TidingsError, withCodeInText } from '@tidings/core';
import { recipientAddress, recipientRule, senderAddress, senderRule } from './acme-address.js';
import { isCampaign } from './acme-tlvs.js';

/**
 * A message for Acme SMS: a text, or a verification code (sent on Acme's OTP route). A
 * `template` alone is refused: Acme has no templates.
 */
export interface AcmeMessage extends MessageBase {
  /** International number, 8-15 digits, `+` optional. */
  readonly to: string;
  /**
   * The text; with `code`, a template where `{code}` stands for it (`"Your code: {code}"`), which
   * must then carry the code. Default with a code: the code alone.
   */
  readonly text?: string;
  /** A verification code (4-10 digits): the message goes on the OTP route (`service_type` `OTP`). */
  readonly code?: string;
  /** Sender for this message (default: the channel's `sender`); one of the page's three forms. */
  readonly from?: string;
  /** Report the message under this campaign (`acme_campaign` TLV): 1-32 of `A-Z a-z 0-9 _ -`. */
  readonly campaign?: string;
  /** Show the text on the screen without storing it (message class 0, `data_coding` 0x10 / 0x18). */
  readonly flash?: boolean;
  /** 60 s to 72 h (`validity_period`); default: Acme's 24 h. */
  readonly validitySeconds?: number;
}

declare module '@tidings/core' {
  interface ChannelRegistry {
    /** The custom-channel example under its default instance name. */
    acme: AcmeMessage;
  }
}

export const minValiditySeconds = 60;
export const maxValiditySeconds = 72 * 60 * 60;

const codeFormat = /^[0-9]{4,10}$/;

const invalid = (field: string, rule: string): TidingsError =>
  new TidingsError(ErrorCode.InvalidMessage, `message.${field} ${rule}`, { details: { field } });

/** The text Acme receives: `{code}` filled in, or the code alone. */
export function acmeText(message: AcmeMessage): string {
  const filled = withCodeInText(message);
  return filled.text ?? filled.code ?? '';
}

/**
 * The page's rules on a message, checked before anything is sent (after core's common ones).
 * Messages name the field and the rule, never the code or the text.
 */
export function validateAcmeMessage(message: AcmeMessage): void {
  if (recipientAddress(message.to) === undefined) throw invalid('to', recipientRule);
  if (message.text === undefined && message.code === undefined) {
    throw invalid('text', 'is required (or a code): Acme SMS has no templates');
  }
  if (message.code !== undefined) {
    if (!codeFormat.test(message.code)) throw invalid('code', 'must be 4 to 10 digits');
    if (!acmeText(message).includes(message.code)) {
      throw invalid('text', 'must contain the code: write {code} where it goes (e.g. "Your code: {code}")');
    }
  }
  if (message.from !== undefined && senderAddress(message.from) === undefined) throw invalid('from', senderRule);
  if (message.campaign !== undefined && !isCampaign(message.campaign)) {
    throw invalid('campaign', 'must be 1 to 32 characters of A-Z, a-z, 0-9, "_" and "-"');
  }
  if (message.flash !== undefined && typeof message.flash !== 'boolean')
    throw invalid('flash', 'must be true or false');
  const validity = message.validitySeconds;
  if (
    validity !== undefined &&
    !(Number.isInteger(validity) && validity >= minValiditySeconds && validity <= maxValiditySeconds)
  ) {
    throw invalid(
      'validitySeconds',
      `must be a whole number of seconds from ${minValiditySeconds} to ${maxValiditySeconds} (72 h)`,
    );
  }
}
