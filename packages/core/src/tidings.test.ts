import { ContainerModule } from 'inversify';
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, TidingsError } from './errors.js';
import type { MessageEvent, MessageEventType } from './events.js';
import type { Logger } from './logger.js';
import { InMemoryMessageStore } from './memory-store.js';
import type { MessageBase } from './message.js';
import { RetryDecision } from './retry-decision.js';
import type { ChannelSettings } from './settings.js';
import { FakeOutcome, fakeChannel } from './testing/fake-channel.js';
import { ManualClock } from './testing/manual-clock.js';
import { createTidings, type Tidings } from './tidings.js';
import { TOKENS } from './tokens.js';

const fast: ChannelSettings = { retry: { initialDelayMs: 1, maxDelayMs: 5, jitter: 0 } };
const msg = (text = 'hello', extra: Partial<MessageBase> = {}): MessageBase => ({ to: '+79036550550', text, ...extra });

interface Stoppable {
  readonly events$: Observable<MessageEvent>;
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

let running: Stoppable[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(running.map((t) => t.stop({ timeoutMs: 100 })));
  running = [];
});

async function start<T extends Stoppable>(promise: Promise<T>): Promise<{ tidings: T; events: MessageEvent[] }> {
  const tidings = await promise;
  running.push(tidings);
  const events: MessageEvent[] = [];
  tidings.events$.subscribe((event) => events.push(event));
  return { tidings, events };
}

const typesOf = (events: MessageEvent[], id: string): MessageEventType[] =>
  events.filter((e) => e.messageId === id).map((e) => e.type);

function expectOneTerminal(events: MessageEvent[], id: string): void {
  const own = events.filter((e) => e.messageId === id);
  expect(own.filter((e) => e.terminal)).toHaveLength(1);
  expect(own.at(-1)?.terminal).toBe(true);
}

describe('event ordering', () => {
  it('goes queued → submitted → accepted → delivered, with ids, channel, attempt and clientRef', async () => {
    const sms = fakeChannel({ name: 'sms' });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg('hi', { clientRef: 'order-7' }));
    const terminal = await handle.settled;
    expect(terminal.type).toBe('delivered');
    expect(typesOf(events, handle.id)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
    for (const event of events) {
      expect(event).toMatchObject({ messageId: handle.id, channel: 'sms', clientRef: 'order-7' });
      expect(typeof event.timestamp).toBe('number');
    }
    expect(events.map((e) => e.attempt)).toEqual([0, 1, 1, 1]);
    expect(events.map((e) => e.terminal)).toEqual([false, false, false, true]);
    const accepted = await handle.accepted;
    expect(accepted.providerMessageId).toBe((terminal as { providerMessageId: string }).providerMessageId);
  });

  it('replays a message’s events to a late subscriber and completes after the terminal one', async () => {
    const { tidings, events } = await start(createTidings({ plugins: [fakeChannel({ name: 'sms' })] }));
    const handle = await tidings.send('sms', msg());
    await handle.settled;
    const replayed = await lastValueFrom(handle.events$.pipe(toArray()));
    expect(replayed).toEqual(events.filter((e) => e.messageId === handle.id));
    expect(handle.last?.type).toBe('delivered');
  });

  it('orders a receipt that overtakes the submit response after the accepted event', async () => {
    const sms = fakeChannel({ name: 'sms', script: [FakeOutcome.accept({ receiptFirst: true })] });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    expect((await handle.settled).type).toBe('delivered');
    expect(typesOf(events, handle.id)).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
  });

  it('ignores a duplicate receipt: still one terminal event', async () => {
    const sms = fakeChannel({ name: 'sms', script: [FakeOutcome.accept({ duplicateReceipt: true })] });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    await handle.settled;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expectOneTerminal(events, handle.id);
  });

  it('makes accepted the terminal event when no receipt will follow', async () => {
    const sms = fakeChannel({
      name: 'sms',
      script: [FakeOutcome.accept({ providerMessageId: 'p-1', receipt: 'none' })],
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    const terminal = await handle.settled;
    expect(terminal).toMatchObject({ type: 'accepted', terminal: true, providerMessageId: 'p-1' });
    expectOneTerminal(events, handle.id);
  });

  it('settles a multi-part message when every part has a final receipt; one failed part makes it undelivered', async () => {
    const sms = fakeChannel({
      name: 'sms',
      script: [
        FakeOutcome.accept({ partIds: ['a1', 'a2', 'a3'] }),
        FakeOutcome.accept({ partIds: ['b1', 'b2'], receipt: 'undelivered', receiptErrorCode: 1 }),
      ],
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const delivered = await tidings.send('sms', msg('long'));
    expect(await delivered.settled).toMatchObject({ type: 'delivered', providerMessageId: 'a1' });
    expect((await delivered.accepted).parts).toBe(3);
    const undelivered = await tidings.send('sms', msg('long 2'));
    const terminal = await undelivered.settled;
    expect(terminal.type).toBe('undelivered');
    expect(terminal.type === 'undelivered' && terminal.error.providerStatus).toBe(1);
  });

  it('maps expired and rejected receipts to expired and undelivered', async () => {
    const sms = fakeChannel({
      name: 'sms',
      script: [FakeOutcome.accept({ receipt: 'expired' }), FakeOutcome.accept({ receipt: 'rejected' })],
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const a = await tidings.send('sms', msg('a'));
    const b = await tidings.send('sms', msg('b'));
    expect((await a.settled).type).toBe('expired');
    const bTerminal = await b.settled;
    expect(bTerminal.type).toBe('undelivered');
    expect(bTerminal.type === 'undelivered' && bTerminal.error.code).toBe(ErrorCode.Undelivered);
  });

  it('ignores a receipt that is not final (enroute) and settles on the final one', async () => {
    const sms = fakeChannel({
      name: 'sms',
      script: [FakeOutcome.accept({ providerMessageId: '77', receiptDelayMs: 60_000 })],
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    await handle.accepted;
    sms.control.report({ providerMessageId: '77', state: 'enroute' });
    sms.control.report({ providerMessageId: '77', state: 'delivered' });
    expect((await handle.settled).type).toBe('delivered');
  });
});

describe('retries', () => {
  it('retries a transient failure with backoff and a retrying event, then succeeds', async () => {
    const sms = fakeChannel({
      name: 'sms',
      settings: fast,
      script: [FakeOutcome.transient(), FakeOutcome.transient()],
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    expect((await handle.settled).type).toBe('delivered');
    expect(typesOf(events, handle.id)).toEqual([
      'queued',
      'submitted',
      'retrying',
      'submitted',
      'retrying',
      'submitted',
      'accepted',
      'delivered',
    ]);
    const retrying = events.filter((e) => e.type === 'retrying');
    expect(retrying.map((e) => e.attempt)).toEqual([1, 2]);
    expect(retrying.every((e) => e.type === 'retrying' && e.delayMs >= 0 && !e.channelPaused)).toBe(true);
    expect(sms.control.sends.map((s) => s.attempt)).toEqual([1, 2, 3]);
  });

  it('gives up after maxAttempts with TIDINGS_RETRIES_EXHAUSTED (one failed event)', async () => {
    const sms = fakeChannel({
      name: 'sms',
      settings: { retry: { ...fast.retry, maxAttempts: 3 } },
      script: () => FakeOutcome.transient(),
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    const terminal = await handle.settled;
    expect(terminal.type).toBe('failed');
    expect(terminal.type === 'failed' && terminal.error.code).toBe(ErrorCode.RetriesExhausted);
    expect(terminal.type === 'failed' && (terminal.error.cause as TidingsError).providerStatus).toBe(0x08);
    expect(sms.control.sends).toHaveLength(3);
    expectOneTerminal(events, handle.id);
    await expect(handle.accepted).rejects.toMatchObject({ code: ErrorCode.RetriesExhausted });
  });

  it('never retries a permanent refusal: one attempt, a terminal rejected event with the provider status', async () => {
    const sms = fakeChannel({ name: 'sms', settings: fast, script: [FakeOutcome.permanent(0x0b)] });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    const terminal = await handle.settled;
    expect(terminal).toMatchObject({ type: 'rejected', terminal: true });
    expect(terminal.type === 'rejected' && terminal.error.providerStatus).toBe(0x0b);
    expect(sms.control.sends).toHaveLength(1);
    expect(typesOf(events, handle.id)).toEqual(['queued', 'submitted', 'rejected']);
  });

  it('does not resend a message the provider says to fix', async () => {
    const sms = fakeChannel({
      name: 'sms',
      settings: fast,
      script: [FakeOutcome.reject({ providerStatus: 0x0a, retry: RetryDecision.fix(), code: ErrorCode.Rejected })],
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    expect((await handle.settled).type).toBe('rejected');
    expect(sms.control.sends).toHaveLength(1);
  });

  it('ambiguous outcomes: retried by default, failed at once with ambiguous: "fail"', async () => {
    const retrying = fakeChannel({ name: 'retrying', settings: fast, script: [FakeOutcome.connectionLost()] });
    const failing = fakeChannel({
      name: 'failing',
      settings: { ...fast, ambiguous: 'fail' },
      script: [FakeOutcome.connectionLost()],
    });
    const { tidings } = await start(createTidings({ plugins: [retrying, failing] }));
    const a = await tidings.send('retrying', msg());
    const b = await tidings.send('failing', msg());
    expect((await a.settled).type).toBe('delivered');
    expect(retrying.control.sends).toHaveLength(2);
    const bTerminal = await b.settled;
    expect(bTerminal.type).toBe('failed');
    expect(bTerminal.type === 'failed' && bTerminal.error).toMatchObject({
      code: ErrorCode.ConnectionLost,
      ambiguous: true,
      channel: 'failing',
    });
    expect(failing.control.sends).toHaveLength(1);
  });

  it('ends a send the channel never answers with a timeout, retried as ambiguous', async () => {
    const sms = fakeChannel({
      name: 'sms',
      settings: { ...fast, submitTimeoutMs: 20, retry: { ...fast.retry, maxAttempts: 2 } },
      script: () => FakeOutcome.hang(),
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    const terminal = await handle.settled;
    expect(terminal.type).toBe('failed');
    expect(terminal.type === 'failed' && terminal.error.code).toBe(ErrorCode.RetriesExhausted);
    expect(terminal.type === 'failed' && (terminal.error.cause as TidingsError).code).toBe(ErrorCode.Timeout);
    expect(sms.control.sends).toHaveLength(2);
    expectOneTerminal(events, handle.id);
  });

  it('aborts the attempt’s signal for a channel that listens to it, with the timeout as reason', async () => {
    const signals: AbortSignal[] = [];
    const sms = fakeChannel({
      name: 'sms',
      settings: { submitTimeoutMs: 20, retry: { maxAttempts: 1 } },
      script: (_message, context) => {
        signals.push(context.signal);
        return FakeOutcome.hang();
      },
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    await handle.settled;
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toMatchObject({ code: ErrorCode.Timeout, ambiguous: true });
  });

  it('tells a channel listening on context.cancellation, and a signal read after the abort is aborted too', async () => {
    const seen: { aborted: boolean; reason: unknown; calls: number; late?: AbortSignal }[] = [];
    const sms = fakeChannel({
      name: 'sms',
      settings: { submitTimeoutMs: 20, retry: { maxAttempts: 1 } },
      script: (_message, context) => {
        const cancellation = context.cancellation;
        if (!cancellation) throw new Error('the runtime gives every attempt a cancellation');
        const entry: (typeof seen)[number] = { aborted: cancellation.aborted, reason: undefined, calls: 0 };
        seen.push(entry);
        const listener = (): void => {
          entry.calls++;
          entry.aborted = cancellation.aborted;
          entry.reason = cancellation.reason;
          entry.late = context.signal;
        };
        cancellation.addEventListener('abort', listener, { once: true });
        cancellation.addEventListener('abort', listener); // the same listener twice: called once
        const removed = (): void => {
          entry.calls += 100;
        };
        cancellation.addEventListener('abort', removed);
        cancellation.removeEventListener('abort', removed);
        return FakeOutcome.hang();
      },
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    await handle.settled;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ aborted: true, calls: 1, reason: { code: ErrorCode.Timeout, ambiguous: true } });
    expect(seen[0]?.late?.aborted).toBe(true);
    expect(seen[0]?.late?.reason).toBe(seen[0]?.reason);
  });

  it('wraps a channel that throws something odd into a failed event, never silence', async () => {
    const sms = fakeChannel({
      name: 'sms',
      script: () => {
        throw new Error('boom');
      },
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    const terminal = await handle.settled;
    expect(terminal.type).toBe('failed');
    expectOneTerminal(events, handle.id);
  });

  it('fails a message whose receipt never comes with TIDINGS_RECEIPT_TIMEOUT', async () => {
    const sms = fakeChannel({
      name: 'sms',
      settings: { receiptTimeoutMs: 20 },
      script: [FakeOutcome.accept({ receiptDelayMs: 10_000 })],
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    const terminal = await handle.settled;
    expect(terminal.type === 'failed' && terminal.error.code).toBe(ErrorCode.ReceiptTimeout);
  });
});

describe('an injected clock', () => {
  it('drives backoff, timestamps and receipt deadlines from the host’s clock', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const sms = fakeChannel({
      name: 'sms',
      settings: { retry: { initialDelayMs: 10_000, jitter: 0 }, receiptTimeoutMs: 60_000 },
      script: [FakeOutcome.transient(), FakeOutcome.accept({ receiptDelayMs: 120_000 })],
    });
    const { tidings } = await start(createTidings({ plugins: [sms], clock }));
    const handle = await tidings.send('sms', msg());
    await clock.advanceAsync(0);
    expect(handle.last).toMatchObject({ type: 'retrying', delayMs: 10_000, timestamp: 1_700_000_000_000 });
    await clock.advanceAsync(9_999);
    expect(sms.control.sends).toHaveLength(1);
    await clock.advanceAsync(1);
    expect(sms.control.sends).toHaveLength(2);
    expect(handle.last?.type).toBe('accepted');
    await clock.advanceAsync(60_000);
    const terminal = await handle.settled;
    expect(terminal).toMatchObject({ type: 'failed', timestamp: 1_700_000_070_000 });
    expect(terminal.type === 'failed' && terminal.error.code).toBe(ErrorCode.ReceiptTimeout);
  });
});

describe('pause windows', () => {
  it('a throttled send pauses the whole channel: nothing is sent until the pause ends, then all go', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    let throttleOnce = true;
    const sms = fakeChannel({
      name: 'sms',
      settings: { maxInFlight: 1 },
      script: () => {
        if (throttleOnce) {
          throttleOnce = false;
          return FakeOutcome.throttled(5_000);
        }
        return FakeOutcome.accept();
      },
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const states: boolean[] = [];
    tidings.state$('sms').subscribe((s) => states.push(s.paused));
    const handles = await Promise.all([1, 2, 3].map((i) => tidings.send('sms', msg(`m${i}`))));
    await vi.advanceTimersByTimeAsync(1);
    expect(sms.control.sends).toHaveLength(1);
    const retrying = events.find((e) => e.type === 'retrying');
    expect(retrying).toMatchObject({ type: 'retrying', delayMs: 5_000, channelPaused: true });
    await vi.advanceTimersByTimeAsync(4_900);
    expect(sms.control.sends).toHaveLength(1);
    expect(states.at(-1)).toBe(true);
    await vi.advanceTimersByTimeAsync(200);
    const terminals = await Promise.all(handles.map((h) => h.settled));
    expect(terminals.map((t) => t.type)).toEqual(['delivered', 'delivered', 'delivered']);
    // The throttled message goes first again when the pause ends.
    expect(sms.control.sends.map((s) => (s.message as MessageBase).text)).toEqual(['m1', 'm1', 'm2', 'm3']);
    expect(states).toEqual([false, true, false]);
  });

  it('counts throttling apart from ordinary failures: a storm does not exhaust maxAttempts', async () => {
    let n = 0;
    const sms = fakeChannel({
      name: 'sms',
      settings: { retry: { maxAttempts: 2 } },
      script: () => (++n <= 6 ? FakeOutcome.throttled(1) : FakeOutcome.accept()),
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    expect((await handle.settled).type).toBe('delivered');
    expect(sms.control.sends).toHaveLength(7);
  });
});

describe('fallback across channels', () => {
  it('moves to the next channel on rejection; events say which channel each attempt used', async () => {
    const telegram = fakeChannel({ name: 'telegram', script: [FakeOutcome.permanent(0x0b)] });
    const sms = fakeChannel({ name: 'sms' });
    const { tidings, events } = await start(createTidings({ plugins: [telegram, sms] }));
    const handle = await tidings.send(['telegram', 'sms'], msg('code 1234', { code: '1234' }));
    const terminal = await handle.settled;
    expect(terminal).toMatchObject({ type: 'delivered', channel: 'sms' });
    const own = events.filter((e) => e.messageId === handle.id);
    expect(own.map((e) => `${e.channel}:${e.type}`)).toEqual([
      'telegram:queued',
      'telegram:submitted',
      'telegram:rejected',
      'telegram:fallback',
      'sms:queued',
      'sms:submitted',
      'sms:accepted',
      'sms:delivered',
    ]);
    expect(own.find((e) => e.type === 'rejected')?.terminal).toBe(false);
    expect(own.find((e) => e.type === 'fallback')).toMatchObject({ from: 'telegram', to: 'sms' });
    expect(own.at(-1)?.attempt).toBe(2);
    expectOneTerminal(events, handle.id);
  });

  it('moves on when the first channel reports the message undelivered', async () => {
    const telegram = fakeChannel({ name: 'telegram', script: [FakeOutcome.accept({ receipt: 'undelivered' })] });
    const sms = fakeChannel({ name: 'sms' });
    const { tidings } = await start(createTidings({ plugins: [telegram, sms] }));
    const handle = await tidings.send(['telegram', 'sms'], msg());
    expect(await handle.settled).toMatchObject({ type: 'delivered', channel: 'sms' });
  });

  it('gives every channel of the list the text with {code} replaced by the code', async () => {
    const telegram = fakeChannel({ name: 'telegram', script: [FakeOutcome.accept({ receipt: 'undelivered' })] });
    const sms = fakeChannel({ name: 'sms' });
    const { tidings } = await start(createTidings({ plugins: [telegram, sms] }));
    const handle = await tidings.send(['telegram', 'sms'], { to: '+79036550550', code: '4821', text: 'Code: {code}' });
    expect(await handle.settled).toMatchObject({ type: 'delivered', channel: 'sms' });
    expect(telegram.control.sends[0]?.message.text).toBe('Code: 4821');
    expect(sms.control.sends[0]?.message.text).toBe('Code: 4821');
    await expect(tidings.send('sms', { to: '+79036550550', text: 'Code: {code}' })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
    });
  });

  it('moves on when the first channel fails after its retries', async () => {
    const telegram = fakeChannel({
      name: 'telegram',
      settings: { retry: { ...fast.retry, maxAttempts: 2 } },
      script: () => FakeOutcome.transient(),
    });
    const sms = fakeChannel({ name: 'sms' });
    const { tidings } = await start(createTidings({ plugins: [telegram, sms] }));
    const handle = await tidings.send(['telegram', 'sms'], msg());
    expect(await handle.settled).toMatchObject({ type: 'delivered', channel: 'sms' });
    expect(telegram.control.sends).toHaveLength(2);
  });

  it('moves on when no receipt comes within fallbackAfterMs, and ignores the late receipt', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const telegram = fakeChannel({
      name: 'telegram',
      script: [FakeOutcome.accept({ providerMessageId: 'slow', receiptDelayMs: 120_000 })],
    });
    const sms = fakeChannel({ name: 'sms', script: [FakeOutcome.accept({ receiptDelayMs: 1_000 })] });
    const { tidings, events } = await start(createTidings({ plugins: [telegram, sms] }));
    const handle = await tidings.send(['telegram', 'sms'], msg(), { fallbackAfterMs: 30_000 });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(handle.last?.type).toBe('accepted');
    await vi.advanceTimersByTimeAsync(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await handle.settled).toMatchObject({ type: 'delivered', channel: 'sms' });
    const fallback = events.find((e) => e.type === 'fallback');
    expect(fallback?.type === 'fallback' && fallback.reason.code).toBe(ErrorCode.ReceiptTimeout);
    await vi.advanceTimersByTimeAsync(120_000);
    expectOneTerminal(events, handle.id);
  });

  it('ends with the last channel’s outcome when every channel fails', async () => {
    const a = fakeChannel({ name: 'a', script: [FakeOutcome.permanent(1)] });
    const b = fakeChannel({ name: 'b', script: [FakeOutcome.permanent(2)] });
    const { tidings, events } = await start(createTidings({ plugins: [a, b] }));
    const handle = await tidings.send(['a', 'b'], msg());
    const terminal = await handle.settled;
    expect(terminal).toMatchObject({ type: 'rejected', channel: 'b', terminal: true });
    expect(terminal.type === 'rejected' && terminal.error.providerStatus).toBe(2);
    expectOneTerminal(events, handle.id);
  });

  it('validates the message against every listed channel before sending anything', async () => {
    const strict = fakeChannel({
      name: 'strict',
      validate: (m) => {
        if (!m.code) throw new TidingsError(ErrorCode.InvalidMessage, 'a code is required');
      },
    });
    const lax = fakeChannel({ name: 'lax' });
    const { tidings, events } = await start(createTidings({ plugins: [lax, strict] }));
    await expect(tidings.send(['lax', 'strict'], msg())).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
      channel: 'strict',
    });
    expect(events).toEqual([]);
    expect(lax.control.sends).toEqual([]);
  });
});

describe('idempotency', () => {
  it('the same key returns the same handle and sends once', async () => {
    const sms = fakeChannel({ name: 'sms' });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    const [a, b] = await Promise.all([
      tidings.send('sms', msg('x', { idempotencyKey: 'login-42' })),
      tidings.send('sms', msg('x', { idempotencyKey: 'login-42' })),
    ]);
    expect(b).toBe(a);
    await a.settled;
    const c = await tidings.send('sms', msg('x', { idempotencyKey: 'login-42' }));
    expect(c).toBe(a);
    const d = await tidings.send('sms', msg('x', { idempotencyKey: 'login-43' }));
    expect(d).not.toBe(a);
    await d.settled;
    expect(sms.control.sends).toHaveLength(2);
  });

  it('refuses a key the store knows from elsewhere with TIDINGS_DUPLICATE', async () => {
    const store = new InMemoryMessageStore();
    await store.create({
      id: 'elsewhere',
      channels: ['sms'],
      channel: 'sms',
      status: 'queued',
      attempt: 0,
      terminal: false,
      createdAt: 0,
      updatedAt: 0,
      idempotencyKey: 'k',
    });
    const sms = fakeChannel({ name: 'sms' });
    const { tidings } = await start(createTidings({ plugins: [sms], store }));
    await expect(tidings.send('sms', msg('x', { idempotencyKey: 'k' }))).rejects.toMatchObject({
      code: ErrorCode.Duplicate,
      details: { messageId: 'elsewhere' },
    });
    expect(sms.control.sends).toEqual([]);
  });

  it('records messages and provider-id correlation in the store', async () => {
    const store = new InMemoryMessageStore();
    const sms = fakeChannel({ name: 'sms', script: [FakeOutcome.accept({ providerMessageId: 'pid-9' })] });
    const { tidings } = await start(createTidings({ plugins: [sms], store }));
    const handle = await tidings.send('sms', msg());
    await handle.settled;
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(await store.resolve('sms', 'pid-9')).toBe(handle.id);
    expect(await store.get(handle.id)).toMatchObject({
      status: 'delivered',
      terminal: true,
      providerMessageId: 'pid-9',
    });
  });
});

describe('stop()', () => {
  it('drains in-flight messages, then completes every stream', async () => {
    const sms = fakeChannel({ name: 'sms', latencyMs: 5 });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handles = await Promise.all(Array.from({ length: 50 }, (_, i) => tidings.send('sms', msg(`m${i}`))));
    const eventsDone = lastValueFrom(tidings.events$.pipe(toArray()));
    const statesDone = lastValueFrom(tidings.state$('sms').pipe(toArray()));
    await tidings.stop({ timeoutMs: 5_000, waitForReceipts: true });
    await eventsDone;
    expect((await statesDone).at(-1)?.status).toBe('stopped');
    const terminals = await Promise.all(handles.map((h) => h.settled));
    expect(terminals.every((t) => t.type === 'delivered')).toBe(true);
    for (const handle of handles) expectOneTerminal(events, handle.id);
  });

  it('ends what cannot drain by the deadline with a TIDINGS_SHUTDOWN failure, exactly once', async () => {
    const sms = fakeChannel({
      name: 'sms',
      settings: { maxInFlight: 2 },
      script: (m) => (m.text === 'hang' ? FakeOutcome.hang() : FakeOutcome.accept({ receiptDelayMs: 60_000 })),
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const hanging = await tidings.send('sms', msg('hang'));
    const awaitingReceipt = await tidings.send('sms', msg('ok'));
    await awaitingReceipt.accepted;
    const queued = await Promise.all([1, 2, 3].map(() => tidings.send('sms', msg('hang'))));
    await tidings.stop({ timeoutMs: 20 });
    for (const handle of [hanging, awaitingReceipt, ...queued]) {
      const terminal = await handle.settled;
      expect(terminal.type).toBe('failed');
      expect(terminal.type === 'failed' && terminal.error.code).toBe(ErrorCode.Shutdown);
      expectOneTerminal(events, handle.id);
    }
    const receiptMessage = (await awaitingReceipt.settled) as { error: TidingsError };
    expect(receiptMessage.error.message).toContain('accepted it as');
  });

  it('refuses new sends while stopping and after', async () => {
    const { tidings } = await start(createTidings({ plugins: [fakeChannel({ name: 'sms' })] }));
    const stopping = tidings.stop();
    await expect(tidings.send('sms', msg())).rejects.toMatchObject({ code: ErrorCode.Shutdown });
    await stopping;
    await expect(tidings.send('sms', msg())).rejects.toMatchObject({ code: ErrorCode.Shutdown });
    await tidings.stop(); // twice is fine
  });

  it('stops retrying at the deadline: a message waiting for a retry ends once', async () => {
    const sms = fakeChannel({
      name: 'sms',
      settings: { retry: { initialDelayMs: 60_000, jitter: 0 } },
      script: () => FakeOutcome.transient(),
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    await vi.waitFor(() => expect(handle.last?.type).toBe('retrying'));
    await tidings.stop({ timeoutMs: 10 });
    expect((await handle.settled).type).toBe('failed');
    expectOneTerminal(events, handle.id);
  });
});

describe('bad input', () => {
  it('rejects an unknown channel, naming the loaded ones, before sending', async () => {
    const { tidings, events } = await start(createTidings({ plugins: [fakeChannel({ name: 'sms' })] }));
    const error = await (tidings as unknown as Tidings).send('nope', msg()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TidingsError);
    expect(error).toMatchObject({ code: ErrorCode.UnknownChannel });
    expect((error as Error).message).toContain('"sms"');
    expect(events).toEqual([]);
  });

  it.each([
    ['not an object', 'hello'],
    ['no recipient', { text: 'x' }],
    ['no content', { to: '+1555' }],
    ['text of the wrong type', { to: '+1555', text: 42 }],
    ['empty text', { to: '+1555', text: '' }],
    ['an empty code', { to: '+1555', code: '' }],
  ])('rejects a message with %s as TIDINGS_INVALID_MESSAGE', async (_label, message) => {
    const sms = fakeChannel({ name: 'sms' });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    await expect((tidings as unknown as Tidings).send('sms', message as MessageBase)).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
    });
    expect(events).toEqual([]);
    expect(sms.control.sends).toEqual([]);
  });

  it('rejects an empty channel list, a repeated channel and a bad fallbackAfterMs', async () => {
    const { tidings } = await start(
      createTidings({ plugins: [fakeChannel({ name: 'a' }), fakeChannel({ name: 'b' })] }),
    );
    const t = tidings as unknown as Tidings;
    await expect(t.send([] as unknown as [string], msg())).rejects.toMatchObject({ code: ErrorCode.InvalidMessage });
    await expect(t.send(['a', 'a'], msg())).rejects.toMatchObject({ code: ErrorCode.InvalidMessage });
    await expect(t.send(['a', 'b'], msg(), { fallbackAfterMs: -1 })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
    });
  });

  it('refuses more than maxQueued waiting messages with a retryable TIDINGS_QUEUE_FULL', async () => {
    const sms = fakeChannel({
      name: 'sms',
      settings: { maxInFlight: 1, maxQueued: 2 },
      script: () => FakeOutcome.hang(),
    });
    const { tidings } = await start(createTidings({ plugins: [sms] }));
    await tidings.send('sms', msg('1'));
    await vi.waitFor(() => expect(sms.control.sends).toHaveLength(1));
    await tidings.send('sms', msg('2'));
    await tidings.send('sms', msg('3'));
    const error = await tidings.send('sms', msg('4')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.QueueFull, retry: { kind: 'retry' } });
  });
});

describe('composition', () => {
  it('composes two plugins and two instances of one plugin under different names', async () => {
    const smscMain = fakeChannel({
      name: 'smsc-main',
      kind: 'smsc',
      script: [FakeOutcome.accept({ providerMessageId: 'm' })],
    });
    const smscBulk = fakeChannel({
      name: 'smsc-bulk',
      kind: 'smsc',
      script: [FakeOutcome.accept({ providerMessageId: 'b' })],
    });
    const telegram = fakeChannel({ name: 'telegram', kind: 'telegram' });
    const { tidings } = await start(createTidings({ plugins: [smscMain, smscBulk, telegram] }));
    expect(tidings.channels).toEqual(['smsc-main', 'smsc-bulk', 'telegram']);
    const a = await tidings.send('smsc-main', msg());
    const b = await tidings.send('smsc-bulk', msg());
    const c = await tidings.send('telegram', msg('code', { code: '1234' }));
    expect((await a.accepted).providerMessageId).toBe('m');
    expect((await b.accepted).providerMessageId).toBe('b');
    await c.settled;
    expect(smscMain.control.sends).toHaveLength(1);
    expect(smscBulk.control.sends).toHaveLength(1);
    expect(smscMain.control.channel).not.toBe(smscBulk.control.channel);
    expect(smscMain.control.channel.name).toBe('smsc-main');
  });

  it('routes each channel’s receipts to its own messages even when provider ids collide', async () => {
    const a = fakeChannel({
      name: 'a',
      script: [FakeOutcome.accept({ providerMessageId: '1', receiptDelayMs: 60_000 })],
    });
    const b = fakeChannel({
      name: 'b',
      script: [FakeOutcome.accept({ providerMessageId: '1', receiptDelayMs: 60_000 })],
    });
    const { tidings } = await start(createTidings({ plugins: [a, b] }));
    const ha = await tidings.send('a', msg());
    const hb = await tidings.send('b', msg());
    await Promise.all([ha.accepted, hb.accepted]);
    b.control.report({ providerMessageId: '1', state: 'undelivered' });
    expect((await hb.settled).type).toBe('undelivered');
    expect(ha.last?.type).toBe('accepted');
    a.control.report({ providerMessageId: '1', state: 'delivered' });
    expect((await ha.settled).type).toBe('delivered');
  });

  it('merges inbound messages from every channel, naming the channel', async () => {
    const a = fakeChannel({ name: 'a' });
    const b = fakeChannel({ name: 'b' });
    const { tidings } = await start(createTidings({ plugins: [a, b] }));
    const inbound: string[] = [];
    tidings.inbound$.subscribe((m) => inbound.push(`${m.channel}:${m.from}:${m.text}`));
    a.control.receive({ from: '+1', to: 'svc', text: 'yes' });
    b.control.receive({ from: '+2', to: 'svc', text: 'no' });
    expect(inbound).toEqual(['a:+1:yes', 'b:+2:no']);
  });

  it('streams every receipt on reports$, matched or not, naming the channel; completes on stop', async () => {
    const a = fakeChannel({ name: 'a' });
    const b = fakeChannel({ name: 'b' });
    const { tidings } = await start(createTidings({ plugins: [a, b] }));
    const reports: string[] = [];
    let completed = false;
    tidings.reports$.subscribe({
      next: (r) => reports.push(`${r.channel}:${r.providerMessageId}:${r.state}`),
      complete: () => {
        completed = true;
      },
    });
    const events: string[] = [];
    tidings.events$.subscribe((event) => events.push(event.type));
    b.control.report({ providerMessageId: 'not-ours', state: 'undelivered' });
    const handle = await tidings.send('a', { to: '+15550001111', text: 'hi' });
    const accepted = await handle.accepted;
    expect((await handle.settled).type).toBe('delivered');
    expect(reports).toEqual(['b:not-ours:undelivered', `a:${accepted.providerMessageId}:delivered`]);
    // A receipt for no message of this runtime reaches reports$ and no message's events.
    expect(events).toEqual(['queued', 'submitted', 'accepted', 'delivered']);
    await tidings.stop();
    expect(completed).toBe(true);
  });

  it('reports a plugin that fails to start, by name, and stops the others', async () => {
    const good = fakeChannel({ name: 'good' });
    const bad = fakeChannel({ name: 'bad', kind: 'smsc', startError: 'authentication refused' });
    const error = await createTidings({ plugins: [good, bad] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.StartFailed, channel: 'bad' });
    expect((error as Error).message).toContain('smsc channel "bad": authentication refused');
    expect(good.control.channel.name).toBe('good');
    const states: string[] = [];
    good.control.channel.state$.subscribe((s) => states.push(s.status));
    expect(states.at(-1)).toBe('stopped');
  });

  it('rejects bad runtime options with messages naming the plugin and option', async () => {
    await expect(createTidings({ plugins: [] })).rejects.toMatchObject({ code: ErrorCode.InvalidOptions });
    await expect(createTidings({ plugins: [fakeChannel({ name: 'x' }), fakeChannel({ name: 'x' })] })).rejects.toThrow(
      /two plugins are named "x"/,
    );
    await expect(
      createTidings({ plugins: [fakeChannel({ name: 'x' })], channelSettings: { x: { maxInFlight: 0 } } }),
    ).rejects.toThrow(/fake channel "x": maxInFlight must be an integer ≥ 1/);
    expect(() => fakeChannel({ name: 'bad name!' })).toThrow(/option "name"/);
    expect(() => fakeChannel({ name: 'y', settings: { retry: { jitter: 2 } } })).toThrow(/retry.jitter/);
  });

  it('lets a host module provide the message store, and an explicit option override it', async () => {
    const fromModule = new InMemoryMessageStore();
    const explicit = new InMemoryMessageStore();
    const module = new ContainerModule(({ bind }) => {
      bind(TOKENS.MessageStore).toConstantValue(fromModule);
    });
    const sms = fakeChannel({ name: 'sms' });
    const first = await start(createTidings({ plugins: [sms], modules: [module] }));
    const a = await first.tidings.send('sms', msg());
    await a.settled;
    expect(await fromModule.get(a.id)).toBeDefined();
    await first.tidings.stop();
    expect(fromModule.size).toBeGreaterThan(0); // a store the host provided is not closed by the runtime

    const second = await start(
      createTidings({ plugins: [fakeChannel({ name: 'sms' })], modules: [module], store: explicit }),
    );
    const b = await second.tidings.send('sms', msg());
    await b.settled;
    expect(await explicit.get(b.id)).toBeDefined();
    expect(await fromModule.get(b.id)).toBeUndefined();
  });

  it('hands plugins the host’s logger through DI', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: (m) => lines.push(m),
      warn: (m) => lines.push(m),
      error: (m) => lines.push(m),
    };
    const sms = fakeChannel({ name: 'sms', script: [FakeOutcome.throttled(1)] });
    const { tidings } = await start(createTidings({ plugins: [sms], logger }));
    const handle = await tidings.send('sms', msg());
    await handle.settled;
    expect(lines).toContain('channel paused');
  });
});

describe('exactly one terminal event under load', () => {
  it('holds for 500 messages with random outcomes, fallback and a stop in the middle', async () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = (): FakeOutcome => {
      const r = random();
      if (r < 0.4) return FakeOutcome.accept({ receiptDelayMs: Math.floor(random() * 5) });
      if (r < 0.5) return FakeOutcome.accept({ receiptFirst: true, duplicateReceipt: true });
      if (r < 0.6) return FakeOutcome.transient(1);
      if (r < 0.7) return FakeOutcome.throttled(1);
      if (r < 0.8) return FakeOutcome.permanent();
      if (r < 0.85) return FakeOutcome.connectionLost();
      if (r < 0.9) return FakeOutcome.hang();
      return FakeOutcome.accept({ receipt: random() < 0.5 ? 'undelivered' : 'expired' });
    };
    const settings: ChannelSettings = { ...fast, submitTimeoutMs: 10, maxInFlight: 20 };
    const a = fakeChannel({ name: 'a', settings, script: pick, latencyMs: 1 });
    const b = fakeChannel({ name: 'b', settings, script: pick });
    const { tidings, events } = await start(createTidings({ plugins: [a, b] }));
    const handles = await Promise.all(
      Array.from({ length: 500 }, (_, i) => tidings.send(i % 3 === 0 ? 'a' : ['a', 'b'], msg(`m${i}`))),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    await tidings.stop({ timeoutMs: 50 });
    const terminals = await Promise.all(handles.map((h) => h.settled));
    expect(terminals).toHaveLength(500);
    const terminalCount = new Map<string, number>();
    for (const event of events) {
      if (event.terminal) terminalCount.set(event.messageId, (terminalCount.get(event.messageId) ?? 0) + 1);
    }
    expect(terminalCount.size).toBe(500);
    expect([...terminalCount.values()].every((n) => n === 1)).toBe(true);
    for (const handle of handles) expect(events.filter((e) => e.messageId === handle.id).at(-1)?.terminal).toBe(true);
  });
});

describe('query()', () => {
  it('asks the channel for a message state by provider id, without settling the message', async () => {
    const asked: string[] = [];
    const sms = fakeChannel({
      name: 'sms',
      script: [FakeOutcome.accept({ providerMessageId: 'p-1', receipt: 'none' })],
      query: (id) => {
        asked.push(id);
        return { providerMessageId: id, state: 'delivered' };
      },
    });
    const { tidings, events } = await start(createTidings({ plugins: [sms] }));
    const handle = await tidings.send('sms', msg());
    const accepted = await handle.accepted;
    await expect(tidings.query('sms', accepted.providerMessageId)).resolves.toEqual({
      providerMessageId: 'p-1',
      state: 'delivered',
    });
    expect(asked).toEqual(['p-1']);
    expect(typesOf(events, handle.id)).not.toContain('delivered');
  });

  it('refuses a channel that cannot query, an unknown channel and an empty id, with typed errors', async () => {
    const { tidings } = await start(createTidings({ plugins: [fakeChannel({ name: 'plain' })] }));
    await expect(tidings.query('plain', '1')).rejects.toMatchObject({ code: ErrorCode.Unsupported, channel: 'plain' });
    await expect((tidings as unknown as Tidings).query('nope', '1')).rejects.toMatchObject({
      code: ErrorCode.UnknownChannel,
    });
    await expect(tidings.query('plain', '')).rejects.toMatchObject({ code: ErrorCode.InvalidMessage });
  });
});
