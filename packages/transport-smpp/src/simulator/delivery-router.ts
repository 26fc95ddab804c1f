import { ErrorCode, type Logger, TidingsError } from '@tidings/core';
import type { DeliverSm, Pdu } from '../pdu/pdu.js';
import type { TlvRegistry } from '../pdu/tlv-registry.js';
import { buildReceipt, type ReceiptOptions, type ReceiptSubject } from './receipt-builder.js';
import type { SimulatorSession } from './simulator-session.js';

/** How a promise-returning sender learns the client's answer. */
export interface Settle {
  resolve(response: Pdu): void;
  reject(error: TidingsError): void;
}

/** A receipt to deliver. */
export interface ReceiptJob {
  readonly subject: ReceiptSubject;
  readonly options: ReceiptOptions;
  readonly systemId: string;
  /** The session the submit came on: the receipt goes there when it can receive. */
  readonly origin: SimulatorSession | undefined;
  /** For hand-made receipts: settled by the client's answer, never kept for later. */
  readonly settle: Settle | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Deliveries the client refused so far. */
  refusals?: number;
}

/** Called for every receipt written to a session. */
export type ReceiptSent = (session: SimulatorSession, pdu: DeliverSm, job: ReceiptJob) => void;

const MAX_KEPT_RECEIPTS_PER_ACCOUNT = 10_000;
const MAX_RECEIPT_REFUSALS = 5;
const RECEIPT_RETRY_MS = 200;

/**
 * Where deliver_sm go: the sessions bound as receiver or transceiver, per account, taken in turn;
 * receipts sent now or when due, and — as an SMSC does — kept while the account has no receiver,
 * then delivered on its next bind.
 */
export class DeliveryRouter {
  readonly #tlvs: TlvRegistry;
  readonly #logger: Logger;
  readonly #onSent: ReceiptSent;
  readonly #receivers = new Map<string, SimulatorSession[]>();
  readonly #kept = new Map<string, ReceiptJob[]>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #turn = 0;
  #stopped = false;

  constructor(tlvs: TlvRegistry, logger: Logger, onSent: ReceiptSent) {
    this.#tlvs = tlvs;
    this.#logger = logger;
    this.#onSent = onSent;
  }

  /** A session just bound as receiver or transceiver: it takes the receipts kept for its account. */
  addReceiver(session: SimulatorSession, systemId: string): void {
    let receivers = this.#receivers.get(systemId);
    if (receivers === undefined) this.#receivers.set(systemId, (receivers = []));
    receivers.push(session);
    const kept = this.#kept.get(systemId);
    if (kept === undefined) return;
    this.#kept.delete(systemId);
    for (const job of kept) this.deliver(job);
  }

  removeReceiver(session: SimulatorSession, systemId: string): void {
    const receivers = this.#receivers.get(systemId);
    const index = receivers?.indexOf(session) ?? -1;
    if (index >= 0) receivers?.splice(index, 1);
  }

  /** `preferred` when it can take deliver_sm, else the next receiver of the account (of any account when undefined). */
  receiverFor(systemId: string | undefined, preferred?: SimulatorSession): SimulatorSession | undefined {
    if (preferred?.canReceive === true) return preferred;
    const lists = systemId === undefined ? [...this.#receivers.values()] : [this.#receivers.get(systemId) ?? []];
    for (const list of lists) {
      for (let tried = 0; tried < list.length; tried++) {
        const session = list[this.#turn++ % list.length];
        if (session?.canReceive === true) return session;
      }
    }
    return undefined;
  }

  /** Delivers the receipt after `delayMs` (0: now). */
  schedule(job: ReceiptJob, delayMs: number): void {
    if (this.#stopped) return;
    if (delayMs <= 0) {
      this.deliver(job);
      return;
    }
    // Timer arguments instead of a closure per receipt.
    job.timer = setTimeout(this.#onDue, delayMs, job);
    job.timer.unref();
    this.#timers.add(job.timer);
  }

  /**
   * Writes the receipt (twice with `duplicate`) to a receiver. Without one, a hand-made receipt
   * fails; others are kept for the account's next bind.
   */
  deliver(job: ReceiptJob): void {
    const session = this.receiverFor(job.systemId, job.origin);
    if (session === undefined) {
      this.#keep(job);
      return;
    }
    const copies = job.options.duplicate === true ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      const pdu = buildReceipt(job.subject, job.options, this.#tlvs, session.nextSequence());
      session.request(pdu, 'receipt', job);
      this.#onSent(session, pdu, job);
    }
  }

  /** The session closed before the client answered the receipt: kept for the next bind. */
  lost(job: ReceiptJob, error: TidingsError): void {
    if (job.settle !== undefined) {
      job.settle.reject(error);
      return;
    }
    this.#logger.debug('smsc simulator: receipt unanswered, kept for the next bind', { systemId: job.systemId });
    this.#keep({ ...job, origin: undefined, timer: undefined });
  }

  /** The client refused the receipt: deliver it again later, a few times at most. */
  retry(job: ReceiptJob): void {
    const refusals = (job.refusals ?? 0) + 1;
    if (refusals > MAX_RECEIPT_REFUSALS) {
      this.#logger.warn('smsc simulator: receipt refused too often, dropped', { systemId: job.systemId });
      return;
    }
    this.schedule({ ...job, origin: undefined, timer: undefined, refusals }, RECEIPT_RETRY_MS * refusals);
  }

  /** Cancels the receipts not yet due; nothing is kept any more. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#kept.clear();
  }

  readonly #onDue = (job: ReceiptJob): void => {
    if (job.timer !== undefined) this.#timers.delete(job.timer);
    job.timer = undefined;
    this.deliver(job);
  };

  #keep(job: ReceiptJob): void {
    if (job.settle !== undefined) {
      job.settle.reject(noReceiverError(job.systemId));
      return;
    }
    if (this.#stopped) return;
    let kept = this.#kept.get(job.systemId);
    if (kept === undefined) this.#kept.set(job.systemId, (kept = []));
    kept.push(job);
    if (kept.length > MAX_KEPT_RECEIPTS_PER_ACCOUNT) kept.shift();
  }
}

/** No session can take deliver_sm for `target`. */
export function noReceiverError(target: number | string | undefined): TidingsError {
  const which =
    target === undefined ? 'any account' : typeof target === 'number' ? `session #${target}` : `'${target}'`;
  return new TidingsError(
    ErrorCode.ConnectionLost,
    `No session bound as receiver or transceiver for ${which}: bind one first (wait for it with sim.waitFor).`,
    { details: { target } },
  );
}
