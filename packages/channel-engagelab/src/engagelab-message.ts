import type { MessageBase, TemplateRef } from '@tidings/core';

/**
 * `service_type` of EngageLab's `submit_sm`: `MSG` (notification, the default), `CODE`
 * (verification code) or `MRKT` (marketing).
 */
export type EngageLabServiceType = 'MSG' | 'CODE' | 'MRKT';

/** The `service_type` values the page lists, default first. */
export const engagelabServiceTypes: readonly EngageLabServiceType[] = Object.freeze(['MSG', 'CODE', 'MRKT']);

interface EngageLabMessageFields extends MessageBase {
  /** International format with `+`, e.g. `+6598765432`. */
  readonly to: string;
  /**
   * The EngageLab template: `id`, `language` (default `default`) and `params` (string values),
   * sent as the provider's JSON `{"id", "language", "code", "params"}` in `short_message`.
   */
  readonly template: TemplateRef;
}

/**
 * A notification (`MSG`, the default) or marketing (`MRKT`) template. No `code`: EngageLab reads
 * it for `CODE` only (put other values in `template.params`).
 */
export interface EngageLabTemplateMessage extends EngageLabMessageFields {
  readonly serviceType?: 'MSG' | 'MRKT';
  readonly code?: never;
}

/** A verification code (`CODE`): the template shows `code`. */
export interface EngageLabCodeMessage extends EngageLabMessageFields {
  readonly serviceType: 'CODE';
  readonly code: string;
}

/**
 * What `send('engagelab', …)` takes. `text` is not sent (the template decides the wording); it is
 * accepted so one message can fall back to a text channel.
 */
export type EngageLabMessage = EngageLabTemplateMessage | EngageLabCodeMessage;

// `send('engagelab', …)` is checked against this shape on runtimes typed from core's registry
// (`Tidings` without type arguments), under the default instance name.
declare module '@tidings/core' {
  interface ChannelRegistry {
    engagelab: EngageLabMessage;
  }
}
