import { isSuccessEvent, isTerminalEvent, type MessageEvent, type TidingsError } from '@tidings/core';

/** Where a campaign stands; every count is of messages, not of attempts. */
export interface Counts {
  readonly total: number;
  /** Handed to the channel (under the cap it may still wait for its turn to go out). */
  readonly sent: number;
  /** Taken by the provider (it gave an id). */
  readonly accepted: number;
  /** Ended well: delivered (or accepted, where no receipt was asked for). */
  readonly delivered: number;
  /** The provider reports it not delivered (phone off, expired). */
  readonly undelivered: number;
  /** The provider refused it (unknown number…). */
  readonly rejected: number;
  /** Refused before sending: the channel found the message invalid (a malformed number…). */
  readonly invalid: number;
  /** Any other end: timeouts, lost connections, no receipt in time. */
  readonly failed: number;
  /**
   * Submits the provider refused for going too fast (`ESME_RTHROTTLED`) or a full queue: the
   * channel paused, resent them, and went on slower.
   */
  readonly throttled: number;
  /** Ended, whatever the outcome. */
  readonly done: number;
  /** Unsuccessful ends by error code (`TIDINGS_REJECTED`, `TIDINGS_INVALID_MESSAGE`…). */
  readonly errors: Readonly<Record<string, number>>;
}

/** Counts a campaign's messages from their events. */
export class Tally {
  readonly #total: number;
  #sent = 0;
  #accepted = 0;
  #delivered = 0;
  #undelivered = 0;
  #rejected = 0;
  #invalid = 0;
  #failed = 0;
  #throttled = 0;
  readonly #errors = new Map<string, number>();

  constructor(total: number) {
    this.#total = total;
  }

  /** Every event of the campaign's messages (from `tidings.events$`). */
  onEvent(event: MessageEvent): void {
    // A retried message is submitted again: count the first attempt only.
    if (event.type === 'submitted' && event.attempt === 1) this.#sent++;
    if (event.type === 'accepted') this.#accepted++;
    if (event.type === 'retrying' && event.channelPaused) this.#throttled++;
    if (!isTerminalEvent(event)) return;
    if (isSuccessEvent(event)) {
      this.#delivered++;
      return;
    }
    if (event.type === 'undelivered' || event.type === 'expired') this.#undelivered++;
    else if (event.type === 'rejected') this.#rejected++;
    else this.#failed++;
    if ('error' in event) this.#count(event.error);
  }

  /** A message `send` refused before anything was sent. */
  onInvalid(error: TidingsError): void {
    this.#invalid++;
    this.#count(error);
  }

  get counts(): Counts {
    const ended = this.#delivered + this.#undelivered + this.#rejected + this.#failed;
    return {
      total: this.#total,
      sent: this.#sent,
      accepted: this.#accepted,
      delivered: this.#delivered,
      undelivered: this.#undelivered,
      rejected: this.#rejected,
      invalid: this.#invalid,
      failed: this.#failed,
      throttled: this.#throttled,
      done: ended + this.#invalid,
      errors: Object.fromEntries(this.#errors),
    };
  }

  #count(error: TidingsError): void {
    this.#errors.set(error.code, (this.#errors.get(error.code) ?? 0) + 1);
  }
}

/** One progress line: where the campaign stands, its rate and the time left at that rate. */
export function progressLine(counts: Counts, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  // The provider's answers measure what went out, as the cap sees it.
  const rate = (counts.accepted + counts.rejected) / seconds;
  const doneRate = counts.done / seconds;
  const left = counts.total - counts.done;
  const eta = left === 0 ? '0 s' : doneRate > 0 ? `${Math.ceil(left / doneRate)} s` : '…';
  const failed = counts.undelivered + counts.rejected + counts.invalid + counts.failed;
  return (
    `${counts.done}/${counts.total} done · sent ${counts.sent} · accepted ${counts.accepted} · ` +
    `delivered ${counts.delivered} · failed ${failed} · ${Math.round(rate)} msg/s · ETA ${eta}`
  );
}
