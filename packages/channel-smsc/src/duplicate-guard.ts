/**
 * SMSC refuses an identical request (same recipient, same text) within one minute. This guard
 * remembers what was sent and refuses a copy locally. A message's own retries pass (they carry
 * its id): whether the SMSC took an ambiguous first attempt is for the SMSC to say.
 */
export class DuplicateGuard {
  readonly #windowMs: number;
  readonly #now: () => number;
  /** key → the message holding it and since when; in insertion order, so the oldest expire first. */
  readonly #entries = new Map<string, { readonly messageId: string; at: number }>();

  constructor(windowMs: number, now: () => number) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /**
   * Takes `key` for `messageId`. Returns how long ago another message took it when that was less
   * than the window ago (the caller refuses), else undefined.
   */
  claim(key: string, messageId: string): number | undefined {
    const now = this.#now();
    this.#expire(now);
    const held = this.#entries.get(key);
    if (held !== undefined && held.messageId !== messageId && now - held.at < this.#windowMs) return now - held.at;
    this.#entries.delete(key);
    this.#entries.set(key, { messageId, at: now });
    return undefined;
  }

  /** The message was accepted: the window runs from now. */
  confirm(key: string, messageId: string): void {
    const held = this.#entries.get(key);
    if (held?.messageId !== messageId) return;
    this.#entries.delete(key);
    this.#entries.set(key, { messageId, at: this.#now() });
  }

  /** The message surely did not reach the SMSC: free the key. */
  release(key: string, messageId: string): void {
    if (this.#entries.get(key)?.messageId === messageId) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #expire(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (now - entry.at < this.#windowMs) return;
      this.#entries.delete(key);
    }
  }
}
