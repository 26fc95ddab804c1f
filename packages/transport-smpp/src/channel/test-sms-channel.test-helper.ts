import {
  type ChannelSettings,
  type Clock,
  defineChannelPlugin,
  type Logger,
  type MessageBase,
  type SendContext,
  TOKENS,
} from '@tidings/core';
import { inject, injectable } from 'inversify';
import type { TlvDefinition } from '../pdu/tlv-registry.js';
import type { MessageIdFormat } from '../receipt/message-id.js';
import type { SmscSimulator } from '../simulator/index.js';
import type { SmppConnectionOptions } from './connection-options.js';
import { SmppChannel, type SmppEncodingPolicy, type SubmitPlan } from './smpp-channel.js';

/**
 * A minimal SMPP channel, as a third-party author would write one: options, a class with
 * `toSubmit`, and a factory. Used by this package's tests.
 */
export interface TestSmsOptions {
  readonly connection: SmppConnectionOptions;
  readonly sender: string;
  readonly encoding?: SmppEncodingPolicy;
  readonly messageIds?: {
    readonly submit?: MessageIdFormat;
    readonly receipt?: MessageIdFormat;
    readonly receiptTlv?: MessageIdFormat;
  };
  readonly vendorTlvs?: readonly TlvDefinition[];
  readonly partsWithinMs?: number;
  /** Default 5 s. */
  readonly startTimeoutMs?: number;
  /** Default 1 s. */
  readonly drainTimeoutMs?: number;
}

@injectable()
export class TestSmsChannel extends SmppChannel<MessageBase> {
  readonly #sender: string;

  constructor(
    @inject(TOKENS.ChannelName) name: string,
    @inject(TOKENS.ChannelOptions) options: TestSmsOptions,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super({
      name,
      kind: 'test-sms',
      capabilities: { kinds: ['sms'], receipts: true, inbound: true },
      connection: options.connection,
      clock,
      logger,
      ...(options.encoding ? { encoding: options.encoding } : {}),
      ...(options.messageIds ? { messageIds: options.messageIds } : {}),
      ...(options.vendorTlvs ? { vendorTlvs: options.vendorTlvs } : {}),
      ...(options.partsWithinMs === undefined ? {} : { partsWithinMs: options.partsWithinMs }),
      startTimeoutMs: options.startTimeoutMs ?? 5_000,
      drainTimeoutMs: options.drainTimeoutMs ?? 1_000,
    });
    this.#sender = options.sender;
  }

  protected toSubmit(message: MessageBase, _context: SendContext | undefined): SubmitPlan {
    return {
      text: message.text ?? message.code ?? '',
      source: { addr: message.from ?? this.#sender, ton: 5, npi: 0 },
      destination: { addr: message.to.replace(/^\+/, ''), ton: 1, npi: 1 },
    };
  }
}

export function testSms<const TName extends string>(
  name: TName,
  options: TestSmsOptions,
  settings: ChannelSettings = { retry: { initialDelayMs: 10, maxDelayMs: 200, maxAttempts: 10 } },
) {
  return defineChannelPlugin({ name, kind: 'test-sms', options, settings, channel: TestSmsChannel });
}

/** Connection options to a simulator, with quick reconnects for tests. */
export function connectionTo(
  sim: SmscSimulator,
  overrides: Partial<SmppConnectionOptions> = {},
): SmppConnectionOptions {
  return {
    host: sim.host,
    port: sim.port,
    systemId: 'test',
    password: 'secret',
    enquireLinkIntervalMs: 0,
    unbindTimeoutMs: 500,
    reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
    ...overrides,
  };
}
