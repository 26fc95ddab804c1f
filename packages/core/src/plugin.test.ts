import { inject, injectable } from 'inversify';
import { BehaviorSubject, NEVER, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Channel, ChannelCapabilities, ChannelState, SendContext, SubmitResult } from './channel.js';
import type { Clock } from './clock.js';
import { ErrorCode, TidingsError } from './errors.js';
import type { Logger } from './logger.js';
import type { DeliveryReport, InboundMessage, MessageBase } from './message.js';
import { validateMessageBase } from './message-validation.js';
import { validateOptions } from './options.js';
import { defineChannelPlugin } from './plugin.js';
import { RetryDecision } from './retry-decision.js';
import { resolveChannel } from './testing/resolve-channel.js';
import { createTidings } from './tidings.js';
import { TOKENS } from './tokens.js';

// A third-party channel written only against the public contracts, the way a plugin author would.
const EchoOptions = z.object({
  name: z.string().default('echo'),
  prefix: z.string().min(1),
  password: z.string().min(1),
  maxLength: z.number().int().positive().default(70),
});
type EchoOptions = z.output<typeof EchoOptions>;

interface EchoMessage extends MessageBase {
  readonly text: string;
}

const ECHO_COUNTER = Symbol('echo.counter');

@injectable()
class EchoChannel implements Channel<EchoMessage> {
  readonly kind = 'echo';
  readonly capabilities: ChannelCapabilities = { kinds: ['sms'], receipts: false, inbound: false };
  readonly #state = new BehaviorSubject<ChannelState>({ status: 'idle' });
  readonly state$: Observable<ChannelState> = this.#state.asObservable();
  readonly reports$: Observable<DeliveryReport> = NEVER;
  readonly inbound$: Observable<InboundMessage> = NEVER;

  constructor(
    @inject(TOKENS.ChannelName) readonly name: string,
    @inject(TOKENS.ChannelOptions) private readonly options: EchoOptions,
    @inject(TOKENS.Clock) readonly clock: Clock,
    @inject(TOKENS.Logger) readonly logger: Logger,
    @inject(ECHO_COUNTER) private readonly counter: { sent: number },
  ) {}

  async start(): Promise<void> {
    this.#state.next({ status: 'ready' });
  }

  async stop(): Promise<void> {
    this.#state.next({ status: 'stopped' });
  }

  validate(message: EchoMessage): void {
    validateMessageBase(message);
    if (message.text.length > this.options.maxLength) {
      throw new TidingsError(ErrorCode.InvalidMessage, `text is longer than ${this.options.maxLength} characters`, {
        channel: this.name,
        details: { field: 'text' },
      });
    }
  }

  async send(message: EchoMessage, context: SendContext): Promise<SubmitResult> {
    if (message.to === '+0') {
      throw new TidingsError(ErrorCode.Rejected, 'number not allowed', {
        providerStatus: 0x0b,
        retry: RetryDecision.never(),
      });
    }
    this.counter.sent++;
    return { providerMessageId: `${this.options.prefix}-${context.attempt}-${this.counter.sent}` };
  }
}

function echoChannel(input: z.input<typeof EchoOptions>) {
  const options = validateOptions(EchoOptions, input, `echo channel "${input.name ?? 'echo'}"`);
  const counter = { sent: 0 };
  return defineChannelPlugin({
    name: options.name,
    kind: 'echo',
    options,
    channel: EchoChannel,
    register: ({ bind }) => {
      bind(ECHO_COUNTER).toConstantValue(counter);
    },
  });
}

describe('defineChannelPlugin', () => {
  it('resolves a channel whose constructor parameters are all injected by token (no decorator metadata)', () => {
    const channel = resolveChannel(echoChannel({ name: 'e1', prefix: 'p', password: 'hunter2' }));
    expect(channel).toBeInstanceOf(EchoChannel);
    expect(channel.name).toBe('e1');
  });

  it('gives each instance its own options and its own private bindings', async () => {
    const one = echoChannel({ name: 'one', prefix: 'A', password: 'x' });
    const two = echoChannel({ name: 'two', prefix: 'B', password: 'y' });
    const tidings = await createTidings({ plugins: [one, two] });
    const a = await tidings.send('one', { to: '+1', text: 'hi' });
    const b = await tidings.send('two', { to: '+1', text: 'hi' });
    const c = await tidings.send('two', { to: '+1', text: 'hi' });
    expect((await a.settled).type).toBe('accepted');
    expect((await a.accepted).providerMessageId).toBe('A-1-1');
    expect((await b.accepted).providerMessageId).toBe('B-1-1');
    expect((await c.accepted).providerMessageId).toBe('B-1-2');
    const rejected = await tidings.send('one', { to: '+0', text: 'hi' });
    expect(await rejected.settled).toMatchObject({ type: 'rejected', channel: 'one' });
    await tidings.stop();
  });

  it('uses the channel’s own validation before anything is sent', async () => {
    const tidings = await createTidings({
      plugins: [echoChannel({ name: 'e', prefix: 'p', password: 'x', maxLength: 3 })],
    });
    await expect(tidings.send('e', { to: '+1', text: 'too long' })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
      channel: 'e',
    });
    await tidings.stop();
  });

  it('rejects bad options at creation, naming the plugin and every bad option, never echoing the password', () => {
    let error: unknown;
    try {
      echoChannel({ name: 'e', prefix: '', password: 'hunter2', maxLength: -1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TidingsError);
    const message = (error as TidingsError).message;
    expect((error as TidingsError).code).toBe(ErrorCode.InvalidOptions);
    expect(message).toContain('echo channel "e"');
    expect(message).toContain('option "prefix"');
    expect(message).toContain('option "maxLength"');
    expect(message).not.toContain('hunter2');
    expect((error as TidingsError).details).toEqual({ options: ['prefix', 'maxLength'] });
  });

  it('refuses an instance name that cannot be used as a channel name', () => {
    expect(() => defineChannelPlugin({ name: '', kind: 'echo', options: {}, channel: EchoChannel })).toThrow(
      /echo channel: option "name"/,
    );
  });
});
