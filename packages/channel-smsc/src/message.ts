import type { MessageBase } from '@tidings/core';

/**
 * A message for the SMSC channel: a recipient and a text. The text follows the provider's
 * conventions — plain for an SMS, `__MAIL__: …` for an e-mail and so on — so build anything but a
 * plain SMS with the {@link smscMessage} helpers; the channel checks hand-written texts the same way.
 */
export interface SmscMessage extends MessageBase {
  /** The `short_message` text, in SMSC's conventions. */
  readonly text: string;
}

declare module '@tidings/core' {
  interface ChannelRegistry {
    /** `smscChannel()`'s default instance name. */
    smsc: SmscMessage;
  }
}
