import { type Clock, type DeliveryReport, isFinalDeliveryState, type Logger, type Timer } from '@tidings/core';
import type { MessageQueryResult, SmppAddress } from '@tidings/transport-smpp';

export interface QueryPollerOptions {
  /** Between two `query_sm` of one message id. */
  readonly intervalMs: number;
  /** `query_sm` per message id at most. */
  readonly maxAttempts: number;
  /** No `query_sm` is sent later than this after `watch`. */
  readonly maxDurationMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** For log lines. */
  readonly channel: string;
  readonly query: (providerMessageId: string, source: SmppAddress) => Promise<MessageQueryResult>;
  /** Called once per id, with its final state. */
  readonly publish: (report: DeliveryReport) => void;
}

/**
 * Active delivery status (smsorg's "active" mode): asks `query_sm` for each watched id every
 * interval until the answer is a final state, then publishes it as a delivery report. Gives up
 * silently after `maxAttempts` or `maxDurationMs`: the runtime's receipt deadline then ends the
 * message with `TIDINGS_RECEIPT_TIMEOUT`.
 */
export class QueryPoller {
  readonly #options: QueryPollerOptions;
  readonly #timers = new Set<Timer>();
  #inFlight = 0;
  #stopped = false;

  constructor(options: QueryPollerOptions) {
    this.#options = options;
  }

  /** Ids being polled (waiting for their next `query_sm` or its answer). */
  get watching(): number {
    return this.#timers.size + this.#inFlight;
  }

  /** Starts polling each id; `source` is the original sender, which `query_sm` must repeat. */
  watch(providerMessageIds: readonly string[], source: SmppAddress): void {
    if (this.#stopped) return;
    const startedAt = this.#options.clock.now();
    for (const id of providerMessageIds) this.#schedule(id, source, 1, startedAt);
  }

  /** Cancels every pending poll; answers still on the way are dropped. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) timer.cancel();
    this.#timers.clear();
  }

  #schedule(id: string, source: SmppAddress, attempt: number, startedAt: number): void {
    const { intervalMs, maxAttempts, maxDurationMs, clock, logger, channel } = this.#options;
    const elapsed = clock.now() - startedAt;
    if (attempt > maxAttempts || elapsed + intervalMs > maxDurationMs) {
      logger.warn('query_sm polling gave up before a final state', {
        channel,
        providerMessageId: id,
        queries: attempt - 1,
        elapsedMs: elapsed,
      });
      return;
    }
    const timer = clock.setTimeout(() => {
      this.#timers.delete(timer);
      void this.#poll(id, source, attempt, startedAt);
    }, intervalMs);
    this.#timers.add(timer);
  }

  async #poll(id: string, source: SmppAddress, attempt: number, startedAt: number): Promise<void> {
    let result: MessageQueryResult | undefined;
    this.#inFlight++;
    try {
      result = await this.#options.query(id, source);
    } catch (error) {
      // Refused (not known yet), timed out, or the connection is down: ask again next time.
      this.#options.logger.debug('query_sm failed; polling again', {
        channel: this.#options.channel,
        providerMessageId: id,
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      this.#inFlight--;
    }
    if (this.#stopped) return;
    if (result === undefined || !isFinalDeliveryState(result.state)) {
      this.#schedule(id, source, attempt + 1, startedAt);
      return;
    }
    this.#options.publish({
      providerMessageId: id,
      state: result.state,
      errorCode: result.errorCode,
      extras: {
        source: 'query_sm',
        messageState: result.messageState,
        queries: attempt,
        ...(result.finalDate === undefined ? {} : { finalDate: result.finalDate }),
      },
    });
  }
}
