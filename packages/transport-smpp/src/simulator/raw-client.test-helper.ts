import { Buffer } from 'node:buffer';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { onTestFinished } from 'vitest';
import { decodePdu, encodePdu } from '../pdu/codec.js';
import { FrameReader } from '../pdu/frame-reader.js';
import type { BindResp, DeliverSm, MessageIdResp, Pdu, SubmitSm } from '../pdu/pdu.js';
import type { BindMode } from '../session/session-options.js';
import type { SmscSimulatorOptions } from './simulator-options.js';
import { SmscSimulator } from './smsc-simulator.js';

/**
 * A bare SMPP client for the simulator's tests: raw frames over node:net with the project's codec,
 * no session logic beyond answering deliver_sm and enquire_link (both switchable).
 */

type Waiter = { test: (pdu: Pdu) => boolean; resolve: (pdu: Pdu) => void; reject: (error: Error) => void };

export interface RawClientOptions {
  /** Answer deliver_sm with deliver_sm_resp (this status). Default true (status 0). */
  readonly answerDeliverSm?: boolean | number;
  /** Answer enquire_link and unbind. Default true. */
  readonly answerServerRequests?: boolean;
  /** PEM CA to trust: connect with TLS. */
  readonly tlsCa?: string;
}

export class RawClient {
  /** Every PDU received, in order. */
  readonly received: Pdu[] = [];
  /** Resolves when the socket closed; `error` is the socket error (ECONNRESET after an RST). */
  readonly closed: Promise<{ readonly error: (Error & { code?: string }) | undefined }>;
  answerDeliverSm: boolean | number;
  answerServerRequests: boolean;
  /** Set when the server sent bytes the frame reader or the codec refused. */
  protocolError: Error | undefined;

  readonly #socket: Socket;
  readonly #reader = new FrameReader();
  #waiters: Waiter[] = [];
  /** Received and not yet taken by `next`. */
  #unread: Pdu[] = [];
  #sequence = 0;
  #error: (Error & { code?: string }) | undefined;
  #isClosed = false;

  private constructor(socket: Socket, options: RawClientOptions) {
    this.#socket = socket;
    this.answerDeliverSm = options.answerDeliverSm ?? true;
    this.answerServerRequests = options.answerServerRequests ?? true;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        this.#reader.feed(chunk, (frame) => this.#onPdu(decodePdu(frame)));
      } catch (error) {
        // What a real client must do with a corrupt stream: note it and drop the connection.
        this.protocolError = error as Error;
        socket.destroy();
      }
    });
    socket.on('error', (error) => {
      this.#error = error;
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.#isClosed = true;
        for (const waiter of this.#waiters) waiter.reject(new Error('connection closed', { cause: this.#error }));
        this.#waiters = [];
        resolve({ error: this.#error });
      });
    });
  }

  static connect(address: { host: string; port: number }, options: RawClientOptions = {}): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket =
        options.tlsCa === undefined
          ? connectTcp(address.port, address.host)
          : connectTls({ host: address.host, port: address.port, ca: options.tlsCa, servername: 'localhost' });
      const ready = options.tlsCa === undefined ? 'connect' : 'secureConnect';
      socket.once(ready, () => {
        socket.off('error', reject);
        resolve(new RawClient(socket, options));
      });
      socket.once('error', reject);
    });
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  nextSequence(): number {
    return ++this.#sequence;
  }

  /** Writes a PDU; returns its sequence number. */
  send(pdu: Pdu): number {
    this.#socket.write(encodePdu(pdu));
    return pdu.sequence_number;
  }

  writeRaw(bytes: Uint8Array): void {
    this.#socket.write(bytes);
  }

  /** Sends a request and resolves with the PDU answering its sequence number. */
  request(pdu: Pdu, timeoutMs?: number): Promise<Pdu> {
    const answer = this.next(
      (received) => received.sequence_number === pdu.sequence_number && isResponse(received),
      timeoutMs,
    );
    this.send(pdu);
    return answer;
  }

  /** The first PDU not yet taken by `next` that matches, waiting for it if needed. */
  next(test: ((pdu: Pdu) => boolean) | Pdu['command'], timeoutMs = 5000): Promise<Pdu> {
    const match = typeof test === 'string' ? (pdu: Pdu) => pdu.command === test : test;
    const index = this.#unread.findIndex(match);
    if (index >= 0) return Promise.resolve(this.#unread.splice(index, 1)[0] as Pdu);
    if (this.#isClosed) return Promise.reject(new Error('connection closed', { cause: this.#error }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((other) => other !== waiter);
        reject(
          new Error(
            `no matching PDU within ${timeoutMs} ms; received: ${this.received.map((p) => p.command).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        test: match,
        resolve: (pdu) => {
          clearTimeout(timer);
          resolve(pdu);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Waits for `count` PDUs matching, taken in order. */
  async take(test: ((pdu: Pdu) => boolean) | Pdu['command'], count: number, timeoutMs?: number): Promise<Pdu[]> {
    const taken: Pdu[] = [];
    for (let index = 0; index < count; index++) taken.push(await this.next(test, timeoutMs));
    return taken;
  }

  async bind(
    mode: BindMode = 'transceiver',
    systemId = 'test',
    password = 'secret',
    systemType = '',
  ): Promise<BindResp> {
    const command = `bind_${mode}` as const;
    return (await this.request({
      command,
      command_status: 0,
      sequence_number: this.nextSequence(),
      system_id: systemId,
      password,
      system_type: systemType,
      interface_version: 0x34,
      addr_ton: 0,
      addr_npi: 0,
      address_range: '',
    })) as BindResp;
  }

  submitPdu(fields: Partial<Omit<SubmitSm, 'command'>> = {}): SubmitSm {
    return {
      command: 'submit_sm',
      command_status: 0,
      sequence_number: this.nextSequence(),
      service_type: '',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '15550001',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '15550002',
      esm_class: 0,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: 0,
      sm_default_msg_id: 0,
      short_message: Buffer.from('hello'),
      ...fields,
    };
  }

  async submit(fields: Partial<Omit<SubmitSm, 'command'>> = {}, timeoutMs?: number): Promise<MessageIdResp> {
    return (await this.request(this.submitPdu(fields), timeoutMs)) as MessageIdResp;
  }

  /** The next deliver_sm. */
  async deliverSm(timeoutMs?: number): Promise<DeliverSm> {
    return (await this.next('deliver_sm', timeoutMs)) as DeliverSm;
  }

  close(): void {
    this.#socket.destroy();
  }

  /** Sends unbind and waits for the server to close. */
  async unbind(): Promise<Pdu> {
    const answer = await this.request({ command: 'unbind', command_status: 0, sequence_number: this.nextSequence() });
    await this.closed;
    return answer;
  }

  #onPdu(pdu: Pdu): void {
    this.received.push(pdu);
    if (pdu.command === 'deliver_sm' && this.answerDeliverSm !== false) {
      const status = this.answerDeliverSm === true ? 0 : this.answerDeliverSm;
      this.send({
        command: 'deliver_sm_resp',
        command_status: status,
        sequence_number: pdu.sequence_number,
        message_id: '',
      });
    } else if (pdu.command === 'enquire_link' && this.answerServerRequests) {
      this.send({ command: 'enquire_link_resp', command_status: 0, sequence_number: pdu.sequence_number });
    } else if (pdu.command === 'unbind' && this.answerServerRequests) {
      this.send({ command: 'unbind_resp', command_status: 0, sequence_number: pdu.sequence_number });
    }
    const index = this.#waiters.findIndex((waiter) => waiter.test(pdu));
    if (index < 0) this.#unread.push(pdu);
    else this.#waiters.splice(index, 1)[0]?.resolve(pdu);
  }
}

function isResponse(pdu: Pdu): boolean {
  return pdu.command.endsWith('_resp') || pdu.command === 'generic_nack';
}

/** A simulator stopped when the test ends. */
export async function startSimulator(options?: SmscSimulatorOptions): Promise<SmscSimulator> {
  const simulator = await SmscSimulator.start(options);
  onTestFinished(() => simulator.stop());
  return simulator;
}

/** A client connected to `simulator`, closed when the test ends. */
export async function connectClient(simulator: SmscSimulator, options?: RawClientOptions): Promise<RawClient> {
  const client = await RawClient.connect(simulator, options);
  onTestFinished(() => client.close());
  return client;
}

/** A client bound as `mode` with the default account; fails the test when the bind is refused. */
export async function boundClient(
  simulator: SmscSimulator,
  mode: BindMode = 'transceiver',
  options?: RawClientOptions,
): Promise<RawClient> {
  const client = await connectClient(simulator, options);
  const response = await client.bind(mode);
  if (response.command_status !== 0) throw new Error(`bind refused with status ${response.command_status}`);
  return client;
}
