import { Buffer } from 'node:buffer';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { ErrorCode, type Logger, TidingsError } from '@tidings/core';
import type { Observable } from 'rxjs';
import { decodeText } from '../encoding/text-codec.js';
import { parseUdh } from '../encoding/udh.js';
import { CommandStatus, describeStatus } from '../pdu/command-status.js';
import {
  type BindResp,
  type CommandName,
  commandIdOf,
  EsmClass,
  isResponseId,
  type MessageIdResp,
  type Pdu,
  type QuerySm,
  type Tlv,
} from '../pdu/pdu.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import type { BindMode } from '../session/session-options.js';
import { DeliveryRouter, noReceiverError, type ReceiptJob, type Settle } from './delivery-router.js';
import { FaultController, type FaultSwitch } from './faults.js';
import { messageIdGenerator } from './message-ids.js';
import { MessageLedger, queryStateOf, type ReceiptStat, type StoredMessage } from './message-ledger.js';
import { buildMoParts, type MoMessage } from './mo-builder.js';
import {
  describeFilter,
  type PduFilter,
  type PduOf,
  PduRecorder,
  type PduWaitQuery,
  type ReceivedPdu,
  toTest,
  type WaitOptions,
} from './pdu-recorder.js';
import { RateWindow } from './rate-window.js';
import { type ReceiptOptions, receiptRequested, resolveStat, type SubmitRequest } from './receipt-builder.js';
import {
  type SimulatorEvent,
  SimulatorEventHub,
  type SimulatorEventOf,
  type SimulatorEventType,
} from './simulator-events.js';
import {
  bindModeAllowed,
  type ResolvedSimulatorOptions,
  resolveSimulatorOptions,
  type SmscSimulatorOptions,
} from './simulator-options.js';
import type {
  BindDecision,
  BindRequest,
  ProfileContext,
  QueryDecision,
  SimulatorProfile,
  SubmitDecision,
} from './simulator-profile.js';
import {
  type OutboundRequest,
  type SessionHandler,
  SimulatorSession,
  type SimulatorSessionInfo,
} from './simulator-session.js';
import { type SimulatorStats, StatsCounter } from './simulator-stats.js';

/** A PDU to send; the simulator fills in `sequence_number` (a fresh one) and `command_status` (0) when absent. */
export type OutgoingPdu = Pdu extends infer P
  ? P extends Pdu
    ? Omit<P, 'sequence_number' | 'command_status'> & {
        readonly sequence_number?: number;
        readonly command_status?: number;
      }
    : never
  : never;

/** A receipt written by hand (`sim.sendReceipt`), for ids the simulator did or did not issue. */
export interface ManualReceipt {
  readonly messageId: string;
  /** Default `DELIVRD`. */
  readonly stat?: ReceiptStat;
  /** Default 0. */
  readonly err?: number | string;
  /** Deliver to this session. */
  readonly sessionId?: number;
  /** Deliver to a receiver of this account. Default: the message's account, else any receiver. */
  readonly systemId?: string;
  /** The original sender and recipient. Default: the stored message's, else empty. */
  readonly sourceAddr?: string;
  readonly destinationAddr?: string;
  /** Epoch ms. Default: the stored message's, else now. */
  readonly submittedAt?: number;
  readonly doneAt?: number;
  /** Format options (esm_class, TLVs, text variant, id format…); `early`, `duplicate` and `delayMs` do not apply. */
  readonly options?: ReceiptOptions;
}

/** The MO as delivered: the session, its parts and the client's answers. */
export interface MoDelivery {
  readonly sessionId: number;
  readonly pdus: readonly Pdu[];
  readonly responses: readonly Pdu[];
}

/** A corrupt stream or an undecodable frame from a client. */
export interface ProtocolErrorRecord {
  readonly sessionId: number;
  readonly error: TidingsError;
  readonly at: number;
}

type BindCommand = BindRequest['command'];

const BIND_MODE_OF: Readonly<Record<BindCommand, BindMode>> = {
  bind_transmitter: 'transmitter',
  bind_receiver: 'receiver',
  bind_transceiver: 'transceiver',
};
const BIND_RESP_OF: Readonly<Record<BindCommand, BindResp['command']>> = {
  bind_transmitter: 'bind_transmitter_resp',
  bind_receiver: 'bind_receiver_resp',
  bind_transceiver: 'bind_transceiver_resp',
};
const SMPP_VERSION_34 = 0x34;
const MAX_CLOSED_SESSIONS = 1000;
const MAX_PROTOCOL_ERRORS = 1000;
const UNBIND_TIMEOUT_MS = 2000;

/**
 * An SMSC over real TCP (or TLS) for tests, examples and plugin authors: binds against accounts,
 * answers submits with ids, sends delivery receipts and MO messages, answers query_sm, records
 * everything it receives, and misbehaves on demand (`faults`) or like a given provider (`profile`).
 *
 * ```ts
 * const sim = await SmscSimulator.start();
 * // connect a client to sim.host:sim.port as test/secret…
 * const [submit] = await sim.waitFor({ command: 'submit_sm' });
 * sim.faults.set({ throttle: { submits: 3 } });
 * await sim.stop();
 * ```
 */
export class SmscSimulator {
  /** The behaviour profile in use. */
  readonly profile: SimulatorProfile;
  /** The standard TLVs plus the profile's vendor TLVs. */
  readonly tlvs: TlvRegistry;
  /** Misbehaviours in force; change them at any time. */
  readonly faults: FaultSwitch;
  /**
   * Every event, hot; completes when the simulator stops. `on(type, listener)` is the cheaper way to
   * listen to one type.
   */
  readonly events$: Observable<SimulatorEvent>;

  readonly #options: ResolvedSimulatorOptions;
  readonly #logger: Logger;
  readonly #server: Server;
  readonly #faults: FaultController;
  readonly #recorder: PduRecorder;
  readonly #ledger: MessageLedger;
  readonly #stats = new StatsCounter();
  readonly #events = new SimulatorEventHub();
  readonly #nextMessageId: (sequence: number) => string;
  readonly #commands: ReadonlySet<string> | undefined;
  readonly #open = new Map<number, SimulatorSession>();
  readonly #sockets = new Set<Socket>();
  readonly #router: DeliveryRouter;
  readonly #protocolErrors: ProtocolErrorRecord[] = [];
  /** `maxPerSecond` windows by system_id. */
  readonly #rates = new Map<string, RateWindow>();
  #history: SimulatorSession[] = [];
  #nextSessionId = 1;
  #accepted = 0;
  #moReference = 0;
  #host = '';
  #port = 0;
  #stopping: Promise<void> | undefined;
  /** While stopping: resolves stop() once the server and every session are closed. */
  #onDrained: (() => void) | undefined;

  private constructor(options: ResolvedSimulatorOptions) {
    this.#options = options;
    this.#logger = options.logger;
    this.profile = options.profile;
    this.tlvs =
      options.profile.tlvs === undefined ? TlvRegistry.standard : TlvRegistry.standard.withVendor(options.profile.tlvs);
    this.#commands = options.profile.commands === undefined ? undefined : new Set(options.profile.commands);
    this.#nextMessageId = messageIdGenerator(options.messageIds);
    this.#recorder = new PduRecorder(options.maxRecordedPdus);
    this.#ledger = new MessageLedger(options.maxStoredMessages);
    this.#router = new DeliveryRouter(this.tlvs, this.#logger, (session, pdu, job) => {
      this.#stats.receiptsSent++;
      if (this.#events.wants('receipt'))
        this.#events.emit({ type: 'receipt', session, pdu, messageId: job.subject.message.messageId });
    });
    this.#faults = new FaultController(
      {
        unbindAll: () => void this.sendUnbind(),
        enquireLinkAll: () => void this.sendEnquireLink(),
        writeToAll: (bytes) => this.sendRaw(bytes),
        setReading: (reading) => {
          for (const session of this.#open.values()) session.setReading(reading);
        },
      },
      options.faults,
    );
    this.faults = this.#faults;
    this.events$ = this.#events.events$;

    const tls = options.tls;
    try {
      this.#server =
        tls === undefined
          ? createNetServer(this.#onConnection)
          : createTlsServer({ key: pem(tls.key), cert: pem(tls.cert) }, this.#onConnection);
    } catch (cause) {
      this.#faults.dispose();
      // OpenSSL's reason names the problem, never the key's bytes.
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `Invalid SMSC simulator options: tls key or cert cannot be loaded (${cause instanceof Error ? cause.message : String(cause)}); give PEM text.`,
        { details: { problems: ['tls key or cert cannot be loaded'] }, cause },
      );
    }
    // Every raw socket, TLS handshakes included, so stop() can destroy them.
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('tlsClientError', (error: Error) =>
      this.#logger.debug('smsc simulator: TLS handshake failed', { error: error.message }),
    );
    this.#server.on('error', (error: Error) =>
      this.#logger.error('smsc simulator: server error', { error: error.message }),
    );
  }

  /** Starts a simulator listening on `host:port` (127.0.0.1 and a free port by default). */
  static async start(options: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
    const simulator = new SmscSimulator(resolveSimulatorOptions(options));
    await simulator.#listen();
    return simulator;
  }

  get host(): string {
    return this.#host;
  }

  get port(): number {
    return this.#port;
  }

  /** `host:port`. */
  get address(): string {
    return `${this.#host}:${this.#port}`;
  }

  /** Whether clients must speak TLS. */
  get tls(): boolean {
    return this.#options.tls !== undefined;
  }

  /** Every session, open ones and the most recent closed ones, in connection order. */
  get sessions(): readonly SimulatorSessionInfo[] {
    return this.#history.slice();
  }

  /** Every PDU received (the most recent `maxRecordedPdus`), in order. */
  get received(): readonly ReceivedPdu[] {
    return this.#recorder.all();
  }

  /** Corrupt streams and undecodable frames clients sent (the most recent 1000). */
  get protocolErrors(): readonly ProtocolErrorRecord[] {
    return this.#protocolErrors.slice();
  }

  get stats(): SimulatorStats {
    return this.#stats.snapshot();
  }

  /** The received PDUs that match, e.g. `sim.pdus({ command: 'submit_sm' })` (typed as SubmitSm[]). */
  pdus<C extends CommandName = CommandName>(filter: PduFilter<C> = {}): PduOf<C>[] {
    return this.#recorder.list(filter).map((record) => record.pdu);
  }

  /** Forgets the received PDUs (not the stats, nor the stored messages). */
  clearReceived(): void {
    this.#recorder.clear();
  }

  /**
   * Resolves with the first `count` (default 1) received PDUs that match, counting those already
   * received; rejects with TIDINGS_TIMEOUT after `timeoutMs` (default 10 s).
   */
  waitFor<C extends CommandName = CommandName>(query: PduWaitQuery<C>, options?: WaitOptions): Promise<PduOf<C>[]>;
  waitFor(predicate: (record: ReceivedPdu) => boolean, options?: WaitOptions): Promise<ReceivedPdu[]>;
  async waitFor<C extends CommandName>(
    match: PduWaitQuery<C> | ((record: ReceivedPdu) => boolean),
    options: WaitOptions = {},
  ): Promise<PduOf<C>[] | ReceivedPdu[]> {
    if (typeof match === 'function') {
      return this.#recorder.waitFor(match, options.count ?? 1, options.timeoutMs, () => 'the predicate');
    }
    const records = await this.#recorder.waitFor(
      toTest(match),
      match.count ?? options.count ?? 1,
      options.timeoutMs,
      () => describeFilter(match),
    );
    return records.map((record) => record.pdu as PduOf<C>);
  }

  /** What the simulator stored of an accepted message. */
  message(messageId: string): StoredMessage | undefined {
    return this.#ledger.get(messageId);
  }

  /** Listens to one event type; returns the function that stops listening. */
  on<T extends SimulatorEventType>(type: T, listener: (event: SimulatorEventOf<T>) => void): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * Delivers a mobile-originated message: encoded, split and sent as deliver_sm to a bound receiver
   * or transceiver. Resolves when the client answered every part; rejects with TIDINGS_REJECTED
   * when it answered one with a non-zero status, TIDINGS_CONNECTION_LOST when no session can take it.
   */
  async sendMo(mo: MoMessage): Promise<MoDelivery> {
    const session =
      mo.sessionId === undefined ? this.#router.receiverFor(mo.systemId) : this.#openSession(mo.sessionId);
    if (session === undefined || !session.canReceive) throw noReceiverError(mo.sessionId ?? mo.systemId);
    this.#moReference = (this.#moReference + 1) & 0xffff;
    const pdus = buildMoParts(mo, this.#moReference, this.tlvs, () => session.nextSequence());
    const responses = await Promise.all(pdus.map((pdu) => this.#request(session, pdu, 'mo')));
    const refused = responses.findIndex((response) => response.command_status !== 0);
    if (refused >= 0) {
      const status = (responses[refused] as Pdu).command_status;
      throw new TidingsError(
        ErrorCode.Rejected,
        `The client answered part ${refused + 1} of ${pdus.length} of the MO with ${describeStatus(status)}.`,
        { providerStatus: status, details: { sessionId: session.id, part: refused + 1, parts: pdus.length } },
      );
    }
    this.#stats.moSent++;
    if (this.#events.wants('mo')) this.#events.emit({ type: 'mo', session, pdus: pdus });
    return { sessionId: session.id, pdus, responses };
  }

  /** Sends a hand-made receipt; resolves with the client's answer (deliver_sm_resp or generic_nack). */
  sendReceipt(receipt: ManualReceipt): Promise<Pdu> {
    const stored = this.#ledger.get(receipt.messageId);
    const systemId = receipt.systemId ?? stored?.systemId;
    const session =
      receipt.sessionId === undefined ? this.#router.receiverFor(systemId) : this.#openSession(receipt.sessionId);
    if (session === undefined || !session.canReceive) {
      return Promise.reject(noReceiverError(receipt.sessionId ?? systemId));
    }
    const now = Date.now();
    const message: StoredMessage = {
      messageId: receipt.messageId,
      systemId: session.systemId ?? '',
      sourceAddr: receipt.sourceAddr ?? stored?.sourceAddr ?? '',
      destinationAddr: receipt.destinationAddr ?? stored?.destinationAddr ?? '',
      submittedAt: receipt.submittedAt ?? stored?.submittedAt ?? now,
      doneAt: receipt.doneAt ?? now,
      stat: receipt.stat ?? 'DELIVRD',
      err: receipt.err ?? 0,
    };
    return new Promise<Pdu>((resolve, reject) => {
      const job: ReceiptJob = {
        subject: { message, sourceAddrTon: 1, sourceAddrNpi: 1, destAddrTon: 1, destAddrNpi: 1, text: '' },
        options: { ...mergeReceiptOptions(this.#options.receipts, receipt.options), duplicate: false },
        systemId: message.systemId,
        origin: session,
        settle: { resolve, reject },
        timer: undefined,
      };
      this.#router.deliver(job);
    });
  }

  /**
   * Sends any PDU to a session (by id) or to a bound session of an account (by system_id). A request
   * resolves with the client's answer; a response resolves with undefined once queued.
   */
  sendPdu(target: number | string, pdu: OutgoingPdu): Promise<Pdu | undefined> {
    const session = this.#targetSession(target);
    if (session === undefined) return Promise.reject(noSession(target));
    const whole = {
      ...pdu,
      command_status: pdu.command_status ?? 0,
      sequence_number: pdu.sequence_number ?? session.nextSequence(),
    } as Pdu;
    if (isResponseId(commandIdOf(whole))) {
      session.send(whole);
      return Promise.resolve(undefined);
    }
    return this.#request(session, whole, 'custom');
  }

  /** Writes bytes as they are to one session (id or system_id), or to every open session. */
  sendRaw(bytes: Uint8Array, target?: number | string): void {
    if (target === undefined) {
      for (const session of this.#open.values()) session.writeRaw(bytes);
      return;
    }
    const session = this.#targetSession(target);
    if (session === undefined) throw noSession(target);
    session.writeRaw(bytes);
  }

  /**
   * Sends enquire_link to one session (id or system_id) or every bound one; resolves per session with
   * whether it answered within `timeoutMs` (default 1000).
   */
  async sendEnquireLink(
    target?: number | string,
    timeoutMs = 1000,
  ): Promise<{ readonly sessionId: number; readonly answered: boolean }[]> {
    const sessions = this.#targets(target);
    return Promise.all(
      sessions.map(async (session) => {
        session.enquireLinksSent++;
        const answer = this.#request(session, enquireLink(session.nextSequence()), 'enquire_link');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), timeoutMs);
          timer.unref();
        });
        try {
          const response = await Promise.race([answer.catch(() => undefined), timeout]);
          return { sessionId: session.id, answered: response !== undefined };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  /**
   * Sends unbind to one session (id or system_id) or every bound one; each closes on its
   * unbind_resp, or after 2 s without one. Resolves once sent.
   */
  async sendUnbind(target?: number | string): Promise<void> {
    for (const session of this.#targets(target)) {
      session.request(unbind(session.nextSequence()), 'unbind', undefined);
      setTimeout(() => session.close(), UNBIND_TIMEOUT_MS).unref();
    }
  }

  /** Closes a session: `close` sends a FIN after what is queued, `reset` an RST. */
  closeSession(sessionId: number, mode: 'close' | 'reset' = 'close'): void {
    this.#open.get(sessionId)?.close(mode);
  }

  /**
   * Closes every session and the server; resolves when the server is closed. Sessions still open
   * after `closeGraceMs` are destroyed. Calling it again returns the same promise.
   */
  stop(): Promise<void> {
    this.#stopping ??= new Promise<void>((resolve) => {
      this.#faults.dispose();
      this.#router.stop();
      this.#recorder.close(
        new TidingsError(ErrorCode.Shutdown, 'The simulator stopped before the awaited PDUs arrived.'),
      );
      // The server reports closed once its sockets are destroyed, possibly before their 'close'
      // events: wait for both, so every session reads closed when stop() resolves.
      let serverClosed = false;
      this.#onDrained = () => {
        if (!serverClosed || this.#open.size > 0) return;
        this.#onDrained = undefined;
        this.#events.complete();
        this.#logger.info('smsc simulator: stopped', { address: this.address });
        resolve();
      };
      this.#server.close(() => {
        serverClosed = true;
        this.#onDrained?.();
      });
      for (const session of this.#open.values()) session.close();
      setTimeout(() => {
        for (const socket of this.#sockets) socket.destroy();
      }, this.#options.closeGraceMs).unref();
    });
    return this.#stopping;
  }

  // ----------------------------------------------------------------------------------------------
  // Connections
  // ----------------------------------------------------------------------------------------------

  #listen(): Promise<void> {
    const { host, port } = this.#options;
    return new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(
          new TidingsError(
            ErrorCode.StartFailed,
            `The SMSC simulator could not listen on ${host}:${port}: ${error.message}. Use port 0 for a free port.`,
            { cause: error },
          ),
        );
      };
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        const address = this.#server.address();
        if (address !== null && typeof address === 'object') {
          this.#host = address.address;
          this.#port = address.port;
        }
        this.#logger.info('smsc simulator: listening', {
          address: this.address,
          tls: this.tls,
          profile: this.profile.name,
        });
        resolve();
      });
    });
  }

  readonly #onConnection = (socket: Socket): void => {
    if (this.#stopping !== undefined) {
      socket.destroy();
      return;
    }
    const profile = this.profile;
    const session = new SimulatorSession(socket, this.#handler, {
      id: this.#nextSessionId++,
      tls: this.tls,
      window: this.#options.window,
      maxFrameBytes: this.#options.maxFrameBytes,
      reading: this.#faults.reading,
      bindTimeoutMs: profile.bindTimeoutMs,
      responseTimeoutMs: profile.responseTimeoutMs,
      idleTimeoutMs: profile.idleTimeoutMs,
      closeGraceMs: this.#options.closeGraceMs,
    });
    this.#open.set(session.id, session);
    this.#history.push(session);
    if (this.#history.length > MAX_CLOSED_SESSIONS * 2) this.#trimHistory();
    this.#stats.connections++;
    this.#logger.debug('smsc simulator: connection', { sessionId: session.id, remotePort: session.remotePort });
    if (this.#events.wants('connect')) this.#events.emit({ type: 'connect', session });
  };

  readonly #handler: SessionHandler = {
    onPdu: (session, pdu) => {
      try {
        this.#onPdu(session, pdu);
      } catch (error) {
        this.#logger.error('smsc simulator: failed to handle a PDU', {
          sessionId: session.id,
          command: pdu.command,
          error: error instanceof Error ? error.message : String(error),
        });
        if (!isResponseId(commandIdOf(pdu))) session.send(genericNack(pdu.sequence_number, CommandStatus.ESME_RSYSERR));
      }
    },
    onUndecodable: (session, frame, error) => {
      this.#protocolError(session, error);
      // The header is intact (the reader checked command_length): answer the sequence it names.
      const sequence = frame.length >= 16 ? frame.readUInt32BE(12) : 0;
      session.send(genericNack(sequence, CommandStatus.ESME_RINVCMDLEN));
    },
    onProtocolError: (session, error) => this.#protocolError(session, error),
    onResponseTimeout: (session, request) => {
      this.#logger.info('smsc simulator: client left a request unanswered; closing without unbind', {
        sessionId: session.id,
        command: request.command,
        sequence: request.sequence,
      });
      session.close();
    },
    onRequestLost: (_session, request, error) => this.#onRequestLost(request, error),
    onClose: (session) => {
      this.#open.delete(session.id);
      if (session.systemId !== undefined) this.#router.removeReceiver(session, session.systemId);
      this.#logger.debug('smsc simulator: session closed', { sessionId: session.id, systemId: session.systemId });
      if (this.#events.wants('close')) this.#events.emit({ type: 'close', session });
      this.#onDrained?.();
    },
  };

  #trimHistory(): void {
    let closedToDrop = this.#history.filter((session) => session.state === 'closed').length - MAX_CLOSED_SESSIONS;
    this.#history = this.#history.filter((session) => !(session.state === 'closed' && closedToDrop-- > 0));
  }

  #protocolError(session: SimulatorSession, error: TidingsError): void {
    this.#stats.protocolErrors++;
    this.#protocolErrors.push({ sessionId: session.id, error, at: Date.now() });
    if (this.#protocolErrors.length > MAX_PROTOCOL_ERRORS) this.#protocolErrors.shift();
    this.#logger.warn('smsc simulator: protocol error from a client', { sessionId: session.id, error: error.message });
    if (this.#events.wants('protocolError')) this.#events.emit({ type: 'protocolError', session, error });
  }

  // ----------------------------------------------------------------------------------------------
  // Requests from clients
  // ----------------------------------------------------------------------------------------------

  #onPdu(session: SimulatorSession, pdu: Pdu): void {
    const systemId = session.systemId ?? (isBind(pdu) ? pdu.system_id : undefined);
    this.#recorder.record(pdu, session.id, systemId);
    if (this.#events.wants('pdu'))
      this.#events.emit({ type: 'pdu', record: { pdu, sessionId: session.id, systemId, at: Date.now() } });
    if (this.#faults.blackHole) return;

    // `commands` limits the requests answered; responses to our own requests always count.
    if (this.#commands !== undefined && !this.#commands.has(pdu.command) && !isResponseId(commandIdOf(pdu))) {
      session.send(genericNack(pdu.sequence_number, CommandStatus.ESME_RINVCMDID));
      return;
    }
    switch (pdu.command) {
      case 'bind_transmitter':
      case 'bind_receiver':
      case 'bind_transceiver':
        this.#onBind(session, pdu);
        return;
      case 'submit_sm':
      case 'data_sm':
        this.#onSubmit(session, pdu);
        return;
      case 'query_sm':
        this.#onQuery(session, pdu);
        return;
      case 'enquire_link':
        this.#stats.enquireLinks++;
        if (!this.#faults.ignoreEnquireLink) {
          session.send({ command: 'enquire_link_resp', command_status: 0, sequence_number: pdu.sequence_number });
        }
        return;
      case 'unbind':
        if (this.#faults.ignoreUnbind) return;
        session.send({ command: 'unbind_resp', command_status: 0, sequence_number: pdu.sequence_number });
        session.close();
        return;
      case 'deliver_sm_resp':
      case 'data_sm_resp':
      case 'enquire_link_resp':
      case 'unbind_resp':
      case 'generic_nack':
        this.#onResponse(session, pdu);
        return;
      default:
        // Unknown commands and those an SMSC does not take from a client (outbind, cancel_sm…).
        if (!isResponseId(commandIdOf(pdu)))
          session.send(genericNack(pdu.sequence_number, CommandStatus.ESME_RINVCMDID));
    }
  }

  #onBind(session: SimulatorSession, bind: BindRequest): void {
    const mode = BIND_MODE_OF[bind.command];
    if (session.state !== 'open') {
      this.#refuseBind(session, bind, CommandStatus.ESME_RALYBND);
      return;
    }
    const bindFailure = this.#faults.bindFailure;
    if (bindFailure !== undefined) {
      this.#refuseBind(session, bind, bindFailure);
      return;
    }
    const account = this.#options.accounts.get(bind.system_id);
    if (account === undefined || account.password !== bind.password) {
      if (this.#faults.silentCloseOnBadCredentials || this.profile.silentCloseOnBadCredentials === true) {
        this.#refuseBind(session, bind, 'closed');
        return;
      }
      this.#refuseBind(
        session,
        bind,
        account === undefined ? CommandStatus.ESME_RINVSYSID : CommandStatus.ESME_RINVPASWD,
      );
      return;
    }
    if (!bindModeAllowed(account, this.profile, mode)) {
      this.#refuseBind(session, bind, CommandStatus.ESME_RBINDFAIL);
      return;
    }
    if (account.maxBinds !== undefined && this.#boundCount(account.systemId) >= account.maxBinds) {
      this.#refuseBind(session, bind, CommandStatus.ESME_RBINDFAIL);
      return;
    }
    const hook = this.profile.onBind;
    if (hook === undefined) {
      this.#acceptBind(session, bind, mode);
      return;
    }
    this.#runHook(
      () => hook.call(this.profile, bind, this.#context(session)),
      (decision: BindDecision) => {
        if (decision === 'close') this.#refuseBind(session, bind, 'closed');
        else if (decision !== undefined && (decision.status ?? 0) !== 0)
          this.#refuseBind(session, bind, decision.status ?? 0);
        else this.#acceptBind(session, bind, mode, decision?.systemId);
      },
      () => this.#refuseBind(session, bind, CommandStatus.ESME_RSYSERR),
    );
  }

  #acceptBind(session: SimulatorSession, bind: BindRequest, mode: BindMode, systemId?: string): void {
    if (!session.isOpen) return;
    if (this.#faults.deliverBeforeBind) {
      // Out of order on purpose: the client must refuse it (ESME_RINVBNDSTS) rather than take it.
      const mo = { from: '15550000000', to: 'Tidings', text: 'deliver_sm before bind_resp' };
      for (const part of buildMoParts(mo, 0, this.tlvs, () => session.nextSequence())) {
        session.request(part, 'custom', undefined);
      }
    }
    session.markBound(mode, bind.system_id, bind.system_type);
    const tlvs: Tlv[] =
      bind.interface_version >= SMPP_VERSION_34 ? [this.tlvs.encode('sc_interface_version', SMPP_VERSION_34)] : [];
    session.send({
      command: BIND_RESP_OF[bind.command],
      command_status: 0,
      sequence_number: bind.sequence_number,
      system_id: systemId ?? this.#options.systemId,
      tlvs,
    });
    this.#stats.binds++;
    this.#logger.info('smsc simulator: bound', { sessionId: session.id, systemId: bind.system_id, mode });
    if (this.#events.wants('bind')) this.#events.emit({ type: 'bind', session, systemId: bind.system_id, mode });
    if (session.canReceive) this.#router.addReceiver(session, bind.system_id);
  }

  #refuseBind(session: SimulatorSession, bind: BindRequest, status: number | 'closed'): void {
    this.#stats.bindsRefused++;
    this.#logger.info('smsc simulator: bind refused', {
      sessionId: session.id,
      systemId: bind.system_id,
      status: status === 'closed' ? 'connection closed' : describeStatus(status),
    });
    if (status === 'closed') session.close();
    else {
      session.send({
        command: BIND_RESP_OF[bind.command],
        command_status: status,
        sequence_number: bind.sequence_number,
        system_id: '',
      });
    }
    if (this.#events.wants('bindRefused'))
      this.#events.emit({ type: 'bindRefused', session, systemId: bind.system_id, status });
  }

  #boundCount(systemId: string): number {
    let count = 0;
    for (const session of this.#open.values()) {
      if (session.state === 'bound' && session.systemId === systemId) count++;
    }
    return count;
  }

  #onSubmit(session: SimulatorSession, submit: SubmitRequest): void {
    if (!session.canSubmit) {
      session.send(messageIdResp(submit, CommandStatus.ESME_RINVBNDSTS, '', undefined));
      return;
    }
    session.submits++;
    this.#stats.submits++;
    const fault = this.#faults.onSubmit(session);
    if (fault !== undefined) {
      if (typeof fault === 'number') {
        session.unansweredSubmits++;
        this.#answerSubmit(session, submit, fault, '', undefined);
        return;
      }
      if (fault === 'nack') {
        const { status, sequence } = this.#faults.genericNack;
        session.send(genericNack(sequence === 'zero' ? 0 : submit.sequence_number, status));
      } else if (fault !== 'swallow') session.close(fault);
      if (this.#events.wants('submit'))
        this.#events.emit({ type: 'submit', session, pdu: submit, status: undefined, messageId: '' });
      return;
    }
    const maxWindow = this.profile.maxWindow;
    session.unansweredSubmits++;
    if (maxWindow !== undefined && session.unansweredSubmits > maxWindow) {
      this.#answerSubmit(
        session,
        submit,
        this.profile.overWindowStatus ?? CommandStatus.ESME_RTHROTTLED,
        '',
        undefined,
      );
      return;
    }
    if (!this.#withinRate(session)) {
      this.#answerSubmit(session, submit, this.profile.overRateStatus ?? CommandStatus.ESME_RTHROTTLED, '', undefined);
      return;
    }
    const hook = this.profile.onSubmit;
    if (hook === undefined) {
      this.#acceptSubmit(session, submit, undefined);
      return;
    }
    this.#runHook(
      () => hook.call(this.profile, submit, this.#context(session)),
      (decision: SubmitDecision) => this.#decideSubmit(session, submit, decision),
      () => this.#answerSubmit(session, submit, CommandStatus.ESME_RSYSERR, '', undefined),
    );
  }

  /** `maxPerSecond`: one sliding window per account, made on its first submit. */
  #withinRate(session: SimulatorSession): boolean {
    const max = this.profile.maxPerSecond;
    if (max === undefined || max === Number.POSITIVE_INFINITY) return true;
    const systemId = session.systemId ?? '';
    let window = this.#rates.get(systemId);
    if (window === undefined) {
      window = new RateWindow(max, this.profile.now?.bind(this.profile) ?? Date.now);
      this.#rates.set(systemId, window);
    }
    return window.admit();
  }

  #decideSubmit(session: SimulatorSession, submit: SubmitRequest, decision: SubmitDecision): void {
    if (decision === 'no-response') {
      session.unansweredSubmits--;
      if (this.#events.wants('submit'))
        this.#events.emit({ type: 'submit', session, pdu: submit, status: undefined, messageId: '' });
      return;
    }
    const status = decision?.status ?? 0;
    if (status !== 0) this.#answerSubmit(session, submit, status, '', decision?.responseTlvs);
    else this.#acceptSubmit(session, submit, decision);
  }

  #acceptSubmit(
    session: SimulatorSession,
    submit: SubmitRequest,
    decision: Exclude<SubmitDecision, 'no-response'>,
  ): void {
    const messageId = decision?.messageId ?? this.#nextMessageId(++this.#accepted);
    const override = decision?.receipt;
    const options =
      override === undefined || override === false
        ? this.#options.receipts
        : mergeReceiptOptions(this.#options.receipts, override);
    const stat = resolveStat(options, submit);
    const now = Date.now();
    const delayMs = options.delayMs ?? 0;
    const message: StoredMessage = {
      messageId,
      systemId: session.systemId ?? '',
      sourceAddr: submit.source_addr,
      destinationAddr: submit.destination_addr,
      submittedAt: now,
      doneAt: now + delayMs,
      stat,
      err: options.err ?? 0,
    };
    this.#ledger.add(message);
    const job =
      override !== false && receiptRequested(submit.registered_delivery, stat)
        ? this.#receiptJob(session, submit, message, options)
        : undefined;
    const early = options.early === true;
    if (job !== undefined && early) this.#router.deliver(job);
    // A normal receipt follows its response, also when the response is delayed.
    this.#answerSubmit(session, submit, 0, messageId, decision?.responseTlvs, () => {
      if (job !== undefined && !early) this.#router.schedule(job, delayMs);
    });
  }

  #answerSubmit(
    session: SimulatorSession,
    submit: SubmitRequest,
    status: number,
    messageId: string,
    tlvs: readonly Tlv[] | undefined,
    afterResponse?: () => void,
  ): void {
    const response = messageIdResp(submit, status, messageId, tlvs);
    const delayMs = this.#faults.responseDelayMs;
    if (delayMs > 0) {
      setTimeout(() => {
        this.#sendSubmitResponse(session, response);
        afterResponse?.();
      }, delayMs).unref();
    } else {
      this.#sendSubmitResponse(session, response);
      afterResponse?.();
    }
    if (this.#events.wants('submit')) this.#events.emit({ type: 'submit', session, pdu: submit, status, messageId });
    const garbage = this.#faults.garbageAfterSubmit();
    if (garbage !== undefined) session.writeRaw(garbage);
  }

  readonly #sendSubmitResponse = (session: SimulatorSession, response: MessageIdResp): void => {
    session.unansweredSubmits--;
    this.#stats.countSubmitResponse(response.command_status);
    session.send(response);
  };

  #onQuery(session: SimulatorSession, query: QuerySm): void {
    this.#stats.queries++;
    if (!session.canSubmit) {
      session.send(queryResp(query, CommandStatus.ESME_RINVBNDSTS, '', 0, 0));
      return;
    }
    const stored = this.#ledger.get(query.message_id);
    // Another account's message is as unknown as a message never sent.
    const message = stored !== undefined && stored.systemId === session.systemId ? stored : undefined;
    const answer = (decision: QueryDecision): void => {
      const status = decision?.status ?? (message === undefined ? CommandStatus.ESME_RQUERYFAIL : 0);
      if (status !== 0) {
        session.send(queryResp(query, status, '', 0, 0));
        return;
      }
      const state = message === undefined ? undefined : queryStateOf(message, Date.now());
      session.send(
        queryResp(
          query,
          0,
          decision?.finalDate ?? state?.finalDate ?? '',
          decision?.messageState ?? state?.messageState ?? 0,
          decision?.errorCode ?? state?.errorCode ?? 0,
        ),
      );
    };
    const hook = this.profile.onQuery;
    if (hook === undefined) {
      answer(undefined);
      return;
    }
    this.#runHook(
      () => hook.call(this.profile, query, message, this.#context(session)),
      answer,
      () => session.send(queryResp(query, CommandStatus.ESME_RSYSERR, '', 0, 0)),
    );
  }

  #onResponse(session: SimulatorSession, response: Pdu): void {
    const request = session.complete(response);
    if (request === undefined) return;
    switch (request.purpose) {
      case 'receipt': {
        const job = request.tag as ReceiptJob;
        if (job.settle !== undefined) job.settle.resolve(response);
        // "Try later" (or any refusal): an SMSC delivers the receipt again after a while.
        else if (response.command_status !== 0) this.#router.retry(job);
        return;
      }
      case 'enquire_link':
        session.enquireLinksAnswered++;
        (request.tag as Settle | undefined)?.resolve(response);
        return;
      case 'unbind':
        session.close();
        return;
      default:
        (request.tag as Settle | undefined)?.resolve(response);
    }
  }

  #onRequestLost(request: OutboundRequest, error: TidingsError): void {
    if (request.purpose === 'receipt') this.#router.lost(request.tag as ReceiptJob, error);
    else (request.tag as Settle | undefined)?.reject(error);
  }

  // ----------------------------------------------------------------------------------------------
  // Receipts
  // ----------------------------------------------------------------------------------------------

  #receiptJob(
    session: SimulatorSession,
    submit: SubmitRequest,
    message: StoredMessage,
    options: ReceiptOptions,
  ): ReceiptJob {
    return {
      subject: {
        message,
        sourceAddrTon: submit.source_addr_ton,
        sourceAddrNpi: submit.source_addr_npi,
        destAddrTon: submit.dest_addr_ton,
        destAddrNpi: submit.dest_addr_npi,
        text: options.text === undefined ? this.#textOf(submit) : '',
      },
      options,
      systemId: message.systemId,
      origin: session,
      settle: undefined,
      timer: undefined,
    };
  }

  /** The message text (UDH skipped), for the receipt's `text:` field. */
  #textOf(submit: SubmitRequest): string {
    let bytes: Uint8Array | undefined;
    if (submit.command === 'submit_sm' && submit.short_message.length > 0) {
      bytes = submit.short_message;
      if ((submit.esm_class & EsmClass.udhi) !== 0) bytes = parseUdh(bytes)?.payload ?? bytes;
    } else {
      const payload = this.tlvs.read(submit.tlvs, 'message_payload');
      if (payload instanceof Uint8Array) bytes = payload;
    }
    return bytes === undefined ? '' : decodeText(bytes, submit.data_coding);
  }

  // ----------------------------------------------------------------------------------------------
  // Helpers
  // ----------------------------------------------------------------------------------------------

  #openSession(sessionId: number): SimulatorSession | undefined {
    return this.#open.get(sessionId);
  }

  #targetSession(target: number | string): SimulatorSession | undefined {
    if (typeof target === 'number') return this.#open.get(target);
    for (const session of this.#open.values()) {
      if (session.systemId === target && session.state === 'bound') return session;
    }
    return undefined;
  }

  /** The bound sessions a target names: one by id, those of an account, or all. */
  #targets(target: number | string | undefined): SimulatorSession[] {
    if (typeof target === 'number') {
      const session = this.#open.get(target);
      return session?.isOpen === true ? [session] : [];
    }
    return [...this.#open.values()].filter(
      (session) => session.state === 'bound' && (target === undefined || session.systemId === target),
    );
  }

  #request(session: SimulatorSession, pdu: Pdu, purpose: 'mo' | 'custom' | 'enquire_link'): Promise<Pdu> {
    return new Promise<Pdu>((resolve, reject) => {
      session.request<Settle>(pdu, purpose, { resolve, reject });
    });
  }

  #context(session: SimulatorSession): ProfileContext {
    return { session, tlvs: this.tlvs, simulator: this };
  }

  /** Runs a profile hook that may answer now or later; a hook that throws or rejects is logged and answered with `onFailure`. */
  #runHook<T>(call: () => T | Promise<T>, then: (value: T) => void, onFailure: () => void): void {
    const fail = (error: unknown): void => {
      this.#logger.error(`smsc simulator: profile '${this.profile.name}' hook failed`, {
        error: error instanceof Error ? error.message : String(error),
      });
      onFailure();
    };
    let result: T | Promise<T>;
    try {
      result = call();
    } catch (error) {
      fail(error);
      return;
    }
    if (result instanceof Promise) {
      // A decision that cannot be carried out fails like a throwing hook, never as an unhandled rejection.
      result.then((value) => {
        try {
          then(value);
        } catch (error) {
          fail(error);
        }
      }, fail);
    } else then(result);
  }
}

function isBind(pdu: Pdu): pdu is BindRequest {
  return pdu.command === 'bind_transmitter' || pdu.command === 'bind_receiver' || pdu.command === 'bind_transceiver';
}

function messageIdResp(
  request: SubmitRequest,
  status: number,
  messageId: string,
  tlvs: readonly Tlv[] | undefined,
): MessageIdResp {
  const command = request.command === 'submit_sm' ? 'submit_sm_resp' : 'data_sm_resp';
  const sequence_number = request.sequence_number;
  return tlvs === undefined
    ? { command, command_status: status, sequence_number, message_id: messageId }
    : { command, command_status: status, sequence_number, message_id: messageId, tlvs };
}

function queryResp(query: QuerySm, status: number, finalDate: string, messageState: number, errorCode: number): Pdu {
  return {
    command: 'query_sm_resp',
    command_status: status,
    sequence_number: query.sequence_number,
    message_id: query.message_id,
    final_date: finalDate,
    message_state: messageState,
    error_code: errorCode,
  };
}

function genericNack(sequence: number, status: number): Pdu {
  return { command: 'generic_nack', command_status: status, sequence_number: sequence };
}

function enquireLink(sequence: number): Pdu {
  return { command: 'enquire_link', command_status: 0, sequence_number: sequence };
}

function unbind(sequence: number): Pdu {
  return { command: 'unbind', command_status: 0, sequence_number: sequence };
}

function pem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value);
}

function noSession(target: number | string): TidingsError {
  const which = typeof target === 'number' ? `session #${target}` : `a bound session of '${target}'`;
  return new TidingsError(ErrorCode.ConnectionLost, `The simulator has no open ${which}; check sim.sessions.`, {
    details: { target },
  });
}

/** A profile's per-message receipt options over the simulator's; `fields` are merged field by field. */
function mergeReceiptOptions(base: ReceiptOptions | undefined, override: ReceiptOptions | undefined): ReceiptOptions {
  const merged = { ...base, ...override };
  return base?.fields && override?.fields ? { ...merged, fields: { ...base.fields, ...override.fields } } : merged;
}
