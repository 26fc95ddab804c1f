/** Stable codes of the errors this channel raises itself (its client-side guards). */
export const SmscErrorCode = {
  /** The same text to the same recipient was accepted less than a minute ago: SMSC would refuse it. */
  DuplicateText: 'SMSC_DUPLICATE_TEXT',
  /** More than 50 messages to one subscriber less than 30 s apart: SMSC would block it (err 251). */
  Flood: 'SMSC_FLOOD_GUARD',
  /**
   * An attempt went unanswered, and SMSC refused the resend within a minute: most likely as an
   * identical request, because it holds the first copy. Delivery is unknown (ambiguous).
   */
  ResendRefused: 'SMSC_RESEND_REFUSED',
} as const;

export type SmscErrorCode = (typeof SmscErrorCode)[keyof typeof SmscErrorCode];
