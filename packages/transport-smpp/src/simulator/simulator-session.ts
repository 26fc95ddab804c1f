import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { ErrorCode, RetryDecision, TidingsError } from '@tidings/core';
import { decodePdu, encodePdu } from '../pdu/codec.js';
import { FrameReader } from '../pdu/frame-reader.js';
import type { Pdu } from '../pdu/pdu.js';
import { FrameWriter } from '../session/frame-writer.js';
import type { BindMode } from '../session/session-options.js';

export type SimulatorSessionState = 'open' | 'bound' | 'closed';

/** One client connection as tests see it. */
export interface SimulatorSessionInfo {
  /** 1, 2, 3… in connection order. */
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly tls: boolean;
  /** Epoch milliseconds. */
  readonly connectedAt: number;
  readonly state: SimulatorSessionState;
  readonly bindMode: BindMode | undefined;
  readonly systemId: string | undefined;
  readonly systemType: string | undefined;
  /** submit_sm and data_sm received once bound. */
  readonly submits: number;
  /** enquire_link the simulator sent, and how many the client answered. */
  readonly enquireLinksSent: number;
  readonly enquireLinksAnswered: number;
  readonly closedAt: number | undefined;
}

/** Why the simulator sent a request: decides what happens on its response or loss. */
export type RequestPurpose = 'receipt' | 'mo' | 'enquire_link' | 'unbind' | 'custom';

/** A request the simulator sent to the client (deliver_sm, enquire_link, unbind…). */
export interface OutboundRequest<Tag = unknown> {
  readonly sequence: number;
  readonly command: string;
  readonly purpose: RequestPurpose;
  /** deliver_sm and data_sm count against the server-side window. */
  readonly windowed: boolean;
  /** Whatever the simulator needs back when the request is answered or lost. */
  readonly tag: Tag;
  readonly frame: Buffer;
  deadline: number;
}

/** What a session reports to the simulator. Called synchronously, from socket events. */
export interface SessionHandler {
  onPdu(session: SimulatorSession, pdu: Pdu): void;
  /** A whole frame whose body does not decode; the session stays open. */
  onUndecodable(session: SimulatorSession, frame: Buffer, error: TidingsError): void;
  /** The byte stream is corrupt; the session closes right after. */
  onProtocolError(session: SimulatorSession, error: TidingsError): void;
  /** The client left a request unanswered past the profile's response timeout; the session closes. */
  onResponseTimeout(session: SimulatorSession, request: OutboundRequest): void;
  /** A request that will never be answered: the session closed first. */
  onRequestLost(session: SimulatorSession, request: OutboundRequest, error: TidingsError): void;
  onClose(session: SimulatorSession): void;
}

export interface SimulatorSessionOptions {
  readonly id: number;
  readonly tls: boolean;
  /** Max unanswered deliver_sm / data_sm. */
  readonly window: number;
  readonly maxFrameBytes: number | undefined;
  readonly reading: boolean;
  readonly bindTimeoutMs: number | undefined;
  readonly responseTimeoutMs: number | undefined;
  readonly idleTimeoutMs: number | undefined;
  /** From a graceful close (FIN) to a forced destroy when the client keeps its side open. */
  readonly closeGraceMs: number;
}

const MAX_SEQUENCE = 0x7fffffff;

/**
 * One client connection: frames in, batched frames out, the server-side window of requests sent
 * to the client, and the bind state. Protocol decisions belong to the simulator.
 */
export class SimulatorSession implements SimulatorSessionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly tls: boolean;
  readonly connectedAt = Date.now();
  submits = 0;
  enquireLinksSent = 0;
  enquireLinksAnswered = 0;
  /** Submits received and not answered yet (delayed, or waiting for an async profile). */
  unansweredSubmits = 0;

  readonly #socket: Socket;
  readonly #handler: SessionHandler;
  readonly #reader: FrameReader;
  readonly #writer: FrameWriter;
  readonly #window: number;
  readonly #responseTimeoutMs: number | undefined;
  readonly #closeGraceMs: number;
  readonly #pending = new Map<number, OutboundRequest>();
  #queued: OutboundRequest[] = [];
  #queueHead = 0;
  #inFlight = 0;
  #sequence = 0;
  #state: SimulatorSessionState = 'open';
  #closing = false;
  #bindMode: BindMode | undefined;
  #systemId: string | undefined;
  #systemType: string | undefined;
  #closedAt: number | undefined;
  #bindTimer: NodeJS.Timeout | undefined;
  #responseTimer: NodeJS.Timeout | undefined;

  constructor(socket: Socket, handler: SessionHandler, options: SimulatorSessionOptions) {
    this.id = options.id;
    this.tls = options.tls;
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    this.#socket = socket;
    this.#handler = handler;
    this.#window = options.window;
    this.#responseTimeoutMs = options.responseTimeoutMs;
    this.#closeGraceMs = options.closeGraceMs;
    this.#reader = new FrameReader(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes });
    this.#writer = new FrameWriter(socket);

    socket.setNoDelay(true);
    socket.on('data', this.#onData);
    // Errors (ECONNRESET…) are followed by 'close', where the session ends.
    socket.on('error', noop);
    socket.on('close', this.#onSocketClose);
    if (!options.reading) socket.pause();
    if (options.idleTimeoutMs !== undefined) {
      socket.setTimeout(options.idleTimeoutMs);
      socket.on('timeout', () => this.close());
    }
    if (options.bindTimeoutMs !== undefined) {
      this.#bindTimer = setTimeout(() => this.close(), options.bindTimeoutMs);
      this.#bindTimer.unref();
    }
  }

  get state(): SimulatorSessionState {
    return this.#state;
  }

  get bindMode(): BindMode | undefined {
    return this.#bindMode;
  }

  get systemId(): string | undefined {
    return this.#systemId;
  }

  get systemType(): string | undefined {
    return this.#systemType;
  }

  get closedAt(): number | undefined {
    return this.#closedAt;
  }

  /** Not closed nor closing. */
  get isOpen(): boolean {
    return !this.#closing;
  }

  /** Bound as transmitter or transceiver (a closing session reads closed). */
  get canSubmit(): boolean {
    return this.#state === 'bound' && this.#bindMode !== 'receiver';
  }

  /** Bound as receiver or transceiver: receipts and MO may go here. */
  get canReceive(): boolean {
    return this.#state === 'bound' && this.#bindMode !== 'transmitter';
  }

  markBound(mode: BindMode, systemId: string, systemType: string): void {
    this.#state = 'bound';
    this.#bindMode = mode;
    this.#systemId = systemId;
    this.#systemType = systemType;
    if (this.#bindTimer !== undefined) clearTimeout(this.#bindTimer);
    this.#bindTimer = undefined;
  }

  /** The next sequence_number for a request of ours (1..0x7FFFFFFF, then again from 1). */
  nextSequence(): number {
    this.#sequence = this.#sequence >= MAX_SEQUENCE ? 1 : this.#sequence + 1;
    return this.#sequence;
  }

  /** Sends a response or any PDU nobody waits an answer for. Throws TIDINGS_INVALID_MESSAGE when it does not encode. */
  send(pdu: Pdu): void {
    if (this.#closing) return;
    this.#writer.write(encodePdu(pdu));
  }

  /** Writes bytes as they are (garbage, hand-made frames). */
  writeRaw(bytes: Uint8Array): void {
    if (this.#closing) return;
    this.#writer.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  /**
   * Encodes and sends a request, or queues it while the window is full. Throws
   * TIDINGS_INVALID_MESSAGE when it does not encode; a closed session reports it lost.
   */
  request<Tag>(pdu: Pdu, purpose: RequestPurpose, tag: Tag): void {
    const windowed = pdu.command === 'deliver_sm' || pdu.command === 'data_sm';
    const request: OutboundRequest<Tag> = {
      sequence: pdu.sequence_number,
      command: pdu.command,
      purpose,
      windowed,
      tag,
      frame: encodePdu(pdu),
      deadline: Number.POSITIVE_INFINITY,
    };
    if (this.#closing) {
      this.#handler.onRequestLost(this, request, this.#lostError(request));
      return;
    }
    if (windowed && (this.#inFlight >= this.#window || this.#queueHead < this.#queued.length)) {
      this.#queued.push(request);
      return;
    }
    this.#write(request);
  }

  /** The request a response answers, now settled; undefined when none waits for its sequence. */
  complete(response: Pdu): OutboundRequest | undefined {
    const request = this.#pending.get(response.sequence_number);
    if (request === undefined) return undefined;
    this.#pending.delete(request.sequence);
    if (request.windowed) {
      this.#inFlight--;
      this.#drainQueue();
    }
    return request;
  }

  /** Pauses or resumes reading the socket (a client's writes back up while paused). */
  setReading(reading: boolean): void {
    if (this.#closing) return;
    if (reading) this.#socket.resume();
    else this.#socket.pause();
  }

  /**
   * `close`: writes what is queued, then FIN (destroyed after a grace if the client keeps its side
   * open). `reset`: drops what is queued and sends an RST.
   */
  close(mode: 'close' | 'reset' = 'close'): void {
    if (this.#closing) return;
    this.#closing = true;
    // Closed for everyone from now on, though the socket's own 'close' comes later.
    this.#state = 'closed';
    this.#closedAt = Date.now();
    // Frames already read but not yet handled are dropped: the connection is going away.
    this.#reader.reset();
    const socket = this.#socket;
    if (mode === 'reset') {
      this.#writer.close();
      resetSocket(socket);
      return;
    }
    this.#writer.flush();
    this.#writer.close();
    socket.end();
    setTimeout(() => socket.destroy(), this.#closeGraceMs).unref();
  }

  /** Destroys the socket at once. */

  #write(request: OutboundRequest): void {
    if (request.windowed) this.#inFlight++;
    this.#pending.set(request.sequence, request);
    const timeout = this.#responseTimeoutMs;
    if (timeout !== undefined) {
      request.deadline = Date.now() + timeout;
      if (this.#responseTimer === undefined) this.#armResponseTimer(timeout);
    }
    this.#writer.write(request.frame);
  }

  #drainQueue(): void {
    const queued = this.#queued;
    while (this.#inFlight < this.#window && this.#queueHead < queued.length && !this.#closing) {
      const request = queued[this.#queueHead] as OutboundRequest;
      queued[this.#queueHead++] = undefined as unknown as OutboundRequest;
      this.#write(request);
    }
    if (this.#queueHead === queued.length) {
      this.#queued = [];
      this.#queueHead = 0;
    } else if (this.#queueHead > 1024 && this.#queueHead * 2 > queued.length) {
      this.#queued = queued.slice(this.#queueHead);
      this.#queueHead = 0;
    }
  }

  #armResponseTimer(ms: number): void {
    this.#responseTimer = setTimeout(this.#checkResponses, ms);
    this.#responseTimer.unref();
  }

  readonly #checkResponses = (): void => {
    this.#responseTimer = undefined;
    // One timeout for every request: the oldest pending one has the earliest deadline.
    const oldest = this.#pending.values().next();
    if (oldest.done === true || this.#closing) return;
    const wait = oldest.value.deadline - Date.now();
    if (wait > 0) {
      this.#armResponseTimer(wait);
      return;
    }
    this.#handler.onResponseTimeout(this, oldest.value);
  };

  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#reader.feed(chunk, this.#onFrame);
    } catch (error) {
      // #onFrame never throws, so this is the reader refusing the stream.
      this.#handler.onProtocolError(this, TidingsError.from(error, ErrorCode.ProtocolError));
      this.close();
    }
  };

  readonly #onFrame = (frame: Buffer): void => {
    let pdu: Pdu;
    try {
      pdu = decodePdu(frame);
    } catch (error) {
      this.#handler.onUndecodable(this, frame, TidingsError.from(error, ErrorCode.ProtocolError));
      return;
    }
    this.#handler.onPdu(this, pdu);
  };

  readonly #onSocketClose = (): void => {
    this.#state = 'closed';
    this.#closing = true;
    this.#closedAt ??= Date.now();
    this.#writer.close();
    if (this.#bindTimer !== undefined) clearTimeout(this.#bindTimer);
    if (this.#responseTimer !== undefined) clearTimeout(this.#responseTimer);
    const lost = [...this.#pending.values(), ...this.#queued.slice(this.#queueHead)];
    this.#pending.clear();
    this.#queued = [];
    this.#queueHead = 0;
    this.#inFlight = 0;
    for (const request of lost) this.#handler.onRequestLost(this, request, this.#lostError(request));
    this.#handler.onClose(this);
  };

  #lostError(request: OutboundRequest): TidingsError {
    return new TidingsError(
      ErrorCode.ConnectionLost,
      `session #${this.id} closed before the client answered ${request.command} (sequence ${request.sequence})`,
      {
        retry: RetryDecision.never(),
        details: { sessionId: this.id, command: request.command, sequence: request.sequence },
      },
    );
  }
}

function noop(): void {}

/**
 * Sends an RST. A TLS socket cannot be reset itself: the TCP socket under it (`_parent`, internal
 * to Node but stable since v0.x) is; without one, a plain destroy.
 */
function resetSocket(socket: Socket): void {
  const tcp = socket instanceof TLSSocket ? (socket as TLSSocket & { _parent?: Socket })._parent : socket;
  try {
    if (tcp === undefined) throw new Error('no TCP socket');
    tcp.resetAndDestroy();
    if (tcp !== socket) socket.destroy();
  } catch {
    socket.destroy();
  }
}
