import type { MessageBase } from '@tidings/core';

/**
 * A message for smsorg: an SMS text. `code` and `template` are for other channels of a fallback
 * list and are not sent; put the code in the text.
 */
export interface SmsorgMessage extends MessageBase {
  /** The SMS text: sent in ASCII (`data_coding` 0x01) when it can be, else UCS2 (0x08); long texts are split with a UDH. */
  readonly text: string;
  /** The recipient, an international number: `+79123456789` or `79123456789`. */
  readonly to: string;
  /** A sender number or an alphanumeric name (at most 11 characters); default: the channel's `sender`. */
  readonly from?: string;
}
