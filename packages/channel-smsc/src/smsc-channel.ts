import {
  type Clock,
  type DeliveryReport,
  ErrorCode,
  type Logger,
  RetryDecision,
  type SendContext,
  type SubmitResult,
  TidingsError,
  TOKENS,
} from '@tidings/core';
import {
  type DataSm,
  type DeliverSm,
  type Receipt,
  SmppChannel,
  type SmppEncodingPolicy,
  type SubmitPlan,
} from '@tidings/transport-smpp';
import { inject, injectable } from 'inversify';
import { destinationAddress, sourceAddress } from './addressing.js';
import { DuplicateGuard } from './duplicate-guard.js';
import { smscErrorInfo } from './error-codes.js';
import { FloodGuard } from './flood-guard.js';
import { MailIds } from './mail-ids.js';
import type { SmscMessage } from './message.js';
import { validateSmscMessage } from './message-validation.js';
import { defaultValidity, type ResolvedSmscOptions, toConnectionOptions } from './options.js';
import { readReceiptDetails, withReceiptDetails } from './receipt-details.js';
import { SmscErrorCode } from './smsc-error-code.js';
import { smscStatusTableWith } from './status-table.js';
import { parseSmscText } from './text-convention.js';
import { SMSC_DUPLICATE_WINDOW_MS, UnansweredAttempts } from './unanswered-attempts.js';
import { smscVendorTlvs } from './vendor-tlvs.js';

/**
 * "data_coding = coding * 4": GSM is coding 0 (data_coding 0), ISO-8859-1 coding 1 (data_coding 4),
 * UCS2 coding 2 (data_coding 8). Without `ISO`, SMSC reads coding 1 as GSM, so Latin-1-only text
 * then goes as UCS2.
 */
function encodingOf(options: ResolvedSmscOptions): SmppEncodingPolicy {
  return options.iso
    ? { allowed: ['gsm7', 'latin1', 'ucs2'], dataCodings: { gsm7: 0, latin1: 4, ucs2: 8 }, concatenation: 'udh8' }
    : { allowed: ['gsm7', 'ucs2'], dataCodings: { gsm7: 0, ucs2: 8 }, concatenation: 'udh8' };
}

/** How many e-mail ids the channel remembers for `query_sm` (a few hundred kB at most). */
const MAIL_IDS_KEPT = 10_000;

/**
 * SMSC (smscentre.com / smsc.kz) over SMPP: one transceiver account sending SMS and the
 * provider's other kinds, with its receipts' vendor TLVs and client-side guards that mirror the
 * server's protections.
 */
@injectable()
export class SmscChannel extends SmppChannel<SmscMessage> {
  readonly #options: ResolvedSmscOptions;
  readonly #validity: string;
  readonly #duplicates: DuplicateGuard | undefined;
  readonly #flood: FloodGuard | undefined;
  readonly #unanswered: UnansweredAttempts;
  readonly #mailIds = new MailIds(MAIL_IDS_KEPT);

  constructor(
    @inject(TOKENS.ChannelName) name: string,
    @inject(TOKENS.ChannelOptions) options: ResolvedSmscOptions,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super({
      name,
      kind: 'smsc',
      capabilities: {
        kinds: ['sms', 'code', 'email', 'voice', 'messenger', 'lookup'],
        receipts: options.receipts,
        inbound: true,
      },
      connection: toConnectionOptions(options),
      clock,
      logger,
      statusTable: smscStatusTableWith(options.throttlePauseMs),
      vendorTlvs: smscVendorTlvs,
      encoding: encodingOf(options),
      // "All SMS parts must be transmitted to the server within a minute", else the operator rejects.
      ...(options.guards.partsWithinMs > 0 ? { partsWithinMs: options.guards.partsWithinMs } : {}),
    });
    this.#options = options;
    this.#validity = defaultValidity(options);
    const now = (): number => this.clock.now();
    const { duplicateWindowMs, flood } = options.guards;
    this.#duplicates = duplicateWindowMs > 0 ? new DuplicateGuard(duplicateWindowMs, now) : undefined;
    this.#flood = flood === false ? undefined : new FloodGuard(flood, now);
    this.#unanswered = new UnansweredAttempts(SMSC_DUPLICATE_WINDOW_MS, now);
  }

  /** The throughput in force (SMS parts per second): lower after the provider's speed error, climbing back. */
  get currentRate(): number | undefined {
    return this.client.currentRate;
  }

  /**
   * A message's status on demand (`query_sm`, `tidings.query('smsc', id)`), with its `err` as a
   * typed reason in `smscReceipt(report).error` (through the e-mail table for the last
   * 10 000 e-mails this channel sent).
   */
  override async query(providerMessageId: string): Promise<DeliveryReport> {
    const report = await super.query(providerMessageId);
    const table = this.#mailIds.has(providerMessageId) ? 'mail' : 'sms';
    const error = report.errorCode === undefined ? undefined : smscErrorInfo(report.errorCode, table);
    return error === undefined ? report : withReceiptDetails(report, { error });
  }

  protected override validateMessage(message: SmscMessage): void {
    validateSmscMessage(message);
  }

  protected toSubmit(message: SmscMessage, _context: SendContext | undefined): SubmitPlan {
    return {
      text: message.text,
      source: sourceAddress(message.from ?? this.#options.sender),
      destination: destinationAddress(message.to),
      fields: {
        // Without registered_delivery SMSC sends statuses to the account's HTTP handler instead.
        registered_delivery: this.#options.receipts ? 1 : 0,
        ...(message.validitySeconds === undefined ? { validity_period: this.#validity } : {}),
      },
    };
  }

  /**
   * Sends after the guards that mirror the server's protections: an identical request (same
   * recipient and text) within a minute is refused here, and more than 50 messages to one
   * subscriber less than 30 s apart are held or refused, instead of SMSC refusing or blocking them.
   * A resend of an unanswered attempt goes out (SMSC refuses it if it holds the first copy, so
   * nothing is delivered twice); SMSC refusing it ends the message failed and ambiguous
   * (`SMSC_RESEND_REFUSED`), not rejected.
   */
  override async send(message: SmscMessage, context: SendContext): Promise<SubmitResult> {
    const { messageId } = context;
    const recipient = destinationAddress(message.to).addr;
    // Counted from here (a burst is counted before it reaches the wire), once per message.
    await this.#passFloodGuard(recipient, context);
    const key = `${recipient}\u0000${message.text}`;
    const since = this.#duplicates?.claim(key, messageId);
    if (since !== undefined) {
      this.#flood?.settle(recipient, messageId, 'not-sent');
      throw this.#duplicateError(since);
    }
    // An earlier attempt of this message that went unanswered: SMSC may hold that copy.
    const unansweredMs = this.#unanswered.since(messageId);
    const startedAt = this.clock.now();
    let result: SubmitResult;
    try {
      result = await super.send(message, context);
    } catch (error) {
      const failure = TidingsError.from(error);
      this.#flood?.settle(recipient, messageId, failure.ambiguous ? 'unknown' : 'not-sent');
      if (failure.ambiguous) {
        // SMSC may hold this copy and would refuse another: keep the duplicate key for it.
        this.#unanswered.record(messageId, startedAt);
        throw this.#partsLate(failure) ?? failure;
      }
      if (unansweredMs === undefined) {
        this.#duplicates?.release(key, messageId);
        throw failure;
      }
      // Only SMSC's own refusal (a submit_sm_resp status) says it most likely holds the first copy.
      if (RetryDecision.isRetryable(failure.retry) || failure.providerStatus === undefined) throw failure;
      this.#unanswered.forget(messageId);
      throw this.#resendRefused(failure, unansweredMs);
    }
    this.#flood?.settle(recipient, messageId, 'accepted');
    if (parseSmscText(message.text).kind === 'mail') {
      this.#mailIds.add(result.providerMessageId);
      for (const id of result.partIds ?? []) this.#mailIds.add(id);
    }
    this.#duplicates?.confirm(key, messageId);
    this.#unanswered.forget(messageId);
    // By default SMSC gives every part of a long message the same id and sends one status for
    // the whole: one id to wait for. With SINGLE the ids differ, and each part has its status.
    const { partIds, ...whole } = result;
    return partIds !== undefined && new Set(partIds).size > 1 ? result : whole;
  }

  /**
   * The flood guard: `refuse` fails the message that would make the run too long; `hold` waits
   * inside the attempt (no retry spent) until the run's gap has passed, or until the messages to
   * that subscriber still on their way are answered, then looks again. Passing takes the
   * message's place in the run in the same tick as the look, so concurrent sends cannot all pass.
   */
  async #passFloodGuard(recipient: string, context: SendContext): Promise<void> {
    const flood = this.#flood;
    const options = this.#options.guards.flood;
    if (flood === undefined || options === false) return;
    for (;;) {
      const wait = flood.waitFor(recipient, context.messageId);
      if (wait.until === 'now') {
        flood.take(recipient, context.messageId);
        return;
      }
      const waitMs = wait.until === 'gap' ? wait.ms : undefined;
      if (options.action === 'refuse') throw this.#floodError(waitMs ?? options.minGapMs);
      await this.#hold(recipient, waitMs, context.signal);
    }
  }

  /** Resolves after `waitMs`, or once an attempt to `recipient` is answered; rejects when `signal` aborts. */
  #hold(recipient: string, waitMs: number | undefined, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(this.#holdAborted(signal));
        return;
      }
      const done = (): void => {
        timer?.cancel();
        cancelWake();
        signal.removeEventListener('abort', aborted);
      };
      const aborted = (): void => {
        done();
        reject(this.#holdAborted(signal));
      };
      const timer =
        waitMs === undefined
          ? undefined
          : this.clock.setTimeout(() => {
              done();
              resolve();
            }, waitMs);
      const cancelWake =
        this.#flood?.onSettle(recipient, () => {
          done();
          resolve();
        }) ?? (() => {});
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  #holdAborted(signal: AbortSignal): TidingsError {
    const reason = signal.reason instanceof TidingsError ? signal.reason : undefined;
    return new TidingsError(
      reason?.code ?? ErrorCode.Timeout,
      `${this.owner}: the attempt ended while the flood guard held the message; nothing was sent`,
      {
        retry: reason?.retry ?? RetryDecision.retry(),
        channel: this.name,
        cause: signal.reason,
        details: { guard: 'flood' },
      },
    );
  }

  /**
   * The transport's `partsWithinMs` deadline passed: some parts are at SMSC, the rest were not
   * sent, and the operator rejects such a message (err 241). A resend would repeat parts SMSC
   * holds, which it refuses as identical requests within a minute: fail it, ambiguous, unretried.
   */
  #partsLate(failure: TidingsError): TidingsError | undefined {
    const details = failure.details as
      | { partsWithinMs?: unknown; partsAccepted?: unknown; parts?: unknown }
      | undefined;
    if (failure.code !== ErrorCode.Timeout || details?.partsWithinMs === undefined) return undefined;
    return new TidingsError(
      ErrorCode.Timeout,
      `${this.owner}: SMSC did not accept all ${String(details.parts)} parts of the long message within ${String(details.partsWithinMs)} ms (${String(details.partsAccepted)} accepted), so the operator rejects it (err 241); not resent, since SMSC refuses the parts it holds as identical requests for a minute: delivery unknown`,
      {
        retry: RetryDecision.never(),
        ambiguous: true,
        channel: this.name,
        cause: failure,
        ...(failure.details === undefined ? {} : { details: failure.details }),
      },
    );
  }

  /**
   * A resend of an unanswered attempt, refused by SMSC within its duplicate window: most likely
   * as an identical request, because SMSC took the first copy (and will deliver and bill it).
   * Neither "rejected" nor a reason to resend: failed, delivery unknown.
   */
  #resendRefused(refusal: TidingsError, sinceMs: number): TidingsError {
    return new TidingsError(
      SmscErrorCode.ResendRefused,
      `${this.owner}: an attempt ${sinceMs} ms ago went unanswered and SMSC refused the resend (${refusal.message}); SMSC refuses an identical request within a minute, so it most likely holds the first copy: delivery unknown`,
      {
        retry: RetryDecision.never(),
        ambiguous: true,
        channel: this.name,
        cause: refusal,
        ...(refusal.providerStatus === undefined ? {} : { providerStatus: refusal.providerStatus }),
        details: { guard: 'resend', sinceMs },
      },
    );
  }

  protected override toReport(receipt: Receipt, pdu: DeliverSm | DataSm): DeliveryReport | undefined {
    const report = super.toReport(receipt, pdu);
    return report === undefined ? undefined : withReceiptDetails(report, readReceiptDetails(receipt, pdu, this.tlvs));
  }

  #floodError(waitMs: number): TidingsError {
    const { flood } = this.#options.guards;
    const limits =
      flood === false ? '' : ` (more than ${flood.maxMessages} messages less than ${flood.minGapMs} ms apart)`;
    return new TidingsError(
      SmscErrorCode.Flood,
      `${this.owner}: too many messages to this recipient${limits}; SMSC would block it with err 251, so it was not sent (${waitMs} ms until it could go)`,
      { retry: RetryDecision.never(), channel: this.name, details: { guard: 'flood', waitMs } },
    );
  }

  #duplicateError(sinceMs: number): TidingsError {
    const windowMs = this.#options.guards.duplicateWindowMs;
    return new TidingsError(
      SmscErrorCode.DuplicateText,
      `${this.owner}: the same text went to this recipient ${sinceMs} ms ago; SMSC refuses an identical request within ${windowMs} ms, so it was not sent`,
      { retry: RetryDecision.never(), channel: this.name, details: { guard: 'duplicate', sinceMs, windowMs } },
    );
  }
}
