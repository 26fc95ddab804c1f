import { Buffer } from 'node:buffer';
import { connect, type Socket } from 'node:net';
import { type Clock, createTidings, type InboundMessage, type MessageEvent, type Tidings } from '@tidings/core';
import { decodePdu, encodePdu, FrameReader, type Pdu } from '@tidings/transport-smpp';
import { SmscSimulator, type SmscSimulatorOptions } from '@tidings/transport-smpp/simulator';
import { onTestFinished } from 'vitest';
import { type SmsorgSimulatorProfileOptions, smsorgSimulatorProfile } from './simulator/index.js';
import type { SmsorgMessage } from './smsorg-message.js';
import type { SmsorgOptions } from './smsorg-options.js';
import { smsorgChannel } from './smsorg-plugin.js';

/** The account the simulators of these tests accept: a `XXXX.X` system_id. */
export const ACCOUNT = { systemId: '1234.5', password: 'secret' } as const;

/** An smsorg simulator on 127.0.0.1, stopped when the test ends. */
export async function startSmsorg(
  profile: SmsorgSimulatorProfileOptions = {},
  options: Omit<SmscSimulatorOptions, 'profile'> = {},
): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start({
    // Quick receipts unless a test says otherwise.
    profile: smsorgSimulatorProfile({ deliveryDelayMs: 5, ...profile }),
    accounts: [ACCOUNT],
    ...options,
  });
  onTestFinished(() => sim.stop());
  return sim;
}

/** Channel options pointing at a simulator, with quick reconnects and retries. */
/** Option overrides; `undefined` removes a default of these tests (e.g. the sender). */
export type Overrides = Partial<SmsorgOptions>;

export function optionsFor(sim: SmscSimulator, overrides: Overrides = {}): SmsorgOptions<'sms'> {
  return {
    name: 'sms',
    host: sim.host,
    port: sim.port,
    systemId: ACCOUNT.systemId,
    password: ACCOUNT.password,
    sender: 'MyShop',
    enquireLinkIntervalMs: 0,
    reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
    settings: { retry: { initialDelayMs: 10, maxDelayMs: 200, maxAttempts: 10 } },
    ...overrides,
  } as SmsorgOptions<'sms'>;
}

export interface Runtime {
  readonly tidings: Tidings<{ sms: SmsorgMessage }>;
  readonly events: MessageEvent[];
  readonly inbound: InboundMessage[];
}

/** A runtime with one smsorg channel named `sms`, stopped when the test ends. */
export async function startRuntime(sim: SmscSimulator, overrides: Overrides = {}, clock?: Clock): Promise<Runtime> {
  const tidings = await createTidings({
    plugins: [smsorgChannel(optionsFor(sim, overrides))],
    ...(clock === undefined ? {} : { clock }),
  });
  onTestFinished(() => tidings.stop({ timeoutMs: 1_000 }));
  const events: MessageEvent[] = [];
  const inbound: InboundMessage[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  tidings.inbound$.subscribe((message) => inbound.push(message));
  return { tidings, events, inbound };
}

/**
 * A bare TCP client speaking raw PDUs: for what the channel never does (not binding, not
 * answering, unsupported commands), to show the simulator profile enforces the page's rules.
 */
export class RawClient {
  readonly received: Pdu[] = [];
  /** Resolves when the server closed the connection. */
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #reader = new FrameReader();
  readonly #waiters = new Map<number, (pdu: Pdu) => void>();
  readonly #commandWaiters: Array<{ command: Pdu['command']; resolve: (pdu: Pdu) => void }> = [];
  #sequence = 0;

  private constructor(socket: Socket) {
    this.#socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) =>
      this.#reader.feed(chunk, (frame) => {
        const pdu = decodePdu(frame);
        this.received.push(pdu);
        this.#waiters.get(pdu.sequence_number)?.(pdu);
        this.#waiters.delete(pdu.sequence_number);
        for (const waiter of this.#commandWaiters.filter((w) => w.command === pdu.command)) {
          this.#commandWaiters.splice(this.#commandWaiters.indexOf(waiter), 1);
          waiter.resolve(pdu);
        }
      }),
    );
  }

  static connect(sim: SmscSimulator): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(sim.port, sim.host, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
      onTestFinished(() => {
        socket.destroy();
      });
    });
  }

  /** The first PDU of this command received, now or later. */
  next<C extends Pdu['command']>(command: C): Promise<Extract<Pdu, { command: C }>> {
    const found = this.received.find((pdu) => pdu.command === command);
    if (found) return Promise.resolve(found as Extract<Pdu, { command: C }>);
    return new Promise((resolve) =>
      this.#commandWaiters.push({ command, resolve: (pdu) => resolve(pdu as Extract<Pdu, { command: C }>) }),
    );
  }

  /** Sends a request (its sequence_number filled in) and resolves with the server's answer. */
  request(pdu: Omit<Pdu, 'sequence_number' | 'command_status'> & { readonly command_status?: number }): Promise<Pdu> {
    const sequence_number = ++this.#sequence;
    const answer = new Promise<Pdu>((resolve) => this.#waiters.set(sequence_number, resolve));
    this.#socket.write(encodePdu({ command_status: 0, ...pdu, sequence_number } as Pdu));
    return answer;
  }

  bind(command: 'bind_transmitter' | 'bind_transceiver' | 'bind_receiver', password: string = ACCOUNT.password) {
    return this.request({
      command,
      system_id: ACCOUNT.systemId,
      password,
      system_type: '',
      interface_version: 0x34,
      addr_ton: 0,
      addr_npi: 0,
      address_range: '',
    } as Pdu);
  }
}

/** `short_message` bytes as text, for ASCII / UCS2 (`data_coding` 1 / 8) without a UDH. */
export function textOf(bytes: Uint8Array, dataCoding: number): string {
  const buffer = Buffer.from(bytes);
  return dataCoding === 0x08 ? buffer.swap16().toString('utf16le') : buffer.toString('latin1');
}
