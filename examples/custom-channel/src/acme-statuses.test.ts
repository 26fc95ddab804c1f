import { ErrorCode, RetryDecision, TidingsError } from '@tidings/core';
import { statusToError } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { startAcme, startRuntime, submits, typesOf } from './acme.test-helper.js';
import type { AcmeMessage } from './acme-message.js';
import { AcmeStatus, acmeStatusTable, buildAcmeStatusTable } from './acme-statuses.js';

const sms = (text: string, to = '+4915112345678'): AcmeMessage => ({ to, text });
const decision = (status: number) =>
  statusToError(status, { table: acmeStatusTable, channel: 'acme', command: 'submit_sm' });

describe('acme status table', () => {
  it.each([
    ['0x0A invalid sender', AcmeStatus.invalidSender, 'fix'],
    ['0x0B invalid recipient', AcmeStatus.invalidRecipient, 'never'],
    ['0x0401 unknown campaign', AcmeStatus.unknownCampaign, 'fix'],
    ['0x0402 no credit', AcmeStatus.noCredit, 'never'],
    ['0x0403 opted out', AcmeStatus.optedOut, 'never'],
    ['0x62 validity out of range', AcmeStatus.invalidValidity, 'fix'],
    ['0x104 data_coding refused', AcmeStatus.invalidDataCoding, 'fix'],
  ])('classifies %s as a rejection with retry "%s"', (_label, status, kind) => {
    const code = ErrorCode.Rejected;
    const error = decision(status);
    expect(error.retry.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.providerStatus).toBe(status);
  });

  it("pauses the channel 1 s on 0x58 and resends after 2 s on 0x0404, the page's timings", () => {
    expect(decision(AcmeStatus.throttled).retry).toEqual(RetryDecision.pause(1_000));
    expect(decision(AcmeStatus.throttled).code).toBe(ErrorCode.Throttled);
    expect(decision(AcmeStatus.routeBusy).retry).toEqual(RetryDecision.retry(2_000));
  });

  it('takes shortened timings for tests', () => {
    const table = buildAcmeStatusTable({ throttlePauseMs: 5, routeBusyRetryMs: 7 });
    expect(table.get(AcmeStatus.throttled)?.pauseMs).toBe(5);
    expect(table.get(AcmeStatus.routeBusy)?.retryAfterMs).toBe(7);
  });
});

describe('acme statuses over TCP', () => {
  it('0x58 (over the account rate): the whole channel pauses, then every message is delivered', async () => {
    // The channel's own cap is lifted so the SMSC's limit of 3 per second is what bites.
    const sim = await startAcme({ maxPerSecond: 3 });
    // Each refusal costs an attempt: room for the three a 400 ms pause can meet within the SMSC's second.
    const { tidings, events } = await startRuntime(sim, {
      maxPerSecond: 1_000,
      throttlePauseMs: 400,
      settings: { retry: { maxAttempts: 10 } },
    });
    const handles = await Promise.all(Array.from({ length: 5 }, (_, i) => tidings.send('acme', sms(`Hi ${i}`))));
    const ends = await Promise.all(handles.map((handle) => handle.settled));
    expect(ends.map((end) => end.type)).toEqual(Array(5).fill('delivered'));
    const paused = events.filter((event) => event.type === 'retrying' && event.channelPaused);
    expect(paused.length).toBeGreaterThan(0);
    expect(paused.every((event) => event.type === 'retrying' && event.error.providerStatus === 0x58)).toBe(true);
  });

  it('0x0404 (route busy): the message is resent after routeBusyRetryMs and delivered', async () => {
    const sim = await startAcme({ routeBusySubmits: 1 });
    const { tidings, events } = await startRuntime(sim, { routeBusyRetryMs: 25 });
    const handle = await tidings.send('acme', sms('Hi'));
    expect((await handle.settled).type).toBe('delivered');
    expect(typesOf(events, handle.id)).toEqual([
      'queued',
      'submitted',
      'retrying',
      'submitted',
      'accepted',
      'delivered',
    ]);
    const retrying = events.find((event) => event.type === 'retrying');
    expect(retrying?.type === 'retrying' && [retrying.delayMs, retrying.channelPaused]).toEqual([25, false]);
    expect(submits(sim)).toHaveLength(2);
  });

  it('0x0402 (no credit): rejected once, never resent', async () => {
    const sim = await startAcme({ credits: 1 });
    const { tidings } = await startRuntime(sim);
    expect((await (await tidings.send('acme', sms('first'))).settled).type).toBe('delivered');
    const end = await (await tidings.send('acme', sms('second'))).settled;
    expect(end.type).toBe('rejected');
    const error = end.type === 'rejected' ? end.error : undefined;
    expect([error?.code, error?.providerStatus, error?.retry.kind]).toEqual([ErrorCode.Rejected, 0x0402, 'never']);
    expect(error?.message).toContain('top it up');
    expect(submits(sim)).toHaveLength(2);
  });

  it('0x0403 (opted out): rejected, never resent', async () => {
    const sim = await startAcme({ optedOut: ['+4915100000001'] });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('acme', sms('Hi', '+4915100000001'))).settled;
    expect(end.type === 'rejected' && [end.error.providerStatus, end.error.retry.kind]).toEqual([0x0403, 'never']);
    expect(submits(sim)).toHaveLength(1);
  });

  it('0x0A (sender not registered): rejected as "fix", not resent', async () => {
    const sim = await startAcme({ senders: ['Acme'] });
    const { tidings } = await startRuntime(sim);
    const end = await (await tidings.send('acme', { ...sms('Hi'), from: 'Other' })).settled;
    expect(end.type === 'rejected' && [end.error.providerStatus, end.error.retry.kind]).toEqual([0x0a, 'fix']);
    expect(end.type === 'rejected' && end.error.message).toContain('register it in the Acme portal');
    expect(submits(sim)).toHaveLength(1);
  });

  it('0x0401 (campaign unknown): rejected as "fix", not resent', async () => {
    const sim = await startAcme({ campaigns: ['spring'] });
    const { tidings } = await startRuntime(sim);
    expect((await (await tidings.send('acme', { ...sms('Hi'), campaign: 'spring' })).settled).type).toBe('delivered');
    const end = await (await tidings.send('acme', { ...sms('Hi'), campaign: 'autumn' })).settled;
    expect(end.type === 'rejected' && [end.error.providerStatus, end.error.retry.kind]).toEqual([0x0401, 'fix']);
    expect(submits(sim)).toHaveLength(2);
  });

  it('refused credentials: the runtime does not start, TIDINGS_AUTH_FAILED, the password shown nowhere', async () => {
    const sim = await startAcme();
    const error = await startRuntime(sim, { password: 'pw-Zk81', maxBindFailures: 1 }).catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.StartFailed)).toBe(true);
    expect(TidingsError.is((error as Error).cause, ErrorCode.AuthFailed)).toBe(true);
    expect(`${JSON.stringify(error)} ${String(error)} ${String((error as Error).cause)}`).not.toContain('pw-Zk81');
  });
});
