import {
  type Clock,
  ErrorCode,
  isSuccessEvent,
  isTerminalEvent,
  type Logger,
  type MessageHandle,
  RetryDecision,
  TidingsError,
  type Timer,
  TOKENS,
} from '@tidings/core';
import { inject, injectable } from 'inversify';
import { type Observable, Subject } from 'rxjs';
import type { CheckResult } from './check-result.js';
import { generateCode, maxCodeLength, minCodeLength, typedCode } from './code-generator.js';
import { type CodeDigest, hashCode, matchesAnyCode } from './code-hash.js';
import { maskRecipient, recipientAddress, recipientKey } from './recipient.js';
import type { VerificationEvent } from './verification-events.js';
import type { FinalVerificationStatus, VerificationRecord } from './verification-record.js';
import type { VerificationStore } from './verification-store.js';
import { channelList, channelMessageFields, fallbackDelay, type ResolvedVerifierOptions } from './verifier-options.js';
import { VerifyErrorCode } from './verify-error-code.js';
import { type CodeSender, VERIFY_TOKENS } from './verify-tokens.js';

/** What `start` takes. Everything but `to` falls back to the verifier's options. */
export interface StartRequest<TChannel extends string = string> {
  /**
   * The recipient, in a form the channels accept (E.164 is safest). Sent as given (trimmed);
   * counted and looked up by a key: a phone number's digits (`+7 903…` = `7903…`), an e-mail
   * address lowercased.
   */
  readonly to: string;
  /** Channels in fallback order, e.g. `['telegram', 'sms']`. Default: option `via`. */
  readonly via?: readonly TChannel[];
  /** Digits, 4-10. Default: option `codeLength`. */
  readonly length?: number;
  /** How long the code is accepted. Default: option `ttlMs`. */
  readonly ttlMs?: number;
  /** Picks the text from option `texts` (`pt-BR`, then `pt`), else option `text`. */
  readonly locale?: string;
  /** The text for this verification, `{code}` where the code goes; wins over `locale`. */
  readonly text?: string;
  /** Your reference, echoed in the verification's events and its messages' events. */
  readonly clientRef?: string;
  /**
   * Extra message fields by channel for this verification (its resends too), over option
   * `messages`: `{ engagelab: { template: { id: 'otp', language: 'pt' } } }`.
   */
  readonly messages?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** What `resend` takes: a switch of channels, e.g. straight to SMS. */
export interface ResendRequest<TChannel extends string = string> {
  /** Default: the channels of the previous send. */
  readonly via?: readonly TChannel[];
}

/** A code on its way: answer of `start` and `resend`. */
export interface SentCode {
  readonly verificationId: string;
  /** The recipient as the code was sent: `start`'s `to`, trimmed. */
  readonly to: string;
  readonly channels: readonly string[];
  /** When this code stops being accepted (ms since the epoch). */
  readonly expiresAt: number;
  /** 1 for the first code. */
  readonly send: number;
  /** The code's message in Tidings: `accepted` / `settled` promises, its events. */
  readonly message: MessageHandle;
}

/** Which verification `check` is about: its id (a string or `{ id }`), or `{ to }` for the recipient's latest. */
export type CheckTarget = string | { readonly id: string } | { readonly to: string };

/** A verification as `get` shows it: the record without its codes' salts and hashes. */
export type VerificationView = Omit<VerificationRecord, 'codes'>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const isPlainObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (field: string, rule: string): TidingsError =>
  new TidingsError(ErrorCode.InvalidMessage, `verify: ${field} ${rule}`, { details: { field } });

/**
 * OTP verification on top of Tidings: `start` generates a code, keeps only its salted hash and
 * sends it with fallback across channels; `check` compares what the user typed; `resend` and
 * `cancel`; `verifications$` streams what happens. Limits: attempts per verification, a resend
 * cooldown and a send cap, verifications started per recipient in a window.
 *
 * Built by `createVerifier(tidings, options)`, or by a container that loaded `verifyModule(options)`.
 */
@injectable()
export class Verifier<TChannel extends string = string> {
  readonly #events = new Subject<VerificationEvent>();
  /** Expiry timers of the verifications this process started or resent, by id. */
  readonly #timers = new Map<string, Timer>();
  #closed = false;
  /**
   * Everything that happens to the verifications of this verifier, never the code. Hot: no replay.
   * Completes on `close()`.
   */
  readonly verifications$: Observable<VerificationEvent>;

  constructor(
    @inject(VERIFY_TOKENS.Tidings) private readonly tidings: CodeSender,
    @inject(VERIFY_TOKENS.Options) private readonly options: ResolvedVerifierOptions,
    @inject(VERIFY_TOKENS.Store) private readonly store: VerificationStore,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(TOKENS.Logger) private readonly logger: Logger,
    @inject(VERIFY_TOKENS.GenerateId) private readonly generateId: () => string,
  ) {
    this.verifications$ = this.#events.asObservable();
  }

  /**
   * Starts a verification: a new code, stored as a salted hash, sent through `via` with fallback.
   * Rejects before anything is sent with `TIDINGS_INVALID_MESSAGE` (bad request, or a channel
   * refusing the message), `TIDINGS_UNKNOWN_CHANNEL`, or `TIDINGS_RATE_LIMITED` (the recipient's
   * start limit; `retry.afterMs` says when).
   */
  async start(request: StartRequest<TChannel>): Promise<SentCode> {
    this.#open();
    if (!isPlainObject(request)) throw invalid('start', 'takes an object: { to, via?, … }');
    const to = recipientAddress(request.to);
    const recipient = recipientKey(to);
    const channels = this.#channels(request.via ?? this.options.via);
    const length = request.length ?? this.options.codeLength;
    if (!(Number.isInteger(length) && length >= minCodeLength && length <= maxCodeLength)) {
      throw invalid('length', `must be ${minCodeLength} to ${maxCodeLength} digits`);
    }
    const ttlMs = request.ttlMs ?? this.options.ttlMs;
    if (!(Number.isInteger(ttlMs) && ttlMs >= 1_000 && ttlMs <= 86_400_000)) {
      throw invalid('ttlMs', 'must be a whole number of milliseconds from 1000 to a day');
    }
    this.#checkFallback(channels, ttlMs);
    const text = this.#text(request);
    let messages: VerificationRecord['messages'];
    if (request.messages !== undefined) {
      const parsed = channelMessageFields.safeParse(request.messages);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw invalid(
          `messages${issue?.path.length ? `.${issue.path.join('.')}` : ''}`,
          issue?.message ?? 'is invalid',
        );
      }
      messages = parsed.data;
    }
    const fields = this.#fields(channels, messages);
    if (request.clientRef !== undefined && (typeof request.clientRef !== 'string' || request.clientRef.length > 256)) {
      throw invalid('clientRef', 'must be a string of at most 256 characters');
    }

    const id = this.generateId();
    const code = generateCode(length);
    const digest = hashCode(code, id, this.options.pepper);
    const now = this.clock.now();
    const record: Mutable<VerificationRecord> = {
      id,
      recipient,
      to,
      channels,
      length,
      ttlMs,
      text,
      codes: [{ salt: digest.salt, hash: digest.hash, expiresAt: now + ttlMs }],
      status: 'pending',
      attempts: 0,
      wrongAttempts: 0,
      maxAttempts: this.options.maxAttempts,
      sends: 1,
      expiresAt: now + ttlMs,
      lastSentAt: now,
      createdAt: now,
      updatedAt: now,
      messageIds: [],
    };
    if (request.clientRef !== undefined) record.clientRef = request.clientRef;
    if (messages !== undefined) record.messages = messages;
    const limit = this.options.startsPerRecipient === false ? undefined : this.options.startsPerRecipient;
    const created = await this.store.create(record, limit);
    if (!created.created) {
      this.logger.info('verification refused: start limit for the recipient', { to: maskRecipient(to) });
      throw new TidingsError(
        VerifyErrorCode.RateLimited,
        `too many verifications started for this recipient (at most ${limit?.max} in ${limit?.windowMs} ms); try again in ${created.retryAfterMs} ms`,
        {
          retry: RetryDecision.retry(created.retryAfterMs),
          details: { limit: 'starts_per_recipient', retryAfterMs: created.retryAfterMs },
        },
      );
    }

    let message: MessageHandle;
    try {
      message = await this.#send(to, channels, fields, code, text, request.clientRef, ttlMs);
    } catch (error) {
      // Nothing was sent (the message was refused before queueing): the verification never existed.
      await this.store.discard(id);
      throw error;
    }
    await this.store.addMessageId(id, message.id, now);
    this.logger.info('verification started', {
      verificationId: id,
      to: maskRecipient(to),
      channels,
      messageId: message.id,
    });
    this.#emit(record, { type: 'started', channels, expiresAt: record.expiresAt }, now);
    this.#sent(record, message, channels, 1, record.expiresAt, now);
    return { verificationId: id, to, channels, expiresAt: record.expiresAt, send: 1, message };
  }

  /**
   * Compares `code` with the verification's codes still valid (each send's, until its own
   * deadline), counting an attempt first (atomically, in the store), then in constant time. A
   * wrong code is counted as such in the store; `max_attempts` comes once every allowed attempt was
   * found wrong, so a right code counted in time wins over a later wrong one compared sooner. See
   * {@link CheckResult} for the answers. Rejects only on a malformed target
   * (`TIDINGS_INVALID_MESSAGE`) or a failing store.
   */
  async check(target: CheckTarget, code: string): Promise<CheckResult> {
    this.#open();
    const found = await this.#find(target);
    if (found === undefined) return { status: 'not_found' };
    const now = this.clock.now();
    const closed = await this.#closedAnswer(found, now);
    if (closed) return closed;

    const typed = typedCode(code, found.length);
    if (typed === undefined) {
      return {
        status: 'wrong',
        verificationId: found.id,
        attemptsLeft: found.maxAttempts - found.attempts,
        counted: false,
      };
    }
    const attempt = await this.store.takeAttempt(found.id, now);
    if (!attempt.taken) {
      return (await this.#closedAnswer(attempt.record, now)) ?? { status: 'not_found' };
    }
    const record = attempt.record;
    const verificationId = record.id;
    if (matchesAnyCode(typed, verificationId, record.codes, this.options.pepper, now)) {
      if (await this.#finish(record, 'approved', now)) return { status: 'approved', verificationId };
      // Someone else finished it meanwhile (a concurrent approval, a cancel): answer as it now stands.
      return (await this.#closedAnswer(await this.store.get(verificationId), now)) ?? { status: 'not_found' };
    }
    const wrong = await this.store.countWrong(verificationId, now);
    if (wrong.finished) {
      this.#finished(record, 'max_attempts', now);
      return { status: 'max_attempts', verificationId };
    }
    const status = wrong.record?.status;
    if (status === 'expired' || status === 'cancelled' || status === 'max_attempts') return { status, verificationId };
    const attemptsLeft = record.maxAttempts - record.attempts;
    this.logger.debug('wrong code', { verificationId, attemptsLeft });
    this.#emit(record, { type: 'wrong_code', attemptsLeft }, now);
    // The last attempt, while an earlier one is still being compared: that one decides.
    if (attemptsLeft <= 0) return { status: 'max_attempts', verificationId };
    return { status: 'wrong', verificationId, attemptsLeft, counted: true };
  }

  /**
   * Sends a NEW code: the store keeps only hashes, so an earlier code cannot be sent again. The
   * earlier codes keep working until their own deadlines (the user may read an earlier message
   * last, such as a late fallback SMS); attempts are shared and not reset. Rejects with `TIDINGS_RATE_LIMITED` inside the
   * cooldown (`retry.afterMs`) or with no sends left (`retry` never), `TIDINGS_VERIFICATION_NOT_FOUND`,
   * or `TIDINGS_VERIFICATION_CLOSED` when it is no longer pending (expired included).
   */
  async resend(verificationId: string, request: ResendRequest<TChannel> = {}): Promise<SentCode> {
    this.#open();
    if (typeof verificationId !== 'string' || verificationId === '') {
      throw invalid('verificationId', 'must be a non-empty string');
    }
    if (!isPlainObject(request)) throw invalid('resend', 'takes an object: { via? }');
    const current = await this.store.get(verificationId);
    if (current === undefined) throw notFound(verificationId);
    const now = this.clock.now();
    const closed = await this.#closedAnswer(current, now);
    if (closed) throw closedError(current.id, closed.status === 'not_found' ? current.status : closed.status);
    const channels = request.via === undefined ? current.channels : this.#channels(request.via);
    this.#checkFallback(channels, current.ttlMs);
    const fields = this.#fields(channels, current.messages);

    let code = generateCode(current.length);
    // A different code each time: the earlier ones still work, and an identical text to the same
    // number within a minute is refused by providers such as SMSC.
    while (matchesAnyCode(code, current.id, current.codes, this.options.pepper, now)) {
      code = generateCode(current.length);
    }
    const digest: CodeDigest = hashCode(code, current.id, this.options.pepper);
    const expiresAt = now + current.ttlMs;
    const added = await this.store.addCode(
      current.id,
      { ...digest, expiresAt, channels },
      { cooldownMs: this.options.resendCooldownMs, maxSends: this.options.maxSends },
      now,
    );
    if (!added.added) {
      switch (added.reason) {
        case 'not_found':
          throw notFound(current.id);
        case 'cooldown': {
          const retryAfterMs = added.retryAfterMs ?? this.options.resendCooldownMs;
          throw new TidingsError(
            VerifyErrorCode.RateLimited,
            `a code was sent less than ${this.options.resendCooldownMs} ms ago; resend in ${retryAfterMs} ms`,
            {
              retry: RetryDecision.retry(retryAfterMs),
              details: { limit: 'resend_cooldown', retryAfterMs, verificationId: current.id },
            },
          );
        }
        case 'max_sends':
          throw new TidingsError(
            VerifyErrorCode.RateLimited,
            `this verification already sent ${this.options.maxSends} codes, the most allowed; start a new one later`,
            { details: { limit: 'max_sends', verificationId: current.id } },
          );
        default: {
          // Finished meanwhile, or its time ran out just now (then it is finished as expired here).
          const answer = await this.#closedAnswer(added.record, now);
          const latest = added.record?.status ?? 'closed';
          throw closedError(current.id, answer === undefined || answer.status === 'not_found' ? latest : answer.status);
        }
      }
    }
    const record = added.record;
    let message: MessageHandle;
    try {
      message = await this.#send(current.to, channels, fields, code, current.text, current.clientRef, current.ttlMs);
    } catch (error) {
      // The store already holds the new code and counts the send; nobody received it.
      this.logger.warn('verification resend refused by the runtime', {
        verificationId: record.id,
        channels,
        errorCode: TidingsError.from(error).code,
      });
      throw error;
    }
    await this.store.addMessageId(record.id, message.id, now);
    this.logger.info('verification code resent', {
      verificationId: record.id,
      send: record.sends,
      channels,
      messageId: message.id,
    });
    this.#sent(record, message, channels, record.sends, expiresAt, now);
    return { verificationId: record.id, to: record.to, channels, expiresAt, send: record.sends, message };
  }

  /**
   * Cancels a pending verification. True when this call cancelled it; false when it was not
   * pending, unknown, or its time ran out (it then ends `expired`, whichever process notices).
   */
  async cancel(verificationId: string): Promise<boolean> {
    this.#open();
    const record = await this.store.get(verificationId);
    if (record === undefined) return false;
    const now = this.clock.now();
    if (record.status === 'pending' && now >= record.expiresAt) {
      await this.#closedAnswer(record, now);
      return false;
    }
    return this.#finish(record, 'cancelled', now);
  }

  /** A verification's state (no salts, no hashes), or undefined when unknown. */
  async get(verificationId: string): Promise<VerificationView | undefined> {
    const record = await this.store.get(verificationId);
    if (record === undefined) return undefined;
    const { codes: _codes, ...view } = record;
    return view;
  }

  /** Stops the expiry timers and completes `verifications$`. The runtime and the store stay the host's. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    this.#events.complete();
  }

  // ─── internals ──────────────────────────────────────────────────────────────────────────────

  #open(): void {
    if (this.#closed) throw new TidingsError(ErrorCode.Shutdown, 'verify: the verifier is closed');
  }

  #channels(via: readonly string[] | undefined): string[] {
    if (via === undefined) {
      throw invalid('via', 'is missing: name the channels in start({ via }) or in the verifier option "via"');
    }
    const parsed = channelList.safeParse(via);
    if (!parsed.success) throw invalid('via', parsed.error.issues[0]?.message ?? 'must be a list of channel names');
    const unknown = parsed.data.filter((name) => !this.tidings.channels.includes(name));
    if (unknown.length > 0) {
      throw new TidingsError(
        ErrorCode.UnknownChannel,
        `verify: unknown channel ${unknown.map((name) => JSON.stringify(name)).join(', ')}; loaded channels: ${this.tidings.channels.map((c) => JSON.stringify(c)).join(', ')}`,
        { details: { channels: unknown } },
      );
    }
    return parsed.data;
  }

  #text(request: StartRequest<TChannel>): string {
    if (request.text !== undefined) {
      if (typeof request.text !== 'string' || !request.text.includes('{code}') || request.text.length > 2000) {
        throw invalid('text', 'must be a string of at most 2000 characters containing {code} where the code goes');
      }
      return request.text;
    }
    const locale = request.locale;
    if (locale === undefined) return this.options.text;
    if (typeof locale !== 'string') throw invalid('locale', 'must be a string such as "en" or "pt-BR"');
    // Own keys only: a locale from a request ("constructor", "__proto__") is not an object member.
    const texts = this.options.texts;
    const language = locale.split(/[-_]/)[0] ?? '';
    if (Object.hasOwn(texts, locale)) return texts[locale] as string;
    if (Object.hasOwn(texts, language)) return texts[language] as string;
    return this.options.text;
  }

  /** With a fallback list, the fallback must come while the code still works. */
  #checkFallback(channels: readonly string[], ttlMs: number): void {
    if (channels.length > 1 && fallbackDelay(this.options, ttlMs) >= ttlMs) {
      throw invalid(
        'ttlMs',
        `must be more than the option fallbackAfterMs (${fallbackDelay(this.options, ttlMs)} ms) when sending through several channels: a fallback after the code expired sends a dead code`,
      );
    }
  }

  /**
   * The extra message fields of a send's channels (option `messages`, then the start's own). Core
   * sends one message down the whole fallback list, so the fields of every channel in it are
   * merged; two channels wanting one field with different values cannot share a message.
   */
  #fields(channels: readonly string[], perStart: VerificationRecord['messages']): Record<string, unknown> {
    const merged: Record<string, unknown> = {};
    const setBy: Record<string, string> = {};
    for (const channel of channels) {
      const fields = {
        ...(Object.hasOwn(this.options.messages, channel) ? this.options.messages[channel] : {}),
        ...(perStart !== undefined && Object.hasOwn(perStart, channel) ? perStart[channel] : {}),
      };
      for (const [field, value] of Object.entries(fields)) {
        if (Object.hasOwn(merged, field) && JSON.stringify(merged[field]) !== JSON.stringify(value)) {
          throw invalid(
            'messages',
            `give "${field}" different values for channels "${setBy[field]}" and "${channel}": one message goes down the fallback list, send them separately`,
          );
        }
        merged[field] = value;
        setBy[field] = channel;
      }
    }
    return merged;
  }

  #send(
    to: string,
    channels: readonly string[],
    fields: Readonly<Record<string, unknown>>,
    code: string,
    text: string,
    clientRef: string | undefined,
    ttlMs: number,
  ): Promise<MessageHandle> {
    // The one place the code leaves this process: inside the message to the provider. `sensitive`
    // keeps the message body out of core's store and any cluster (Redis): memory only.
    const message = { ...fields, to, code, text, ...(clientRef === undefined ? {} : { clientRef }) };
    const route = channels.length === 1 ? (channels[0] as string) : (channels as [string, ...string[]]);
    return this.tidings.send(
      route,
      message,
      channels.length > 1
        ? { fallbackAfterMs: fallbackDelay(this.options, ttlMs), sensitive: true }
        : { sensitive: true },
    );
  }

  async #find(target: CheckTarget): Promise<VerificationRecord | undefined> {
    if (typeof target === 'string') return target === '' ? undefined : this.store.get(target);
    if (isPlainObject(target)) {
      if ('id' in target && typeof target.id === 'string')
        return target.id === '' ? undefined : this.store.get(target.id);
      if ('to' in target) return this.store.latestFor(recipientKey(target.to));
    }
    throw invalid('check', 'takes a verification id, { id } or { to }');
  }

  /**
   * The answer for a verification that can no longer take a check, finishing it first when its
   * time or attempts ran out; undefined while it is open.
   */
  async #closedAnswer(record: VerificationRecord | undefined, now: number): Promise<CheckResult | undefined> {
    if (record === undefined) return { status: 'not_found' };
    const verificationId = record.id;
    switch (record.status) {
      case 'approved':
        return { status: 'not_found' };
      case 'expired':
      case 'max_attempts':
      case 'cancelled':
        return { status: record.status, verificationId };
      case 'pending':
        break;
    }
    const due: FinalVerificationStatus | undefined =
      now >= record.expiresAt ? 'expired' : record.wrongAttempts >= record.maxAttempts ? 'max_attempts' : undefined;
    if (due === undefined) {
      // Every attempt taken, the last ones still being compared: none left for this caller.
      return record.attempts >= record.maxAttempts ? { status: 'max_attempts', verificationId } : undefined;
    }
    if (await this.#finish(record, due, now)) return { status: due, verificationId };
    // Finished by someone else first: answer with what it became.
    const latest = await this.store.get(verificationId);
    return latest?.status === 'pending' ? { status: due, verificationId } : this.#closedAnswer(latest, now);
  }

  /** Moves a pending verification to a final status; only the winner emits the event. */
  async #finish(record: VerificationRecord, status: FinalVerificationStatus, now: number): Promise<boolean> {
    if (!(await this.store.finish(record.id, status, now))) return false;
    this.#finished(record, status, now);
    return true;
  }

  /** What follows a final status this call set: timer, log, event. */
  #finished(record: VerificationRecord, status: FinalVerificationStatus, now: number): void {
    this.#timers.get(record.id)?.cancel();
    this.#timers.delete(record.id);
    this.logger.info(`verification ${status.replace('_', ' ')}`, {
      verificationId: record.id,
      to: maskRecipient(record.to),
    });
    this.#emit(record, { type: status }, now);
  }

  /** After a send: the event, the link to the message's own events, the expiry timer. */
  #sent(
    record: VerificationRecord,
    message: MessageHandle,
    channels: readonly string[],
    send: number,
    expiresAt: number,
    now: number,
  ): void {
    this.#emit(
      record,
      { type: 'sent', messageId: message.id, channel: channels[0] as string, channels, send, expiresAt },
      now,
    );
    message.events$.subscribe((event) => {
      if (event.type === 'fallback') {
        this.#emit(record, {
          type: 'fallback',
          messageId: message.id,
          channel: event.from,
          nextChannel: event.to,
          reason: event.reason.code,
        });
      } else if (isTerminalEvent(event)) {
        if (isSuccessEvent(event)) {
          this.#emit(record, { type: 'delivered', messageId: message.id, channel: event.channel });
        } else {
          const errorCode = 'error' in event ? event.error.code : ErrorCode.Internal;
          this.logger.warn('verification code not delivered', {
            verificationId: record.id,
            messageId: message.id,
            channel: event.channel,
            errorCode,
          });
          this.#emit(record, { type: 'delivery_failed', messageId: message.id, channel: event.channel, errorCode });
        }
      }
    });
    this.#scheduleExpiry(record.id, expiresAt);
  }

  #scheduleExpiry(id: string, expiresAt: number): void {
    if (this.#closed) return;
    this.#timers.get(id)?.cancel();
    const timer = this.clock.setTimeout(
      () => {
        if (this.#timers.get(id) === timer) this.#timers.delete(id);
        void this.#expireIfDue(id);
      },
      expiresAt - this.clock.now(),
      { weak: true },
    );
    this.#timers.set(id, timer);
  }

  async #expireIfDue(id: string): Promise<void> {
    try {
      const record = await this.store.get(id);
      if (record?.status !== 'pending' || this.#closed) return;
      const now = this.clock.now();
      // Resent by another process meanwhile: wait for the new deadline.
      if (now < record.expiresAt) this.#scheduleExpiry(id, record.expiresAt);
      else await this.#finish(record, 'expired', now);
    } catch (error) {
      this.logger.error('verification expiry failed', { verificationId: id, error });
    }
  }

  #emit(
    record: VerificationRecord,
    input: DistributiveOmit<VerificationEvent, 'verificationId' | 'to' | 'at' | 'clientRef'>,
    at = this.clock.now(),
  ): void {
    if (this.#closed) return;
    const event = {
      ...input,
      verificationId: record.id,
      to: maskRecipient(record.to),
      at,
      ...(record.clientRef === undefined ? {} : { clientRef: record.clientRef }),
    } as VerificationEvent;
    this.#events.next(event);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function notFound(verificationId: string): TidingsError {
  return new TidingsError(VerifyErrorCode.NotFound, `no verification ${JSON.stringify(verificationId)}`, {
    details: { verificationId },
  });
}

function closedError(verificationId: string, status: string): TidingsError {
  return new TidingsError(
    VerifyErrorCode.Closed,
    `verification ${JSON.stringify(verificationId)} is ${status.replace('_', ' ')}: start a new one`,
    { details: { verificationId, status } },
  );
}
