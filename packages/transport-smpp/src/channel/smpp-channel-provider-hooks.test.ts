import {
  type Clock,
  createTidings,
  defineChannelPlugin,
  type InboundMessage,
  type Logger,
  type MessageBase,
  type SendContext,
  type SubmitResult,
  type Tidings,
  TidingsError,
  TOKENS,
} from '@tidings/core';
import { inject, injectable } from 'inversify';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { segmentText } from '../encoding/segmenter.js';
import type { DeliverSm, SubmitSm } from '../pdu/pdu.js';
import { deliverSm } from '../pdu/pdu-factory.js';
import { SmscSimulator, type SmscSimulatorOptions } from '../simulator/index.js';
import { resolveSmppConnection } from './connection-options.js';
import type { SubmitPlan } from './smpp-channel.js';
import { connectionTo, TestSmsChannel, type TestSmsOptions, testSms } from './test-sms-channel.test-helper.js';

// What provider channels asked of the base: payload thresholds, provider data_codings, generic_nack,
// reports learned by polling, a deadline for the parts of a long message, long system_type flags.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(options: SmscSimulatorOptions = {}): Promise<SmscSimulator> {
  const sim = await SmscSimulator.start(options);
  cleanups.push(() => sim.stop());
  return sim;
}

async function runtime(sim: SmscSimulator, options: Partial<TestSmsOptions> = {}): Promise<Tidings> {
  const plugin = testSms(
    'sms',
    { connection: connectionTo(sim), sender: 'Tidings', ...options },
    { retry: { maxAttempts: 1 } },
  );
  const tidings = (await createTidings({ plugins: [plugin] })) as unknown as Tidings;
  cleanups.push(() => tidings.stop({ timeoutMs: 2_000 }));
  return tidings;
}

const submits = (sim: SmscSimulator): SubmitSm[] =>
  sim.received.flatMap((record) => (record.pdu.command === 'submit_sm' ? [record.pdu] : []));

describe('segmentText: payload with maxShortMessageBytes', () => {
  it('keeps texts up to the limit in short_message and puts longer ones in message_payload only', () => {
    const at = segmentText('Ж'.repeat(127), { concatenation: 'payload', reference: 1, maxShortMessageBytes: 254 });
    expect(at.parts).toHaveLength(1);
    expect(at.parts[0]?.shortMessage).toHaveLength(254);
    expect(at.parts[0]?.messagePayload).toBeUndefined();
    const over = segmentText('Ж'.repeat(128), { concatenation: 'payload', reference: 1, maxShortMessageBytes: 254 });
    expect(over.parts[0]?.shortMessage).toHaveLength(0);
    expect(over.parts[0]?.messagePayload).toHaveLength(256);
  });

  it('refuses a limit above short_message’s 254 octets', () => {
    expect(() => segmentText('x', { concatenation: 'payload', reference: 1, maxShortMessageBytes: 255 })).toThrow(
      /maxShortMessageBytes must be an integer from 0 to 254/,
    );
  });
});

describe('SmppChannel: provider data_codings', () => {
  it('writes Latin-1 as the provider’s data_coding 4 and reads its 4 back as Latin-1', async () => {
    const sim = await simulator();
    const tidings = await runtime(sim, {
      encoding: { allowed: ['gsm7', 'latin1', 'ucs2'], dataCodings: { latin1: 4 } },
    });
    const handle = await tidings.send('sms', { to: '+15550001', text: 'Très bien ê' });
    await handle.accepted;
    const [submit] = submits(sim);
    expect(submit?.data_coding).toBe(4);
    expect(Buffer.from(submit?.short_message ?? [])).toEqual(Buffer.from('Très bien ê', 'latin1'));

    const inbound = firstValueFrom(tidings.inbound$);
    const session = sim.sessions[0];
    if (!session) throw new Error('no session');
    await sim.sendPdu(
      session.id,
      deliverSm(
        {
          source_addr: '15550001',
          destination_addr: 'Tidings',
          data_coding: 4,
          short_message: Buffer.from('Oui, très bien', 'latin1'),
        },
        0,
      ),
    );
    expect(((await inbound) as InboundMessage).text).toBe('Oui, très bien');
  });

  it('labels ASCII as data_coding 0 for a provider that takes it so, bytes unchanged', async () => {
    const sim = await simulator();
    const tidings = await runtime(sim, { encoding: { pinned: 'ascii', dataCodings: { ascii: 0 } } });
    await (await tidings.send('sms', { to: '+15550001', text: '{"a":1}' })).accepted;
    const [submit] = submits(sim);
    expect(submit?.data_coding).toBe(0);
    expect(Buffer.from(submit?.short_message ?? [])).toEqual(Buffer.from('{"a":1}', 'ascii'));
  });
});

describe('SmppChannel: generic_nack answering submit_sm', () => {
  it('is a typed protocol error that is never retried, not a success with an empty id', async () => {
    const sim = await simulator({
      profile: { name: 'no-submit', commands: ['bind_transceiver', 'enquire_link', 'unbind'] },
    });
    const tidings = await runtime(sim);
    const handle = await tidings.send('sms', { to: '+15550001', text: 'hello' });
    const settled = await handle.settled;
    expect(settled.type).toBe('failed');
    const error = settled.type === 'failed' ? settled.error : undefined;
    expect(error?.code).toBe('TIDINGS_PROTOCOL_ERROR');
    expect(error?.details).toMatchObject({ command: 'submit_sm', response: 'generic_nack' });
    expect(error?.message).toMatch(/generic_nack/);
    expect(submits(sim)).toHaveLength(1);
  });
});

/** A channel that learns delivery by other means (as a polling channel does) and publishes it. */
@injectable()
class PollingSmsChannel extends TestSmsChannel {
  static last: PollingSmsChannel | undefined;

  constructor(
    @inject(TOKENS.ChannelName) name: string,
    @inject(TOKENS.ChannelOptions) options: TestSmsOptions,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super(name, options, clock, logger);
    PollingSmsChannel.last = this;
  }

  protected override toSubmit(message: MessageBase, context: SendContext | undefined): SubmitPlan {
    return { ...super.toSubmit(message, context), fields: { registered_delivery: 0 } };
  }

  override async send(message: MessageBase, context: SendContext): Promise<SubmitResult> {
    const result = await super.send(message, context);
    setImmediate(() => this.publish(result.providerMessageId));
    return { ...result, receiptExpected: true };
  }

  publish(providerMessageId: string): void {
    this.publishReport({ providerMessageId, state: 'delivered' });
  }
}

describe('SmppChannel: publishReport', () => {
  it('settles a message from a report the channel learned without a deliver_sm, and is ignored after stop', async () => {
    const sim = await simulator();
    const plugin = defineChannelPlugin({
      name: 'polled',
      kind: 'test-sms',
      options: { connection: connectionTo(sim), sender: 'Tidings' } satisfies TestSmsOptions,
      channel: PollingSmsChannel,
    });
    const tidings = (await createTidings({ plugins: [plugin] })) as unknown as Tidings;
    const handle = await tidings.send('polled', { to: '+15550001', text: 'hello' });
    expect((await handle.settled).type).toBe('delivered');
    expect(submits(sim)[0]?.registered_delivery).toBe(0);
    await tidings.stop({ timeoutMs: 2_000 });
    expect(() => PollingSmsChannel.last?.publish('1')).not.toThrow();
  });
});

describe('SmppChannel: partsWithinMs', () => {
  it('stops sending the parts of a long message once the deadline after the first part passes', async () => {
    let seen = 0;
    const sim = await simulator({
      profile: { name: 'stalls-after-first-part', onSubmit: () => (++seen === 1 ? undefined : 'no-response') },
    });
    const tidings = await runtime(sim, { partsWithinMs: 100 });
    const handle = await tidings.send('sms', { to: '+15550001', text: 'p'.repeat(400) });
    const settled = await handle.settled;
    expect(settled.type).toBe('failed');
    // One attempt allowed: the runtime gives up and keeps the channel's error as the cause.
    const gaveUp = settled.type === 'failed' ? settled.error : undefined;
    expect(gaveUp?.code).toBe('TIDINGS_RETRIES_EXHAUSTED');
    const error = gaveUp?.cause;
    if (!(error instanceof TidingsError)) throw new Error('expected the channel error as the cause');
    expect(error.code).toBe('TIDINGS_TIMEOUT');
    expect(error?.ambiguous).toBe(true);
    expect(error?.details).toMatchObject({ partsAccepted: 1, parts: 3, partsWithinMs: 100 });
    // The second part was sent and never answered; the third never went out.
    expect(submits(sim)).toHaveLength(2);
  });
});

describe('connection options: system_type', () => {
  it('carries a provider flag list longer than SMPP 3.4’s 13 characters to the bind', async () => {
    const resolved = resolveSmppConnection(
      { host: '127.0.0.1', port: 1, systemId: 'x', password: 'y', systemType: 'MCON9,ISO,SINGLE' },
      'test',
    );
    expect(resolved.credentials.systemType).toBe('MCON9,ISO,SINGLE');
    const sim = await simulator();
    const tidings = await runtime(sim, { connection: connectionTo(sim, { systemType: 'MCON9,ISO,SINGLE' }) });
    await (await tidings.send('sms', { to: '+15550001', text: 'hi' })).accepted;
    const bind = sim.received.find((record) => record.pdu.command === 'bind_transceiver')?.pdu;
    expect(bind && 'system_type' in bind ? bind.system_type : undefined).toBe('MCON9,ISO,SINGLE');
  });
});

describe('SmppChannel: an accepted submit without a message_id', () => {
  it('settles at accepted instead of waiting for a receipt nobody can match', async () => {
    const sim = await simulator({ profile: { name: 'no-ids', onSubmit: () => ({ messageId: '', receipt: false }) } });
    const tidings = await runtime(sim);
    const handle = await tidings.send('sms', { to: '+15550001', text: 'hello' });
    expect(await handle.settled).toMatchObject({ type: 'accepted', providerMessageId: '' });
  });
});

describe('simulator: per-message receipt fields', () => {
  it('merges a profile’s receipt fields over the simulator’s, field by field', async () => {
    const sim = await simulator({
      receipts: { fields: { service_type: 'MSG' } },
      profile: { name: 'fields', onSubmit: () => ({ receipt: { fields: { source_addr: '' } } }) },
    });
    const receipts: DeliverSm[] = [];
    sim.on('receipt', (event) => receipts.push(event.pdu));
    const tidings = await runtime(sim);
    await (await tidings.send('sms', { to: '+15550001', text: 'hello' })).settled;
    expect(receipts[0]).toMatchObject({ service_type: 'MSG', source_addr: '' });
  });
});

describe('SmppChannel: receipts keep the message text private', () => {
  it('does not put the receipt’s text: (the start of the message, a code) on delivery events', async () => {
    const sim = await simulator();
    const tidings = await runtime(sim);
    const events: unknown[] = [];
    tidings.events$.subscribe((event) => events.push(event));
    const end = await (await tidings.send('sms', { to: '+15550001', text: 'Your code: 482913' })).settled;
    expect(end.type).toBe('delivered');
    expect(end.type === 'delivered' && end.report.extras).toMatchObject({ stat: 'DELIVRD' });
    expect(JSON.stringify(events)).not.toContain('482913');
  });
});
