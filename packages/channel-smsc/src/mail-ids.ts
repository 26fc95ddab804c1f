/**
 * The provider ids of e-mails this channel sent, so that `query_sm` reads their `err` through the
 * e-mail table (err 2 is "inbox full" there, unknown for SMS): a `query_sm` response does not say
 * the kind, a receipt does (0x2001). Bounded: the oldest ids are forgotten first; an id sent
 * before a restart, or forgotten, reads through the SMS table.
 */
export class MailIds {
  readonly #capacity: number;
  readonly #ids = new Set<string>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(providerMessageId: string): void {
    this.#ids.delete(providerMessageId);
    this.#ids.add(providerMessageId);
    for (const oldest of this.#ids) {
      if (this.#ids.size <= this.#capacity) break;
      this.#ids.delete(oldest);
    }
  }

  has(providerMessageId: string): boolean {
    return this.#ids.has(providerMessageId);
  }

  get size(): number {
    return this.#ids.size;
  }
}
