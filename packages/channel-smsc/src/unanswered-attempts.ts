/** SMSC refuses an identical request (same recipient, same text) within one minute. */
export const SMSC_DUPLICATE_WINDOW_MS = 60_000;

/**
 * The messages whose last attempt went unanswered (written, then a timeout or a lost
 * connection): SMSC may hold that copy. A resend within SMSC's duplicate window is safe (SMSC
 * refuses it if it has the first), and a refusal of it then says "SMSC most likely has the first
 * copy", not "SMSC rejected the message".
 */
export class UnansweredAttempts {
  readonly #windowMs: number;
  readonly #now: () => number;
  /** messageId → when its unanswered attempt started; in that order, so the oldest expire first. */
  readonly #startedAt = new Map<string, number>();

  constructor(windowMs: number, now: () => number) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** An attempt of `messageId` started at `startedAt` went unanswered. */
  record(messageId: string, startedAt: number): void {
    this.#expire(this.#now());
    this.#startedAt.delete(messageId);
    this.#startedAt.set(messageId, startedAt);
  }

  /** How long ago the unanswered attempt of `messageId` started, when within the window. */
  since(messageId: string): number | undefined {
    const now = this.#now();
    this.#expire(now);
    const at = this.#startedAt.get(messageId);
    return at === undefined || now - at >= this.#windowMs ? undefined : now - at;
  }

  /** The message was answered (accepted or refused): nothing to remember. */
  forget(messageId: string): void {
    this.#startedAt.delete(messageId);
  }

  get size(): number {
    return this.#startedAt.size;
  }

  #expire(now: number): void {
    for (const [messageId, at] of this.#startedAt) {
      if (now - at < this.#windowMs) return;
      this.#startedAt.delete(messageId);
    }
  }
}
