import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { type Cancellation, ErrorCode, RetryDecision, TidingsError, type Timer } from '@tidings/core';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { decodePdu, encodePdu, encodeRequest } from '../pdu/codec.js';
import { CommandStatus, describeStatus } from '../pdu/command-status.js';
import { FrameReader } from '../pdu/frame-reader.js';
import { CommandId, isResponseId, type Pdu } from '../pdu/pdu.js';
import { FrameWriter } from './frame-writer.js';
import { type PendingRequest, RequestWindow } from './request-window.js';
import { type RequestReply, SentRequest } from './sent-request.js';
import { type BindMode, maxTimerMs, type SessionOptions } from './session-options.js';

/** `connecting` (TCP/TLS) → `open` → `binding` → `bound` → `unbinding` → `closed`. */
export type SessionStatus = 'connecting' | 'open' | 'binding' | 'bound' | 'unbinding' | 'closed';

export interface SessionState {
  readonly status: SessionStatus;
  readonly mode: BindMode;
  /** `host:port`, for humans. */
  readonly endpoint: string;
  /** Why the session closed, when it was not asked to. */
  readonly error?: TidingsError;
}

/** A PDU to send as a request: the session numbers it. */
export type OutgoingRequest = Pdu extends infer P
  ? P extends Pdu
    ? Omit<P, 'sequence_number' | 'command_status'> & { readonly command_status?: number }
    : never
  : never;

/**
 * Answers a request the server sent (`deliver_sm`, `data_sm`, …) with a `command_status`. A
 * promise that does not settle in time is answered with a temporary error so the server retries.
 */
export type ServerRequestHandler = (request: Pdu) => number | PromiseLike<number>;

export interface RequestOptions {
  readonly timeoutMs?: number | undefined;
  /** An `AbortSignal`, or any {@link Cancellation}. */
  readonly signal?: Cancellation | undefined;
}

const bindCommands = {
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
  transceiver: 'bind_transceiver',
} as const;

const authStatuses: ReadonlySet<number> = new Set([
  CommandStatus.ESME_RBINDFAIL,
  CommandStatus.ESME_RINVPASWD,
  CommandStatus.ESME_RINVSYSID,
]);

/** bind_receiver_resp, bind_transmitter_resp, bind_transceiver_resp. */
const bindResponseIds: ReadonlySet<number> = new Set([
  CommandId.bind_receiver_resp,
  CommandId.bind_transmitter_resp,
  CommandId.bind_transceiver_resp,
]);

/** Commands that have no response. */
const unansweredCommands: ReadonlySet<number> = new Set([CommandId.alert_notification, CommandId.outbind]);

const maxSequence = 0x7fffffff;

/**
 * One SMPP connection, from TCP connect to close: bind, window, response deadlines, keep-alive,
 * answers to every server request, graceful unbind. Never reused: a new connection is a new
 * session (node-smpp's `connect()` reuse keeps stale parser state).
 */
export class SmppSession {
  readonly #options: SessionOptions;
  readonly #handler: ServerRequestHandler;
  readonly #state: BehaviorSubject<SessionState>;
  readonly state$: Observable<SessionState>;
  readonly #window: RequestWindow;
  readonly #reader: FrameReader;
  #socket: Socket | undefined;
  #writer: FrameWriter | undefined;
  #sequence = 0;
  #unflushed: PendingRequest[] = [];
  #sweepTimer: Timer | undefined;
  #sweepAt = Number.POSITIVE_INFINITY;
  #enquireTimer: Timer | undefined;
  #closing: Promise<void> | undefined;
  /** Why the socket is about to close, when we know before the close event (server unbind). */
  #pendingError: TidingsError | undefined;
  /** Deadlines of our answers to server requests still being handled. */
  readonly #answerTimers = new Set<Timer>();
  readonly #closed: Promise<void>;
  #resolveClosed!: () => void;
  /**
   * Set when the frame reader meets the accepted bind response, before `#bind` resumes: a
   * deliver_sm in the same chunk is then legal, one before it is not.
   */
  #bindAccepted = false;
  /** System id the server announced in its bind response. */
  serverSystemId: string | undefined;

  private constructor(options: SessionOptions, handler: ServerRequestHandler) {
    this.#options = options;
    this.#handler = handler;
    this.#state = new BehaviorSubject<SessionState>({
      status: 'connecting',
      mode: options.mode,
      endpoint: `${options.endpoint.host}:${options.endpoint.port}`,
    });
    this.state$ = this.#state.pipe(distinctUntilChanged((a, b) => a.status === b.status));
    this.#window = new RequestWindow(options.window);
    this.#reader = new FrameReader(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes });
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  /**
   * Connects and binds. Rejects with `TIDINGS_AUTH_FAILED` when the server refuses the
   * credentials, `TIDINGS_CONNECTION_LOST` (details.phase `connect` or `bind`) when the connection
   * fails or the server closes it before answering the bind, `TIDINGS_TIMEOUT` when it is silent.
   */
  static async open(
    options: SessionOptions,
    handler: ServerRequestHandler,
    signal?: AbortSignal,
  ): Promise<SmppSession> {
    const session = new SmppSession(options, handler);
    const cancel = (): void =>
      session.destroy(
        new TidingsError(ErrorCode.ConnectionLost, `${options.label}: connect cancelled`, {
          retry: RetryDecision.retry(),
          details: { phase: 'cancelled' },
        }),
      );
    if (signal?.aborted) throw new TidingsError(ErrorCode.ConnectionLost, `${options.label}: connect cancelled`);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      await session.#connect();
      await session.#bind();
      return session;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  get state(): SessionState {
    return this.#state.value;
  }

  get status(): SessionStatus {
    return this.#state.value.status;
  }

  get mode(): BindMode {
    return this.#options.mode;
  }

  get endpoint(): string {
    return this.#state.value.endpoint;
  }

  /** Requests sent and unanswered, counted against the window. */
  get inFlight(): number {
    return this.#window.inFlight;
  }

  /** Callers waiting for a window slot. */
  get waiting(): number {
    return this.#window.waiting;
  }

  get windowSize(): number {
    return this.#window.capacity;
  }

  /** Resolves once the socket is closed, whatever the reason. */
  get closed(): Promise<void> {
    return this.#closed;
  }

  /** Whether this session can carry submits (transmitter or transceiver, bound). */
  get canSubmit(): boolean {
    return this.status === 'bound' && this.#options.mode !== 'receiver';
  }

  /**
   * Sends a request and resolves with its response, whatever its `command_status` (the caller
   * classifies it). Waits for a window slot first. Rejects with `TIDINGS_TIMEOUT` (ambiguous)
   * when no response comes in time, `TIDINGS_CONNECTION_LOST` when the session closes first
   * (ambiguous once the request was written).
   */
  async request(request: OutgoingRequest, options: RequestOptions = {}): Promise<Pdu> {
    if (this.status !== 'bound') throw this.#notBound();
    await this.#window.acquire(options.signal);
    if (this.status !== 'bound') {
      this.#window.release();
      throw this.#notBound();
    }
    const timeoutMs = Math.min(options.timeoutMs ?? this.#options.timeouts.responseTimeoutMs, maxTimerMs);
    return this.#send(request, true, timeoutMs, options.signal);
  }

  /**
   * `request` when it can be sent at once (bound, a window slot free), its answer handed to
   * `reply` instead of a promise: false (nothing sent, `reply` never called) when the caller must
   * use `request` instead. `reply` is called synchronously: while the response is read, or at
   * once when the request does not encode.
   */
  trySend(request: OutgoingRequest, timeoutMs: number, signal: Cancellation | undefined, reply: RequestReply): boolean {
    if (this.status !== 'bound' || signal?.aborted === true || !this.#window.tryAcquire()) return false;
    this.#sendTo(request, true, Math.min(timeoutMs, maxTimerMs), signal, reply);
    return true;
  }

  /** Graceful close: `unbind`, wait for `unbind_resp` (bounded), close the socket. Idempotent. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closing = this.#unbindAndClose();
    return this.#closing;
  }

  /** Closes at once, failing every unanswered request with `error`. */
  destroy(error?: TidingsError): void {
    if (this.status === 'closed') return;
    this.#teardown(error);
    this.#socket?.destroy();
  }

  // ── connection ──────────────────────────────────────────────────────────────────────────────

  #connect(): Promise<void> {
    const { timeouts, clock } = this.#options;
    return new Promise<void>((resolve, reject) => {
      const onConnected = (): void => {
        timer.cancel();
        socket.off('error', onError);
        socket.off('close', onClosedEarly);
        this.#setState('open');
        resolve();
      };
      const onError = (cause: Error): void => {
        timer.cancel();
        socket.off('close', onClosedEarly);
        socket.destroy();
        this.#teardown(undefined);
        reject(this.#connectError(cause.message, cause));
      };
      // Destroyed before connecting (a cancelled open): no error event comes.
      const onClosedEarly = (): void => onError(new Error('closed before connecting'));
      let socket: Socket;
      try {
        socket = this.#createSocket(onConnected);
      } catch (cause) {
        // A TLS key, certificate or CA node cannot load: a configuration error, not a network one.
        this.#teardown(undefined);
        reject(
          new TidingsError(ErrorCode.InvalidOptions, `${this.#options.label}: invalid TLS settings: ${String(cause)}`, {
            details: { phase: 'connect', option: 'tls' },
            cause,
          }),
        );
        return;
      }
      const timer = clock.setTimeout(() => {
        onError(new Error(`no connection within ${timeouts.connectTimeoutMs} ms`));
      }, timeouts.connectTimeoutMs);
      socket.once('error', onError);
      socket.once('close', onClosedEarly);
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      this.#socket = socket;
      this.#writer = new FrameWriter(socket, {
        onFlushed: this.#markWritten,
        onStalled: (bytes) =>
          this.destroy(
            new TidingsError(
              ErrorCode.ConnectionLost,
              `${this.#options.label}: the server stopped reading (${bytes} bytes waiting to be sent)`,
              { retry: RetryDecision.retry() },
            ),
          ),
      });
      socket.on('data', this.#onData);
      socket.on('close', () => this.#onSocketClosed());
      socket.on('error', (cause) => {
        if (this.status === 'closed') return;
        this.#teardown(
          new TidingsError(ErrorCode.ConnectionLost, `${this.#options.label}: connection error: ${cause.message}`, {
            retry: RetryDecision.retry(),
            cause,
          }),
        );
      });
    });
  }

  #createSocket(onConnected: () => void): Socket {
    const { endpoint, tls } = this.#options;
    return tls
      ? tlsConnect(
          {
            host: endpoint.host,
            port: endpoint.port,
            rejectUnauthorized: tls.rejectUnauthorized ?? true,
            ...(tls.ca === undefined ? {} : { ca: typeof tls.ca === 'string' ? tls.ca : [...tls.ca] }),
            ...(tls.cert === undefined ? {} : { cert: tls.cert }),
            ...(tls.key === undefined ? {} : { key: tls.key }),
            ...(tls.servername !== undefined
              ? { servername: tls.servername }
              : isIp(endpoint.host)
                ? {}
                : { servername: endpoint.host }),
          },
          onConnected,
        )
      : netConnect({ host: endpoint.host, port: endpoint.port }, onConnected);
  }

  async #bind(): Promise<void> {
    const { credentials, addressing, mode, timeouts } = this.#options;
    this.#setState('binding');
    let response: Pdu;
    try {
      response = await this.#send(
        {
          command: bindCommands[mode],
          system_id: credentials.systemId,
          password: credentials.password,
          system_type: credentials.systemType ?? '',
          interface_version: addressing?.interfaceVersion ?? 0x34,
          addr_ton: addressing?.addrTon ?? 0,
          addr_npi: addressing?.addrNpi ?? 0,
          address_range: addressing?.addressRange ?? '',
        },
        false,
        timeouts.bindTimeoutMs,
        undefined,
      );
    } catch (error) {
      this.destroy();
      const cause = TidingsError.from(error);
      if (cause.code === ErrorCode.Timeout) {
        throw new TidingsError(
          ErrorCode.Timeout,
          `${this.#options.label}: no bind response within ${timeouts.bindTimeoutMs} ms`,
          {
            retry: RetryDecision.retry(),
            details: { phase: 'bind' },
            cause,
          },
        );
      }
      // Some providers answer bad credentials by closing the connection without a word.
      throw new TidingsError(
        ErrorCode.ConnectionLost,
        `${this.#options.label}: the server closed the connection before answering the bind (providers do this on bad credentials)`,
        { retry: RetryDecision.retry(), details: { phase: 'bind' }, cause },
      );
    }
    const status = response.command_status;
    if (response.command === 'generic_nack') {
      this.destroy();
      // The server does not take this bind at all (often: the bind mode): retrying cannot help.
      throw new TidingsError(
        ErrorCode.ProtocolError,
        `${this.#options.label}: the server answered ${bindCommands[mode]} with generic_nack (${describeStatus(status)}): it does not support this bind mode; use the one the provider supports`,
        {
          retry: RetryDecision.never(),
          providerStatus: status,
          details: { phase: 'bind', response: 'generic_nack', command: bindCommands[mode] },
        },
      );
    }
    if (status !== CommandStatus.ESME_ROK) {
      this.destroy();
      const auth = authStatuses.has(status);
      throw new TidingsError(
        auth ? ErrorCode.AuthFailed : ErrorCode.Rejected,
        `${this.#options.label}: bind refused: ${describeStatus(status)}${auth ? ': check system_id and password' : ''}`,
        {
          retry: auth ? RetryDecision.never() : RetryDecision.retry(),
          providerStatus: status,
          details: { phase: 'bind' },
        },
      );
    }
    if (this.status !== 'binding') {
      // The server ended the session right after accepting the bind (an unbind in the same read).
      this.destroy();
      throw (
        this.#pendingError ??
        new TidingsError(ErrorCode.ConnectionLost, `${this.#options.label}: the session closed right after the bind`, {
          retry: RetryDecision.retry(),
        })
      );
    }
    this.serverSystemId = 'system_id' in response ? response.system_id : undefined;
    this.#setState('bound');
    this.#scheduleEnquireLink();
  }

  // ── requests ────────────────────────────────────────────────────────────────────────────────

  #send(
    request: OutgoingRequest,
    windowed: boolean,
    timeoutMs: number,
    signal: Cancellation | undefined,
  ): Promise<Pdu> {
    return new Promise<Pdu>((resolve, reject) => {
      this.#sendTo(request, windowed, timeoutMs, signal, { resolve, reject });
    });
  }

  /** Encodes and queues `request`; its answer (or an encoding error, at once) goes to `reply`. */
  #sendTo(
    request: OutgoingRequest,
    windowed: boolean,
    timeoutMs: number,
    signal: Cancellation | undefined,
    reply: RequestReply,
  ): void {
    const sequence = this.#nextSequence();
    let frame: Buffer;
    try {
      frame = encodeRequest(request, request.command_status ?? 0, sequence);
    } catch (error) {
      if (windowed) this.#window.release();
      reply.reject(TidingsError.from(error, ErrorCode.InvalidMessage));
      return;
    }
    const deadline = this.#options.clock.now() + timeoutMs;
    const command = request.command === 'other' ? (request.name ?? 'request') : request.command;
    const pending = new SentRequest(sequence, command, deadline, windowed, reply, signal);
    if (signal) {
      const onAbort = (): void => {
        // Still queued here: take it back, nothing reached the peer. Written: the bytes may be
        // on their way, so keep the slot until the peer answers or the request times out.
        const unsent = !pending.written && this.#writer?.cancel(frame) === true;
        if (unsent) this.#window.forget(sequence);
        else pending.abandoned = true;
        reply.reject(
          new TidingsError(ErrorCode.Timeout, `${this.#options.label}: gave up waiting for ${command}_resp`, {
            retry: RetryDecision.retry(),
            ambiguous: !unsent,
            cause: signal.reason,
          }),
        );
      };
      pending.onAbort = onAbort;
      if (signal.aborted) queueMicrotask(onAbort);
      else signal.addEventListener('abort', onAbort, { once: true });
    }
    this.#window.add(pending);
    this.#unflushed.push(pending);
    this.#writer?.write(frame);
    this.#armSweep(deadline);
  }

  #nextSequence(): number {
    this.#sequence = this.#sequence >= maxSequence ? 1 : this.#sequence + 1;
    return this.#sequence;
  }

  readonly #markWritten = (): void => {
    for (const pending of this.#unflushed) pending.written = true;
    this.#unflushed = [];
  };

  #armSweep(deadline: number): void {
    if (deadline >= this.#sweepAt) return;
    this.#sweepTimer?.cancel();
    this.#sweepAt = deadline;
    const { clock } = this.#options;
    this.#sweepTimer = clock.setTimeout(this.#sweep, Math.max(0, deadline - clock.now()));
  }

  readonly #sweep = (): void => {
    this.#sweepTimer = undefined;
    this.#sweepAt = Number.POSITIVE_INFINITY;
    const next = this.#window.expire(this.#options.clock.now());
    if (next !== undefined && this.status !== 'closed') this.#armSweep(next);
  };

  #notBound(): TidingsError {
    return new TidingsError(ErrorCode.ConnectionLost, `${this.#options.label}: session is ${this.status}, not bound`, {
      retry: RetryDecision.retry(),
      details: { status: this.status },
    });
  }

  // ── keep-alive ──────────────────────────────────────────────────────────────────────────────

  /**
   * Keep-alives go out every `enquireLinkIntervalMs` counted from the previous one's send, not its
   * answer: providers that want one "every 30 s ± 5 s" see that rate whatever the peer's delay.
   */
  #scheduleEnquireLink(delayMs = this.#options.timeouts.enquireLinkIntervalMs): void {
    const { enquireLinkIntervalMs, enquireLinkTimeoutMs } = this.#options.timeouts;
    if (enquireLinkIntervalMs <= 0 || this.status !== 'bound') return;
    this.#enquireTimer = this.#options.clock.setTimeout(() => {
      this.#enquireTimer = undefined;
      if (this.status !== 'bound') return;
      const sentAt = this.#options.clock.now();
      this.#send({ command: 'enquire_link' }, false, enquireLinkTimeoutMs, undefined).then(
        () => this.#scheduleEnquireLink(Math.max(0, enquireLinkIntervalMs - (this.#options.clock.now() - sentAt))),
        (error: unknown) => {
          // Unbinding or closed: the session is ending for its own reason, keep that one.
          if (this.status !== 'bound') return;
          this.#options.logger.warn('peer did not answer enquire_link; closing the session', {
            session: this.#options.label,
          });
          this.destroy(
            new TidingsError(
              ErrorCode.ConnectionLost,
              `${this.#options.label}: the peer did not answer enquire_link within ${enquireLinkTimeoutMs} ms`,
              { retry: RetryDecision.retry(), cause: error },
            ),
          );
        },
      );
    }, delayMs);
  }

  // ── incoming ────────────────────────────────────────────────────────────────────────────────

  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#reader.feed(chunk, this.#onFrame);
    } catch (error) {
      const cause = TidingsError.from(error, ErrorCode.ProtocolError);
      this.#options.logger.error('protocol error from the server; closing the session', {
        session: this.#options.label,
        error: cause.message,
      });
      this.destroy(
        new TidingsError(ErrorCode.ProtocolError, `${this.#options.label}: ${cause.message}`, {
          retry: RetryDecision.retry(),
          cause,
        }),
      );
    }
  };

  readonly #onFrame = (frame: Buffer): void => {
    if (this.status === 'closed') return;
    const pdu = decodePdu(frame);
    const commandId = frame.readUInt32BE(4);
    if (isResponseId(commandId)) {
      if (!this.#bindAccepted && pdu.command_status === 0 && bindResponseIds.has(commandId)) this.#bindAccepted = true;
      if (!this.#window.complete(pdu)) {
        // Late answer to a request that already timed out, or a peer bug: nothing waits for it.
        this.#options.logger.debug('response to no pending request', {
          session: this.#options.label,
          sequence: pdu.sequence_number,
        });
      }
      return;
    }
    this.#onServerRequest(pdu, commandId);
  };

  #onServerRequest(pdu: Pdu, commandId: number): void {
    switch (pdu.command) {
      case 'enquire_link':
        this.#respond(pdu, CommandStatus.ESME_ROK);
        return;
      case 'unbind':
        // The server ends the session: answer, then close; the pool reconnects.
        this.#respond(pdu, CommandStatus.ESME_ROK);
        this.#writer?.flush();
        this.#setState('unbinding');
        this.#socket?.end();
        this.#teardownLater(
          new TidingsError(ErrorCode.ConnectionLost, `${this.#options.label}: the server unbound the session`, {
            retry: RetryDecision.retry(),
            details: { reason: 'server-unbind' },
          }),
        );
        return;
      case 'deliver_sm':
      case 'data_sm':
        if (!this.#bindAccepted) {
          // SMPP 3.4 §2.3: only a bound session takes deliver_sm. Refused, the SMSC delivers it
          // again after the bind, instead of a receipt or an MO slipping in before we are ready.
          this.#options.logger.warn('deliver_sm before the bind was accepted; answered ESME_RINVBNDSTS', {
            session: this.#options.label,
          });
          this.#respond(pdu, CommandStatus.ESME_RINVBNDSTS);
          return;
        }
        this.#dispatch(pdu);
        return;
      default:
        if (unansweredCommands.has(commandId)) {
          this.#dispatch(pdu, false);
          return;
        }
        this.#writeFrame({
          command: 'generic_nack',
          command_status: CommandStatus.ESME_RINVCMDID,
          sequence_number: pdu.sequence_number,
        });
    }
  }

  #dispatch(pdu: Pdu, answer = true): void {
    let outcome: number | PromiseLike<number>;
    try {
      outcome = this.#handler(pdu);
    } catch (error) {
      this.#options.logger.error('server request handler failed', { session: this.#options.label, error });
      outcome = CommandStatus.ESME_RX_T_APPN;
    }
    if (!answer) return;
    if (typeof outcome === 'number') {
      this.#respond(pdu, outcome);
      return;
    }
    let answered = false;
    const answerOnce = (status: number): void => {
      if (answered) return;
      answered = true;
      timer.cancel();
      this.#answerTimers.delete(timer);
      this.#respond(pdu, status);
    };
    // The provider closes sessions that leave its requests unanswered: answer "try later" in time.
    const timer = this.#options.clock.setTimeout(
      () => answerOnce(CommandStatus.ESME_RX_T_APPN),
      this.#options.timeouts.serverRequestTimeoutMs,
    );
    this.#answerTimers.add(timer);
    outcome.then(answerOnce, () => answerOnce(CommandStatus.ESME_RX_T_APPN));
  }

  #respond(request: Pdu, status: number): void {
    if (this.status === 'closed') return;
    const sequence_number = request.sequence_number;
    switch (request.command) {
      case 'deliver_sm':
        this.#writeFrame({ command: 'deliver_sm_resp', command_status: status, sequence_number, message_id: '' });
        return;
      case 'data_sm':
        this.#writeFrame({ command: 'data_sm_resp', command_status: status, sequence_number, message_id: '' });
        return;
      case 'enquire_link':
        this.#writeFrame({ command: 'enquire_link_resp', command_status: status, sequence_number });
        return;
      case 'unbind':
        this.#writeFrame({ command: 'unbind_resp', command_status: status, sequence_number });
        return;
      default:
        this.#writeFrame({ command: 'generic_nack', command_status: CommandStatus.ESME_RINVCMDID, sequence_number });
    }
  }

  #writeFrame(pdu: Pdu): void {
    this.#writer?.write(encodePdu(pdu));
  }

  // ── closing ─────────────────────────────────────────────────────────────────────────────────

  async #unbindAndClose(): Promise<void> {
    if (this.status === 'closed') return;
    if (this.status === 'bound') {
      this.#setState('unbinding');
      try {
        await this.#send({ command: 'unbind' }, false, this.#options.timeouts.unbindTimeoutMs, undefined);
      } catch {
        // No answer: close anyway.
      }
    }
    this.#teardown(
      this.#pendingError ??
        new TidingsError(ErrorCode.ConnectionLost, `${this.#options.label}: session closed`, {
          retry: RetryDecision.retry(),
          details: { reason: 'closed' },
        }),
      this.#pendingError !== undefined,
    );
    const socket = this.#socket;
    if (socket && !socket.destroyed) {
      socket.end();
      const timer = this.#options.clock.setTimeout(() => socket.destroy(), this.#options.timeouts.unbindTimeoutMs);
      await this.#closed;
      timer.cancel();
    }
  }

  #teardownLater(error: TidingsError): void {
    // Give our unbind_resp a moment to leave; the close event finishes the job.
    const socket = this.#socket;
    const timer = this.#options.clock.setTimeout(() => socket?.destroy(), this.#options.timeouts.unbindTimeoutMs);
    void this.#closed.then(() => timer.cancel());
    this.#failPending(error);
    this.#pendingError = error;
  }

  #onSocketClosed(): void {
    this.#teardown(
      this.#pendingError ??
        new TidingsError(ErrorCode.ConnectionLost, `${this.#options.label}: the server closed the connection`, {
          retry: RetryDecision.retry(),
        }),
    );
    this.#resolveClosed();
  }

  #failPending(error: TidingsError): void {
    this.#enquireTimer?.cancel();
    this.#enquireTimer = undefined;
    this.#sweepTimer?.cancel();
    this.#sweepTimer = undefined;
    this.#sweepAt = Number.POSITIVE_INFINITY;
    for (const timer of this.#answerTimers) timer.cancel();
    this.#answerTimers.clear();
    this.#window.close(error);
  }

  /** Ends the session's life: timers off, every request settled, state `closed`. */
  #teardown(error: TidingsError | undefined, reportError = true): void {
    if (this.status === 'closed') return;
    const reason =
      error ??
      new TidingsError(ErrorCode.ConnectionLost, `${this.#options.label}: session closed`, {
        retry: RetryDecision.retry(),
      });
    this.#failPending(reason);
    this.#writer?.close();
    const state: SessionState = {
      status: 'closed',
      mode: this.#options.mode,
      endpoint: this.endpoint,
      ...(reportError && error ? { error } : {}),
    };
    this.#state.next(state);
    this.#state.complete();
    if (this.#socket === undefined || this.#socket.destroyed) this.#resolveClosed();
  }

  #setState(status: Exclude<SessionStatus, 'closed'>): void {
    if (this.status === 'closed') return;
    this.#state.next({ status, mode: this.#options.mode, endpoint: this.endpoint });
  }

  #connectError(message: string, cause: unknown): TidingsError {
    return new TidingsError(
      ErrorCode.ConnectionLost,
      `${this.#options.label}: cannot connect to ${this.endpoint}: ${message}`,
      {
        retry: RetryDecision.retry(),
        details: { phase: 'connect', endpoint: this.endpoint },
        cause,
      },
    );
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
