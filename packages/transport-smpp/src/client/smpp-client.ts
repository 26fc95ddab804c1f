import {
  backoffDelay,
  type Cancellation,
  type Clock,
  ErrorCode,
  type Logger,
  RetryDecision,
  type RetryPolicy,
  TidingsError,
  type Timer,
  type Transport,
  type TransportState,
} from '@tidings/core';
import { EventEmitter } from 'eventemitter3';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { FlowController } from '../flow/flow-controller.js';
import { describeStatus } from '../pdu/command-status.js';
import type { Pdu } from '../pdu/pdu.js';
import type { RequestReply } from '../session/sent-request.js';
import { type OutgoingRequest, type ServerRequestHandler, SmppSession } from '../session/session.js';
import {
  type BindAddressing,
  type BindMode,
  type Credentials,
  type Endpoint,
  maxTimerMs,
  type SessionTimeouts,
  type TlsSettings,
} from '../session/session-options.js';
import { classifyStatus, type StatusTable } from '../status/status-table.js';

export interface SmppClientOptions {
  /** How the client is named in logs and errors, e.g. `smsc channel "sms"`. Never credentials. */
  readonly label: string;
  /** Primary first; the next ones are failover hosts. */
  readonly endpoints: readonly Endpoint[];
  readonly tls?: TlsSettings | undefined;
  readonly credentials: Credentials;
  readonly addressing?: BindAddressing | undefined;
  readonly mode: BindMode;
  /** Sessions bound in `mode` (providers allow several binds per account). */
  readonly binds: number;
  /** Extra `bind_receiver` sessions, for a transmitter that gets receipts on separate binds. */
  readonly receiverBinds?: number | undefined;
  /** Max unanswered requests per session. */
  readonly window: number;
  readonly timeouts: SessionTimeouts;
  readonly reconnect: RetryPolicy;
  /** Consecutive refused binds (bad credentials, or a close in answer to the bind) before giving up. */
  readonly maxBindFailures: number;
  /** Throughput cap over all sessions, in PDUs per second (each SMS part is one PDU). */
  readonly maxPerSecond?: number | undefined;
  /** Recognises throttling and queue-full statuses, to pause and slow down. */
  readonly statusTable: StatusTable;
  readonly maxFrameBytes?: number | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Answers `deliver_sm` / `data_sm` from any session. */
  readonly onServerRequest: ServerRequestHandler;
}

export interface SmppClientState extends TransportState {
  /** Sessions bound now. */
  readonly bound: number;
  /** Sessions the client keeps (binds + receiver binds). */
  readonly sessions: number;
  /** True while a throttling pause holds submits back. */
  readonly paused: boolean;
}

export interface SubmitOptions {
  readonly timeoutMs?: number | undefined;
  /** An `AbortSignal`, or any {@link Cancellation} (`SendContext.cancellation`). */
  readonly signal?: Cancellation | undefined;
}

interface Slot {
  readonly index: number;
  readonly mode: BindMode;
  session: SmppSession | undefined;
  endpointIndex: number;
  attempt: number;
  /** Binds refused in a row on this slot. */
  refusals: number;
  /** Drops of sessions that did not last; grows the pause before binding again. */
  drops: number;
  /** The reconnect loop, awaited by `close` so nothing outlives the client. */
  loop: Promise<void> | undefined;
  /** Cancels a connect or bind in progress. */
  opening: AbortController | undefined;
  gaveUp: boolean;
  wait: Timer | undefined;
  wake: (() => void) | undefined;
}

/** A session that lived this long was healthy: its drop restarts the reconnect backoff. */
const stableSessionMs = 30_000;
/** Quick drops in a row after which the client says what usually causes them. */
const quickDropsBeforeWarning = 3;

/** Settles a fast-path request; set by SmppClient's static block, which sees its private state. */
let settleFast: (client: SmppClient, reply: FastReply, response: Pdu | undefined, error: unknown) => void;

/**
 * The answer to a request sent at once: one object per request, where a second promise and its
 * two callbacks cost three allocations and a microtask hop.
 */
class FastReply implements RequestReply {
  #settled = false;

  constructor(
    readonly client: SmppClient,
    readonly session: SmppSession,
    readonly signal: Cancellation | undefined,
    readonly fulfil: (response: Pdu) => void,
    readonly fail: (error: TidingsError) => void,
  ) {}

  resolve(response: Pdu): void {
    if (this.#settled) return;
    this.#settled = true;
    settleFast(this.client, this, response, undefined);
  }

  reject(error: TidingsError): void {
    if (this.#settled) return;
    this.#settled = true;
    settleFast(this.client, this, undefined, error);
  }
}

/**
 * A pool of SMPP sessions for one account: N binds, failover across hosts, reconnect with
 * backoff, no hot loop on refused credentials, throughput cap and throttling pauses, drain on
 * close. Implements core's {@link Transport}: `request` sends one PDU and resolves with the
 * response, whatever its status.
 */
export class SmppClient implements Transport<OutgoingRequest, Pdu> {
  readonly #options: SmppClientOptions;
  readonly #slots: Slot[];
  readonly #state: BehaviorSubject<SmppClientState>;
  readonly state$: Observable<SmppClientState>;
  readonly #flow: FlowController;
  readonly #signals = new EventEmitter<{ change: [] }>();
  #status: TransportState['status'] = 'idle';
  #error: TidingsError | undefined;
  #active = 0;
  #everBound = false;
  #closing: Promise<void> | undefined;
  /** Republishes the state when a throttling pause ends. */
  #pauseTimer: Timer | undefined;

  constructor(options: SmppClientOptions) {
    this.#options = options;
    const receivers = options.receiverBinds ?? 0;
    this.#slots = Array.from({ length: options.binds + receivers }, (_, index) => ({
      index,
      mode: index < options.binds ? options.mode : 'receiver',
      session: undefined,
      endpointIndex: 0,
      attempt: 0,
      refusals: 0,
      drops: 0,
      loop: undefined,
      opening: undefined,
      gaveUp: false,
      wait: undefined,
      wake: undefined,
    }));
    this.#flow = new FlowController({
      clock: options.clock,
      ...(options.maxPerSecond === undefined ? {} : { maxPerSecond: options.maxPerSecond }),
    });
    this.#state = new BehaviorSubject<SmppClientState>(this.#snapshot());
    this.state$ = this.#state.pipe(
      distinctUntilChanged(
        (a, b) =>
          a.status === b.status &&
          a.bound === b.bound &&
          a.paused === b.paused &&
          a.endpoint === b.endpoint &&
          a.detail === b.detail,
      ),
    );
  }

  get state(): SmppClientState {
    return this.#state.value;
  }

  /** Requests accepted and not settled yet (waiting for a session, a token, a slot or a response). */
  get activeRequests(): number {
    return this.#active;
  }

  /** The current throughput limit after throttling, or undefined without a cap. */
  get currentRate(): number | undefined {
    return this.#flow.currentRate;
  }

  /**
   * Starts every session. Resolves when the first one is bound; rejects with `TIDINGS_AUTH_FAILED`
   * when binds are refused `maxBindFailures` times in a row, or when the client is closed first.
   * Sessions that fail keep reconnecting in the background.
   */
  connect(): Promise<void> {
    if (this.#status === 'idle') {
      this.#setStatus('connecting');
      for (const slot of this.#slots) slot.loop = this.#run(slot);
    }
    return this.#whenBound();
  }

  /**
   * Sends one request on the least busy bound session that can submit, waiting (within the
   * timeout) for a session while reconnecting, for a throughput token, then for a window slot.
   */
  request(request: OutgoingRequest, options: SubmitOptions = {}): Promise<Pdu> {
    if (this.#status === 'closing' || this.#status === 'closed' || this.#status === 'failed') {
      return Promise.reject(this.#unavailable());
    }
    const signal = options.signal;
    if (signal?.aborted === true || !this.#flow.tryAcquire(1)) return this.#request(request, options, false);
    // The common case, without an async function's awaits: a token at hand, a bound session
    // with a free window slot.
    const session = this.#pickSession();
    const timeoutMs = Math.min(options.timeoutMs ?? this.#options.timeouts.responseTimeoutMs, maxTimerMs);
    if (session === undefined) return this.#request(request, options, true);
    let reply: FastReply | undefined;
    const promise = new Promise<Pdu>((resolve, reject) => {
      reply = new FastReply(this, session, signal, resolve, reject);
    });
    if (!session.trySend(request, timeoutMs, signal, reply as FastReply)) {
      return this.#request(request, options, true);
    }
    this.#active++;
    return promise;
  }

  /**
   * The end of a fast-path request, called while its response frame is read. An accepted submit
   * with other requests still in flight settles here; anything else (an error status, a failure,
   * the last request in flight, whose end wakes a closing client) waits for a microtask, as the
   * promise chain this replaces did, so its consequences never run inside the session's reading.
   */
  static {
    settleFast = (client, reply, response, error) => {
      if (response !== undefined && response.command_status === 0 && client.#active > 1) {
        client.#active--;
        client.#flow.succeeded();
        reply.fulfil(response);
        return;
      }
      queueMicrotask(() => {
        if (response !== undefined) {
          try {
            client.#observe(response, reply.session);
          } catch (observeError) {
            reply.fail(client.#asTidingsError(observeError, reply.signal));
            return;
          } finally {
            client.#requestDone();
          }
          reply.fulfil(response);
          return;
        }
        client.#requestDone();
        reply.fail(client.#asTidingsError(error, reply.signal));
      });
    };
  }

  /** `request` with waits: for a throughput token (unless `tokenTaken`), a session, a window slot. */
  async #request(request: OutgoingRequest, options: SubmitOptions, tokenTaken: boolean): Promise<Pdu> {
    this.#active++;
    try {
      const timeoutMs = Math.min(options.timeoutMs ?? this.#options.timeouts.responseTimeoutMs, maxTimerMs);
      if (!tokenTaken) await this.#flow.acquire(1, options.signal);
      // Picked after the token, synchronously before the window slot is taken, so a burst spreads.
      const session = this.#pickSession() ?? (await this.#waitForSession(timeoutMs, options.signal));
      const response = await session.request(request, { timeoutMs, signal: options.signal });
      this.#observe(response, session);
      return response;
    } catch (error) {
      throw this.#asTidingsError(error, options.signal);
    } finally {
      this.#requestDone();
    }
  }

  #requestDone(): void {
    if (--this.#active === 0) this.#signals.emit('change');
  }

  /**
   * Stops taking requests, lets in-flight ones settle (up to `drainTimeoutMs`), unbinds every
   * session gracefully and closes. Requests still unanswered then fail as connection lost.
   */
  close(options: { drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = this.#close(options.drainTimeoutMs ?? 10_000);
    return this.#closing;
  }

  // ── sessions ────────────────────────────────────────────────────────────────────────────────

  async #run(slot: Slot): Promise<void> {
    const { endpoints, clock, logger, label } = this.#options;
    const name = `${label} #${slot.index + 1}`;
    while (!this.#isClosing()) {
      const endpoint = endpoints[slot.endpointIndex] as Endpoint;
      let session: SmppSession;
      slot.opening = new AbortController();
      try {
        session = await SmppSession.open(
          {
            endpoint,
            tls: this.#options.tls,
            credentials: this.#options.credentials,
            mode: slot.mode,
            addressing: this.#options.addressing,
            window: this.#options.window,
            timeouts: this.#options.timeouts,
            maxFrameBytes: this.#options.maxFrameBytes,
            clock,
            logger,
            label: name,
          },
          this.#options.onServerRequest,
          slot.opening.signal,
        );
      } catch (error) {
        const failure = TidingsError.from(error);
        if (this.#isClosing()) return;
        if (failure.code === ErrorCode.InvalidOptions) {
          // A TLS key or certificate the runtime cannot load: retrying cannot help.
          this.#fail(failure);
          return;
        }
        if (this.#isBindRefusal(failure)) {
          slot.refusals++;
          if (slot.refusals >= this.#options.maxBindFailures) {
            this.#giveUp(slot, failure);
            return;
          }
        } else if (failure.details?.phase === 'connect' && endpoints.length > 1) {
          // Failover: try the next host.
          slot.endpointIndex = (slot.endpointIndex + 1) % endpoints.length;
        }
        slot.attempt++;
        const delay = backoffDelay(this.#options.reconnect, slot.attempt);
        logger.warn('SMPP session could not bind; retrying', {
          session: name,
          endpoint: `${endpoint.host}:${endpoint.port}`,
          error: failure.message,
          retryInMs: delay,
        });
        this.#publish(failure.message);
        await this.#sleep(slot, delay);
        continue;
      } finally {
        slot.opening = undefined;
      }
      if (this.#isClosing()) {
        await session.close();
        return;
      }
      slot.refusals = 0;
      slot.attempt = 0;
      slot.session = session;
      const boundAt = clock.now();
      this.#everBound = true;
      if (this.#status === 'connecting') this.#status = 'open';
      logger.info('SMPP session bound', { session: name, endpoint: session.endpoint, mode: slot.mode });
      this.#publish();
      this.#signals.emit('change');
      await session.closed;
      slot.session = undefined;
      if (this.#isClosing()) return;
      const reason = session.state.error;
      logger.warn('SMPP session closed; reconnecting', { session: name, reason: reason?.message ?? 'closed' });
      if (!this.#slots.some((other) => other.session)) this.#status = 'connecting';
      this.#publish(reason?.message);
      this.#signals.emit('change');
      // Back to the primary host after a drop. A server that drops every session soon after the
      // bind gets longer and longer pauses instead of a redial loop.
      slot.endpointIndex = 0;
      slot.drops = clock.now() - boundAt < stableSessionMs ? slot.drops + 1 : 1;
      if (slot.drops === quickDropsBeforeWarning) {
        // The usual cause: a provider allowing one bind per login ends the older one on a new bind.
        const warning = `the server closed this session soon after the bind ${slot.drops} times in a row: is another client bound with the same system_id? (providers that allow one bind per login end the older one)`;
        logger.warn(warning, { session: name });
        this.#publish(warning);
      }
      await this.#sleep(slot, backoffDelay(this.#options.reconnect, slot.drops));
    }
  }

  /**
   * This slot's binds keep being refused. The client fails when no slot is left; otherwise the
   * other sessions carry on (an account allowing fewer binds than configured).
   */
  #giveUp(slot: Slot, failure: TidingsError): void {
    slot.gaveUp = true;
    const error =
      failure.code === ErrorCode.AuthFailed || failure.details?.response === 'generic_nack'
        ? failure
        : new TidingsError(
            ErrorCode.AuthFailed,
            `${this.#options.label}: the server refused the bind ${slot.refusals} times in a row (closing the connection instead of answering): check system_id and password`,
            { cause: failure, details: { bindFailures: slot.refusals } },
          );
    if (this.#slots.every((other) => other.gaveUp)) {
      this.#fail(error);
      return;
    }
    this.#options.logger.error('SMPP binds refused on one session; it stops reconnecting', {
      session: `${this.#options.label} #${slot.index + 1}`,
      error: error.message,
    });
    this.#publish(`session #${slot.index + 1} stopped reconnecting: ${error.message}`);
    this.#signals.emit('change');
  }

  #isBindRefusal(error: TidingsError): boolean {
    return (
      error.code === ErrorCode.AuthFailed ||
      (error.details?.phase === 'bind' && error.details.response === 'generic_nack') ||
      (error.code === ErrorCode.ConnectionLost && error.details?.phase === 'bind')
    );
  }

  #sleep(slot: Slot, ms: number): Promise<void> {
    return new Promise((resolve) => {
      slot.wake = () => {
        slot.wait?.cancel();
        slot.wait = undefined;
        slot.wake = undefined;
        resolve();
      };
      slot.wait = this.#options.clock.setTimeout(slot.wake, ms);
    });
  }

  #pickSession(): SmppSession | undefined {
    let best: SmppSession | undefined;
    for (const slot of this.#slots) {
      const session = slot.session;
      if (!session?.canSubmit) continue;
      if (!best || session.inFlight + session.waiting < best.inFlight + best.waiting) best = session;
    }
    return best;
  }

  #waitForSession(timeoutMs: number, signal: Cancellation | undefined): Promise<SmppSession> {
    return new Promise<SmppSession>((resolve, reject) => {
      const check = (): void => {
        const session = this.#pickSession();
        if (session) {
          done(() => resolve(session));
        } else if (this.#status === 'closing' || this.#status === 'closed' || this.#status === 'failed') {
          done(() => reject(this.#unavailable()));
        }
      };
      const onAbort = (): void => done(() => reject(signal?.reason));
      const timer = this.#options.clock.setTimeout(
        () =>
          done(() =>
            reject(
              new TidingsError(
                ErrorCode.ConnectionLost,
                `${this.#options.label}: no bound session within ${timeoutMs} ms`,
                {
                  retry: RetryDecision.retry(),
                  details: { status: this.#status },
                },
              ),
            ),
          ),
        timeoutMs,
      );
      const done = (settle: () => void): void => {
        timer.cancel();
        this.#signals.off('change', check);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      this.#signals.on('change', check);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      else check();
    });
  }

  #whenBound(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.#slots.some((slot) => slot.session)) {
          this.#signals.off('change', check);
          resolve();
        } else if (this.#status === 'failed' || this.#status === 'closed' || this.#status === 'closing') {
          this.#signals.off('change', check);
          reject(this.#error ?? this.#unavailable());
        }
      };
      this.#signals.on('change', check);
      check();
    });
  }

  /**
   * Feeds the provider's answer to flow control (throttling pauses every session and slows down)
   * and to the session (a server that says we are not bound gets a fresh bind).
   */
  #observe(response: Pdu, session: SmppSession): void {
    const status = response.command_status;
    if (status === 0) {
      this.#flow.succeeded();
      return;
    }
    const rule = classifyStatus(this.#options.statusTable, status);
    if (rule.class === 'session') {
      session.destroy(
        new TidingsError(
          ErrorCode.ConnectionLost,
          `${this.#options.label}: the server says the session is not in a bound state (${describeStatus(status)}); binding again`,
          { retry: RetryDecision.retry(), providerStatus: status },
        ),
      );
      return;
    }
    if (rule.class === 'throttled' || rule.class === 'queue-full') {
      const wasPaused = this.#flow.pausedUntil !== undefined;
      this.#flow.throttled(rule.pauseMs ?? 1_000);
      if (!wasPaused) {
        this.#publish();
        const until = this.#flow.pausedUntil;
        if (until !== undefined) {
          this.#pauseTimer?.cancel();
          this.#pauseTimer = this.#options.clock.setTimeout(
            () => {
              this.#pauseTimer = undefined;
              this.#publish();
            },
            Math.max(0, until - this.#options.clock.now()) + 1,
          );
        }
      }
    }
  }

  // ── state ───────────────────────────────────────────────────────────────────────────────────

  #fail(error: TidingsError): void {
    this.#error = error;
    this.#options.logger.error('SMPP client gave up', { client: this.#options.label, error: error.message });
    this.#status = 'failed';
    this.#publish(error.message);
    this.#stopSlots();
    this.#flow.close(error);
    this.#signals.emit('change');
    for (const slot of this.#slots) void slot.session?.close();
  }

  /** Wakes reconnect loops, cancels binds in progress and the pause timer. */
  #stopSlots(): void {
    this.#pauseTimer?.cancel();
    this.#pauseTimer = undefined;
    for (const slot of this.#slots) {
      slot.wake?.();
      slot.opening?.abort();
    }
  }

  async #close(drainTimeoutMs: number): Promise<void> {
    if (this.#status === 'closed') return;
    this.#status = 'closing';
    this.#publish();
    this.#signals.emit('change');
    this.#stopSlots();
    if (this.#active > 0) await this.#drained(drainTimeoutMs);
    this.#flow.close(this.#unavailable());
    await Promise.all(this.#slots.map((slot) => slot.session?.close()));
    // Every reconnect loop has returned: no socket, timer or bind outlives the client.
    await Promise.all(this.#slots.map((slot) => slot.loop));
    this.#status = 'closed';
    this.#publish();
    this.#state.complete();
    this.#signals.emit('change');
  }

  /** Resolves when no request is in progress, or after `timeoutMs`. */
  #drained(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        timer.cancel();
        this.#signals.off('change', check);
        resolve();
      };
      const check = (): void => {
        if (this.#active === 0) done();
      };
      const timer = this.#options.clock.setTimeout(done, timeoutMs);
      this.#signals.on('change', check);
      check();
    });
  }

  #asTidingsError(error: unknown, signal: Cancellation | undefined): TidingsError {
    if (error instanceof TidingsError) return error;
    if (signal?.aborted && error === signal.reason) {
      return new TidingsError(
        ErrorCode.Timeout,
        `${this.#options.label}: the caller gave up before the request was sent`,
        {
          retry: RetryDecision.retry(),
          cause: error,
        },
      );
    }
    return TidingsError.from(error);
  }

  #isClosing(): boolean {
    return this.#status === 'closing' || this.#status === 'closed' || this.#status === 'failed';
  }

  #setStatus(status: TransportState['status']): void {
    this.#status = status;
    this.#publish();
  }

  #snapshot(detail?: string): SmppClientState {
    let bound = 0;
    let endpoint: string | undefined;
    for (const slot of this.#slots ?? []) {
      if (slot.session?.status === 'bound') {
        bound++;
        endpoint ??= slot.session.endpoint;
      }
    }
    return {
      status: this.#status,
      bound,
      sessions: this.#slots?.length ?? 0,
      paused: this.#flow?.pausedUntil !== undefined,
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(detail === undefined ? {} : { detail }),
      ...(this.#error === undefined ? {} : { error: this.#error }),
    };
  }

  #publish(detail?: string): void {
    if (this.#state.closed) return;
    this.#state.next(this.#snapshot(detail));
  }

  #unavailable(): TidingsError {
    if (this.#status === 'failed' && this.#error) return this.#error;
    return new TidingsError(ErrorCode.Shutdown, `${this.#options.label}: the SMPP client is ${this.#status}`, {
      details: { status: this.#status },
    });
  }

  /** Whether any session was ever bound (a drop after that is a reconnect, not a first connect). */
  get everBound(): boolean {
    return this.#everBound;
  }
}
