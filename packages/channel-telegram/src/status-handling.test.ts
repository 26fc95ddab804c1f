import { ErrorCode, type MessageEvent, type RetryingEvent, type TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import type { SmppClient } from '@tidings/transport-smpp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { gatewayOptions, startGateway, startRuntime, submits, typesOf } from './telegram.test-helper.js';
import type { TelegramChannel } from './telegram-channel.js';
import type { TelegramMessage } from './telegram-message.js';
import { telegramChannel } from './telegram-plugin.js';
import { maxQueueFullInARow, telegramStatuses } from './telegram-statuses.js';

const message = (code = '123456', to = '+79036550550'): TelegramMessage => ({ to, code });
const retrying = (events: readonly MessageEvent[], id: string): RetryingEvent[] =>
  events.filter((event): event is RetryingEvent => event.type === 'retrying' && event.messageId === id);
const hex = (status: number): string => `0x${status.toString(16).toUpperCase().padStart(2, '0')}`;

describe('telegram channel: every status of the page, over TCP', () => {
  for (const info of telegramStatuses.values()) {
    if (info.class !== 'fix' && info.class !== 'permanent') continue;
    const decision = info.class === 'fix' ? 'fix' : 'never';
    it(`${hex(info.status)} (${info.meaning}) ends the message as rejected, retry "${decision}", not resent`, async () => {
      const sim = await startGateway({}, { faults: { rejectEveryNth: { n: 1, status: info.status } } });
      const { tidings } = await startRuntime(sim);
      const end = await (await tidings.send('telegram', message())).settled;
      expect(end.type).toBe('rejected');
      const error = (end as { error: TidingsError }).error;
      expect(error.code).toBe(ErrorCode.Rejected);
      expect(error.providerStatus).toBe(info.status);
      expect(error.retry.kind).toBe(decision);
      expect(error.message).toContain(info.meaning);
      expect(error.details).toMatchObject({ meaning: info.meaning, action: info.action });
      expect(submits(sim)).toHaveLength(1);
    });
  }

  it('0x08 (system error) is retried with backoff, then given up with the status and its meaning', async () => {
    const sim = await startGateway({}, { faults: { rejectEveryNth: { n: 1, status: 0x08 } } });
    const { tidings, events } = await startRuntime(sim, {
      settings: { retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, jitter: 0 } },
    });
    const handle = await tidings.send('telegram', message());
    const end = await handle.settled;
    expect(end.type).toBe('failed');
    const error = (end as { error: TidingsError }).error;
    expect(error.code).toBe(ErrorCode.RetriesExhausted);
    expect(error.providerStatus).toBe(0x08);
    // The final error itself carries the page's meaning and advice, as every refusal does.
    expect(error.details).toMatchObject({
      meaning: telegramStatuses.get(0x08)?.meaning,
      action: telegramStatuses.get(0x08)?.action,
    });
    expect(error.message).toContain('Technical Support');
    const retries = retrying(events, handle.id);
    expect(retries.map((event) => [event.channelPaused, event.error.retry.kind])).toEqual([
      [false, 'retry'],
      [false, 'retry'],
    ]);
    expect(retries.map((event) => event.delayMs)).toEqual([5, 10]);
    expect(submits(sim)).toHaveLength(3);
  });

  for (const [status, fault] of [
    [0x14, 'queueFull'],
    [0x58, 'throttle'],
  ] as const) {
    it(`${hex(status)} pauses the whole channel for throttlePauseMs (5 s by default), then retries the failed message`, async () => {
      const sim = await startGateway({}, { faults: { [fault]: { submits: 2 } } });
      const { tidings, events } = await startRuntime(sim, { throttlePauseMs: 25 });
      const handle = await tidings.send('telegram', message());
      expect((await handle.settled).type).toBe('delivered');
      const retries = retrying(events, handle.id);
      expect(retries).toHaveLength(2);
      for (const event of retries) {
        expect(event.channelPaused).toBe(true);
        expect(event.delayMs).toBe(25);
        expect(event.error.code).toBe(ErrorCode.Throttled);
        expect(event.error.providerStatus).toBe(status);
        expect(event.error.retry).toEqual({ kind: 'pause', pauseMs: 25 });
        expect(event.error.details?.meaning).toBe(telegramStatuses.get(status)?.meaning);
      }
      expect(submits(sim)).toHaveLength(3);
    });
  }
});

describe('telegram channel: 0x14 (queue full) more than 5 times in a row', () => {
  it('stops retrying on the 6th 0x14 in a row and reports it for escalation', async () => {
    const sim = await startGateway({}, { faults: { queueFull: true } });
    const { tidings, events } = await startRuntime(sim);
    const handle = await tidings.send('telegram', message());
    const end = await handle.settled;
    expect(end.type).toBe('failed');
    const error = (end as { error: TidingsError }).error;
    expect(error.code).toBe(ErrorCode.RetriesExhausted);
    expect(error.providerStatus).toBe(0x14);
    expect(error.retry.kind).toBe('never');
    expect(error.details).toMatchObject({ escalate: true, queueFullInARow: maxQueueFullInARow + 1 });
    expect(error.message).toContain('Technical Support');
    expect(retrying(events, handle.id)).toHaveLength(maxQueueFullInARow);
    expect(submits(sim)).toHaveLength(maxQueueFullInARow + 1);
  });

  it('counts 0x14 in a row only: an accepted submit starts the count again', async () => {
    const sim = await startGateway({}, { faults: { queueFull: { submits: maxQueueFullInARow } } });
    const { tidings } = await startRuntime(sim);
    expect((await (await tidings.send('telegram', message('1111'))).settled).type).toBe('delivered');
    sim.faults.set({ queueFull: { submits: maxQueueFullInARow } });
    expect((await (await tidings.send('telegram', message('2222'))).settled).type).toBe('delivered');
    expect(submits(sim)).toHaveLength(2 * (maxQueueFullInARow + 1));
  });

  it('counts one round per pause: a window of submits all answered 0x14 is one 0x14, not many', async () => {
    const sim = await startGateway({}, { faults: { queueFull: { submits: 3 * maxQueueFullInARow } } });
    // A pause long enough for the three answers of a burst to arrive within it.
    const { tidings } = await startRuntime(sim, { throttlePauseMs: 100 });
    const handles = await Promise.all([1, 2, 3].map((i) => tidings.send('telegram', message(`${i}000`))));
    const ends = await Promise.all(handles.map((handle) => handle.settled));
    expect(ends.map((end) => end.type)).toEqual(['delivered', 'delivered', 'delivered']);
  });
});

describe("telegram channel: the profile's own refusals", () => {
  it("0x14 from the partner's queue: the message waits for the queue to shrink, then goes", async () => {
    let now = 0;
    const sim = await startGateway({ queue: { max: 1, drainMs: 1_000 }, now: () => now });
    sim.on('submit', (event) => {
      if (event.status === 0x14) now += 1_000;
    });
    const { tidings, events } = await startRuntime(sim);
    const handles = await Promise.all([
      tidings.send('telegram', message('1111')),
      tidings.send('telegram', message('2222')),
    ]);
    const ends = await Promise.all(handles.map((handle) => handle.settled));
    expect(ends.map((end) => end.type)).toEqual(['delivered', 'delivered']);
    expect(events.filter((event) => event.type === 'retrying').map((event) => event.error.providerStatus)).toEqual([
      0x14,
    ]);
  });

  it('0x58 over the rate limit: the channel resumes below its maxPerSecond', async () => {
    const sim = await startGateway({ maxPerSecond: 2, now: () => 0 });
    const channel = resolveChannel(telegramChannel(gatewayOptions(sim, { maxPerSecond: 10 }))) as TelegramChannel;
    await channel.start();
    onTestFinished(() => channel.stop());
    const controller = new AbortController();
    const send = (i: number) =>
      channel.send(message(`${1000 + i}`), { messageId: `m${i}`, attempt: 1, signal: controller.signal });
    const results = await Promise.allSettled([0, 1, 2].map(send));
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const refusal = (results[2] as PromiseRejectedResult).reason as TidingsError;
    expect(refusal.providerStatus).toBe(0x58);
    expect(refusal.retry.kind).toBe('pause');
    const client = (channel as unknown as { client: SmppClient }).client;
    expect(client.currentRate).toBeLessThan(10);
  });

  it('0x0A for a service name the account may not use', async () => {
    const sim = await startGateway({ serviceNames: ['Agreed'] });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('telegram', message())).settled;
    expect(end.type === 'rejected' && [end.error.providerStatus, end.error.retry.kind]).toEqual([0x0a, 'fix']);
    const agreed = await startRuntime(sim, { sender: 'Agreed' });
    expect((await (await agreed.tidings.send('telegram', message())).settled).type).toBe('delivered');
  });

  it('0x0B for a number the account may not send to: never resent', async () => {
    const sim = await startGateway({ blockedRecipients: ['79990000000'] });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('telegram', message('1234', '79990000000'))).settled;
    expect(end.type === 'rejected' && [end.error.providerStatus, end.error.retry.kind]).toEqual([0x0b, 'never']);
    expect(submits(sim)).toHaveLength(1);
  });

  it('0x45 once the trial quota is used: never resent', async () => {
    const sim = await startGateway({ trialMessages: 1 });
    const { tidings } = await startRuntime(sim);
    expect((await (await tidings.send('telegram', message('1111'))).settled).type).toBe('delivered');
    const end = await (await tidings.send('telegram', message('2222'))).settled;
    expect(end.type === 'rejected' && [end.error.providerStatus, end.error.retry.kind]).toEqual([0x45, 'never']);
    expect(submits(sim)).toHaveLength(2);
  });

  it('0xAB for the same text to the same number within 24 h (duplicate blocking): never resent', async () => {
    const sim = await startGateway({ duplicateBlocking: true });
    const { tidings, events } = await startRuntime(sim);
    expect((await (await tidings.send('telegram', message('1111'))).settled).type).toBe('delivered');
    const handle = await tidings.send('telegram', message('1111'));
    const end = await handle.settled;
    expect(end.type === 'rejected' && [end.error.providerStatus, end.error.retry.kind]).toEqual([0xab, 'never']);
    expect(typesOf(events, handle.id)).toEqual(['queued', 'submitted', 'rejected']);
  });

  it('0xAB counts accepted messages only: a submit refused with 0x14 (queue full) is delivered on its retry, not refused as a duplicate', async () => {
    let now = 0;
    const sim = await startGateway({ duplicateBlocking: true, queue: { max: 1, drainMs: 1_000 }, now: () => now });
    // The queue empties while the channel pauses after 0x14.
    sim.on('submit', (event) => {
      if (event.status === 0x14) now += 1_000;
    });
    const { tidings } = await startRuntime(sim);
    await (await tidings.send('telegram', message('1111', '79036550550'))).accepted;
    const end = await (await tidings.send('telegram', message('2222', '79036550551'))).settled;
    expect(submits(sim).map((submit) => submit.destination_addr)).toEqual([
      '79036550550',
      '79036550551',
      '79036550551',
    ]);
    expect(end.type === 'rejected' ? end.error.providerStatus : end.type).toBe('delivered');
  });

  it('0xAB for the same number in another accepted form: +79036550550 repeats 79036550550', async () => {
    const sim = await startGateway({ duplicateBlocking: true });
    const { tidings } = await startRuntime(sim);
    expect((await (await tidings.send('telegram', message('1234', '79036550550'))).settled).type).toBe('delivered');
    const again = await (await tidings.send('telegram', message('1234', '+79036550550'))).settled;
    expect(again.type === 'rejected' ? again.error.providerStatus : again.type).toBe(0xab);
  });

  it('0x0B for a blocked number in another accepted form: 79036550550 blocks 8-903-655-05-50', async () => {
    const sim = await startGateway({ blockedRecipients: ['79036550550'] });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('telegram', message('1234', '8-903-655-05-50'))).settled;
    expect(end.type === 'rejected' ? end.error.providerStatus : end.type).toBe(0x0b);
  });

  it('0x500 when the account concatenates via UDH only: reported with the advice, and `concatenation: "udh"` goes through', async () => {
    const sim = await startGateway({ concatenation: 'udh' });
    const long = { ...message(), text: `Your code is {code}. ${'Do not share it with anyone. '.repeat(10)}` };
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('telegram', long)).settled;
    expect(end.type).toBe('rejected');
    const error = (end as { error: TidingsError }).error;
    expect([error.providerStatus, error.retry.kind]).toEqual([0x500, 'fix']);
    expect(error.message).toContain('concatenation method mismatch');
    expect(error.details?.action).toContain("switch option concatenation ('payload' is TLV, 'udh' is UDH)");
    sim.clearReceived();
    const udh = await startRuntime(sim, { name: 'telegram', concatenation: 'udh' });
    expect((await (await udh.tidings.send('telegram', long)).settled).type).toBe('delivered');
    const parts = submits(sim);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((part) => (part.esm_class & 0x40) === 0x40)).toBe(true);
  });

  it('0x500 when the account concatenates via TLV only and the channel sends UDH', async () => {
    const sim = await startGateway({ concatenation: 'tlv' });
    const { tidings } = await startRuntime(sim, { concatenation: 'udh' });
    const text = `Your code is {code}. ${'Do not share it with anyone. '.repeat(10)}`;
    const end = await (await tidings.send('telegram', { ...message(), text })).settled;
    expect(end.type === 'rejected' && end.error.providerStatus).toBe(0x500);
  });
});
