import { createTidings, ErrorCode, TidingsError } from '@tidings/core';
import { FakeOutcome, fakeChannel, ManualClock } from '@tidings/core/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createVerifier } from './create-verifier.js';
import { InMemoryVerificationStore } from './in-memory-verification-store.js';
import type { VerificationEvent } from './verification-events.js';
import { codeSent, fakeSetup, otherCode, settle } from './verify.test-helper.js';
import { VerifyErrorCode } from './verify-error-code.js';

const to = '+79036550550';
const minute = 60_000;

describe('start → pending', () => {
  it('records a pending verification, sends a 6-digit code through the first channel, and streams started → sent → delivered', async () => {
    const { verifier, telegram, sms, events, clock } = await fakeSetup();
    const sent = await verifier.start({ to });
    await settle(clock);

    expect(sent).toMatchObject({ to, channels: ['telegram', 'sms'], send: 1, expiresAt: clock.now() + 10 * minute });
    expect(telegram.sends).toHaveLength(1);
    expect(sms.sends).toHaveLength(0);
    expect(codeSent(telegram)).toMatch(/^[0-9]{6}$/);
    expect(telegram.sends[0]?.message).toMatchObject({ to, text: `Your code: ${codeSent(telegram)}` });
    expect(await verifier.get(sent.verificationId)).toMatchObject({
      id: sent.verificationId,
      recipient: '79036550550',
      to,
      status: 'pending',
      attempts: 0,
      sends: 1,
      messageIds: [sent.message.id],
    });
    expect(events.map((event) => event.type)).toEqual(['started', 'sent', 'delivered']);
    expect(events[1]).toMatchObject({ messageId: sent.message.id, channel: 'telegram', send: 1 });
    expect(events[2]).toMatchObject({ messageId: sent.message.id, channel: 'telegram' });
    // Events show the recipient masked.
    expect(events.every((event) => event.to === '+•••••••0550')).toBe(true);
  });

  it('takes the length, TTL, text and clientRef of the request', async () => {
    const { verifier, telegram, events, clock } = await fakeSetup();
    const sent = await verifier.start({
      to,
      length: 8,
      ttlMs: 2 * minute,
      text: 'Login code {code}',
      clientRef: 'u-7',
    });
    expect(codeSent(telegram)).toMatch(/^[0-9]{8}$/);
    expect(telegram.sends[0]?.message).toMatchObject({ text: `Login code ${codeSent(telegram)}`, clientRef: 'u-7' });
    expect(sent.expiresAt).toBe(clock.now() + 2 * minute);
    expect(events[0]).toMatchObject({ type: 'started', clientRef: 'u-7' });
  });

  it('picks the text by locale, then by language, then the default', async () => {
    const { verifier, telegram } = await fakeSetup({
      texts: { ru: 'Ваш код: {code}', 'pt-BR': 'Seu código: {code}' },
      startsPerRecipient: false,
    });
    await verifier.start({ to, locale: 'ru-RU' });
    await verifier.start({ to, locale: 'pt-BR' });
    await verifier.start({ to, locale: 'de' });
    const texts = telegram.sends.map((send) => send.message.text?.replace(/[0-9]+/, '#'));
    expect(texts).toEqual(['Ваш код: #', 'Seu código: #', 'Your code: #']);
  });

  for (const locale of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    it(`a locale naming an object member (${JSON.stringify(locale)}) gets the default text`, async () => {
      const { verifier, telegram } = await fakeSetup({ texts: { ru: 'Ваш код: {code}' } });
      await verifier.start({ to, locale });
      const sent = telegram.sends.at(-1)?.message;
      expect(sent?.text).toBe(`Your code: ${sent?.code}`);
    });
  }

  it('sends `to` as given (trimmed): an e-mail address reaches the channel unchanged', async () => {
    const { verifier, sms } = await fakeSetup({ via: ['sms'] });
    const sent = await verifier.start({ to: ' John.Doe@Example.com ' });
    expect(sms.sends.at(-1)?.message.to).toBe('John.Doe@Example.com');
    expect(sent.to).toBe('John.Doe@Example.com');
    expect(await verifier.get(sent.verificationId)).toMatchObject({
      to: 'John.Doe@Example.com',
      recipient: 'john.doe@example.com',
    });
    // A phone number written with separators goes out as written too: the channel reads it.
    await verifier.start({ to: '+7 903 655-05-50' });
    expect(sms.sends.at(-1)?.message.to).toBe('+7 903 655-05-50');
  });

  it('sends only through `via` when given, a single channel without fallback', async () => {
    const { verifier, telegram, sms } = await fakeSetup();
    const sent = await verifier.start({ to, via: ['sms'] });
    expect(sent.channels).toEqual(['sms']);
    expect(telegram.sends).toHaveLength(0);
    expect(sms.sends).toHaveLength(1);
  });
});

describe('bad requests get a typed error before anything is sent', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['no recipient', {}, ErrorCode.InvalidMessage],
    ['an empty recipient', { to: ' ' }, ErrorCode.InvalidMessage],
    ['a code of 3 digits', { to, length: 3 }, ErrorCode.InvalidMessage],
    ['a code of 11 digits', { to, length: 11 }, ErrorCode.InvalidMessage],
    ['a TTL under a second', { to, ttlMs: 500 }, ErrorCode.InvalidMessage],
    ['a text without {code}', { to, text: 'Hello' }, ErrorCode.InvalidMessage],
    ['a channel listed twice', { to, via: ['sms', 'sms'] }, ErrorCode.InvalidMessage],
    ['no channels', { to, via: [] }, ErrorCode.InvalidMessage],
    ['an unknown channel', { to, via: ['whatsapp'] }, ErrorCode.UnknownChannel],
  ];
  for (const [label, request, code] of cases) {
    it(label, async () => {
      const { verifier, telegram, sms, store, events } = await fakeSetup();
      const error = await verifier.start(request as never).catch((caught: unknown) => caught);
      expect(TidingsError.is(error, code)).toBe(true);
      expect(telegram.sends.length + sms.sends.length).toBe(0);
      expect(store.size).toBe(0);
      expect(events).toEqual([]);
    });
  }

  it('a message a channel refuses (Telegram takes 4-8 digits) leaves no verification behind', async () => {
    const { verifier, telegram, store, events } = await fakeSetup();
    await expect(verifier.start({ to, length: 10, via: ['telegram'] })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
      channel: 'telegram',
    });
    expect(telegram.sends).toHaveLength(0);
    expect(store.size).toBe(0);
    expect(events).toEqual([]);
  });

  it('without a `via` option or request, start says where to name the channels', async () => {
    const { verifier } = await fakeSetup({ via: undefined });
    await expect(verifier.start({ to })).rejects.toThrow(
      /name the channels in start\(\{ via \}\) or in the verifier option "via"/,
    );
  });
});

describe('check', () => {
  it('pending → approved with the right code; the code cannot be used again (not_found, as Twilio Verify)', async () => {
    const { verifier, telegram, events } = await fakeSetup();
    const { verificationId } = await verifier.start({ to });
    const code = codeSent(telegram);

    expect(await verifier.check(verificationId, code)).toEqual({ status: 'approved', verificationId });
    expect((await verifier.get(verificationId))?.status).toBe('approved');
    expect(await verifier.check(verificationId, code)).toEqual({ status: 'not_found' });
    expect(await verifier.check({ to }, code)).toEqual({ status: 'not_found' });
    expect(events.filter((event) => event.type === 'approved')).toHaveLength(1);
    await expect(verifier.resend(verificationId)).rejects.toMatchObject({ code: VerifyErrorCode.Closed });
    expect(await verifier.cancel(verificationId)).toBe(false);
  });

  it('pending → pending on a wrong code, with the attempts left; each wrong code is an event', async () => {
    const { verifier, telegram, events } = await fakeSetup();
    const { verificationId } = await verifier.start({ to });
    const wrong = otherCode(codeSent(telegram));

    expect(await verifier.check(verificationId, wrong)).toEqual({
      status: 'wrong',
      verificationId,
      attemptsLeft: 4,
      counted: true,
    });
    expect(await verifier.check({ id: verificationId }, wrong)).toMatchObject({ status: 'wrong', attemptsLeft: 3 });
    expect(events.filter((event) => event.type === 'wrong_code').map((event) => event.attemptsLeft)).toEqual([4, 3]);
    expect((await verifier.get(verificationId))?.attempts).toBe(2);
    expect(await verifier.check(verificationId, codeSent(telegram))).toMatchObject({ status: 'approved' });
  });

  it('input that cannot be a code is wrong without using an attempt; spaces and dashes are ignored', async () => {
    const { verifier, telegram } = await fakeSetup();
    const { verificationId } = await verifier.start({ to });
    const code = codeSent(telegram);

    for (const typed of ['12345', '1234567', 'abcdef', '', 123456 as unknown as string]) {
      expect(await verifier.check(verificationId, typed)).toEqual({
        status: 'wrong',
        verificationId,
        attemptsLeft: 5,
        counted: false,
      });
    }
    expect((await verifier.get(verificationId))?.attempts).toBe(0);
    expect(await verifier.check(verificationId, ` ${code.slice(0, 3)}-${code.slice(3)} `)).toMatchObject({
      status: 'approved',
    });
  });

  it('pending → max_attempts: the check using the last attempt answers it; the right code no longer works', async () => {
    const { verifier, telegram, events } = await fakeSetup({ maxAttempts: 3 });
    const { verificationId } = await verifier.start({ to });
    const code = codeSent(telegram);
    const wrong = otherCode(code);

    expect(await verifier.check(verificationId, wrong)).toMatchObject({ status: 'wrong', attemptsLeft: 2 });
    expect(await verifier.check(verificationId, wrong)).toMatchObject({ status: 'wrong', attemptsLeft: 1 });
    expect(await verifier.check(verificationId, wrong)).toEqual({ status: 'max_attempts', verificationId });
    expect(await verifier.check(verificationId, code)).toEqual({ status: 'max_attempts', verificationId });
    expect((await verifier.get(verificationId))?.attempts).toBe(3);
    expect(events.filter((event) => event.type === 'max_attempts')).toHaveLength(1);
    await expect(verifier.resend(verificationId)).rejects.toMatchObject({
      code: VerifyErrorCode.Closed,
      details: { status: 'max_attempts' },
    });
  });

  it('by recipient: the latest verification for the number, in any written form', async () => {
    const { verifier, telegram } = await fakeSetup();
    await verifier.start({ to });
    const first = codeSent(telegram);
    const { verificationId } = await verifier.start({ to: '+7 (903) 655-05-50' });
    const second = codeSent(telegram);

    const older = first === second ? otherCode(second) : first;
    expect(await verifier.check({ to: '+7 903 655 05 50' }, older)).toMatchObject({ status: 'wrong', verificationId });
    expect(await verifier.check({ to }, second)).toEqual({ status: 'approved', verificationId });
    expect(await verifier.check({ to: '+15550100001' }, second)).toEqual({ status: 'not_found' });
  });

  it('by recipient: the number with or without "+" is one recipient', async () => {
    const { verifier, telegram } = await fakeSetup();
    const { verificationId } = await verifier.start({ to: '+79036550550' });
    expect(await verifier.check({ to: '79036550550' }, codeSent(telegram))).toEqual({
      status: 'approved',
      verificationId,
    });
  });

  it('by recipient: a start refused before sending does not hide the pending verification before it', async () => {
    const { verifier, telegram } = await fakeSetup({ startsPerRecipient: false });
    const a = await verifier.start({ to, via: ['telegram'] });
    const codeA = codeSent(telegram);
    // The fake telegram takes 4-8 digits: a 10-digit code is refused before anything is sent.
    await expect(verifier.start({ to, via: ['telegram'], length: 10 })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
    });
    expect((await verifier.get(a.verificationId))?.status).toBe('pending');
    expect(await verifier.check({ to }, codeA)).toEqual({ status: 'approved', verificationId: a.verificationId });
  });

  it('unknown ids are not_found; a malformed target is a typed error', async () => {
    const { verifier } = await fakeSetup();
    expect(await verifier.check('no-such-id', '123456')).toEqual({ status: 'not_found' });
    expect(await verifier.check('', '123456')).toEqual({ status: 'not_found' });
    await expect(verifier.check(42 as never, '123456')).rejects.toMatchObject({ code: ErrorCode.InvalidMessage });
  });
});

describe('expiry on the clock', () => {
  it('pending → expired when the TTL runs out: a timer emits expired, checks answer expired', async () => {
    const { verifier, telegram, events, clock } = await fakeSetup({ ttlMs: 5 * minute });
    const { verificationId } = await verifier.start({ to });
    const code = codeSent(telegram);
    await settle(clock);

    clock.advance(5 * minute - 1);
    await settle();
    expect((await verifier.get(verificationId))?.status).toBe('pending');

    clock.advance(1);
    await settle();
    expect(events.at(-1)).toMatchObject({ type: 'expired', verificationId, at: clock.now() });
    expect(await verifier.check(verificationId, code)).toEqual({ status: 'expired', verificationId });
    expect(events.filter((event) => event.type === 'expired')).toHaveLength(1);
    await expect(verifier.resend(verificationId)).rejects.toMatchObject({
      code: VerifyErrorCode.Closed,
      details: { status: 'expired' },
    });
  });

  it('a check after the TTL finds it expired even where no timer ran (another process started it)', async () => {
    const first = await fakeSetup({ ttlMs: minute });
    const { verificationId } = await first.verifier.start({ to });
    const code = codeSent(first.telegram);
    await first.verifier.close(); // its timers are gone

    // A second verifier on the same store, as a second process on a shared store would be.
    const second = await fakeSetup({ store: first.store });
    second.clock.advanceTo(first.clock.now() + minute);
    expect(await second.verifier.check(verificationId, code)).toEqual({ status: 'expired', verificationId });
    expect(second.events.map((event) => event.type)).toEqual(['expired']);
  });

  it('the right code one millisecond before the TTL is approved', async () => {
    const { verifier, telegram, clock } = await fakeSetup({ ttlMs: minute });
    const { verificationId } = await verifier.start({ to });
    clock.advance(minute - 1);
    expect(await verifier.check(verificationId, codeSent(telegram))).toMatchObject({ status: 'approved' });
  });
});

describe('cancel', () => {
  it('pending → cancelled: checks answer cancelled, a second cancel changes nothing', async () => {
    const { verifier, telegram, events } = await fakeSetup();
    const { verificationId } = await verifier.start({ to });

    expect(await verifier.cancel(verificationId)).toBe(true);
    expect(await verifier.check(verificationId, codeSent(telegram))).toEqual({ status: 'cancelled', verificationId });
    expect(await verifier.cancel(verificationId)).toBe(false);
    expect(await verifier.cancel('unknown')).toBe(false);
    expect(events.filter((event) => event.type === 'cancelled')).toHaveLength(1);
  });

  it('after the TTL: answers false and the verification ends expired, even where no expiry timer ran', async () => {
    // Two verifiers on one store, as two processes: B never started it, so B has no timer.
    const store = new InMemoryVerificationStore();
    const start = Date.UTC(2026, 10, 22, 8, 0, 0);
    const clockA = new ManualClock(start);
    const clockB = new ManualClock(start);
    const sms = fakeChannel({ name: 'sms' });
    const tidings = await createTidings({ plugins: [sms], clock: clockA });
    onTestFinished(() => tidings.stop({ timeoutMs: 0 }));
    const a = createVerifier(tidings, { via: ['sms'], store, clock: clockA, ttlMs: minute });
    const b = createVerifier(tidings, { via: ['sms'], store, clock: clockB, ttlMs: minute });
    onTestFinished(async () => {
      await a.close();
      await b.close();
    });
    const events: VerificationEvent[] = [];
    b.verifications$.subscribe((event) => events.push(event));

    const { verificationId } = await a.start({ to });
    clockB.advance(minute + 1_000); // process B's view: the TTL is over

    expect(await b.cancel(verificationId)).toBe(false);
    expect((await b.get(verificationId))?.status).toBe('expired');
    expect(events.map((event) => event.type)).toEqual(['expired']);
  });
});

describe('delivery and fallback through the runtime', () => {
  it('Telegram refuses → fallback event → SMS delivers; the verification links both to the message id', async () => {
    const { verifier, sms, events, clock } = await fakeSetup({}, { telegram: [FakeOutcome.permanent(0x0b)] });
    const sent = await verifier.start({ to });
    await settle(clock);

    expect(events.map((event) => event.type)).toEqual(['started', 'sent', 'fallback', 'delivered']);
    expect(events[2]).toMatchObject({
      messageId: sent.message.id,
      channel: 'telegram',
      nextChannel: 'sms',
      reason: ErrorCode.Rejected,
    });
    expect(events[3]).toMatchObject({ messageId: sent.message.id, channel: 'sms' });
    expect(await verifier.check(sent.verificationId, codeSent(sms))).toMatchObject({ status: 'approved' });
  });

  it('no receipt from Telegram within fallbackAfterMs → SMS', async () => {
    const { verifier, sms, events, clock } = await fakeSetup(
      { fallbackAfterMs: 20_000 },
      { telegram: [FakeOutcome.accept({ receipt: 'delivered', receiptDelayMs: 10 * minute })] },
    );
    await verifier.start({ to });
    await settle(clock);
    expect(sms.sends).toHaveLength(0);
    clock.advance(20_000);
    await settle(clock);
    expect(sms.sends).toHaveLength(1);
    expect(events.map((event) => event.type)).toEqual(['started', 'sent', 'fallback', 'delivered']);
    expect(events[2]).toMatchObject({ reason: ErrorCode.ReceiptTimeout });
  });

  it('every channel fails → delivery_failed with the error code; the verification stays pending for a resend', async () => {
    const { verifier, events, clock } = await fakeSetup(
      {},
      { telegram: [FakeOutcome.permanent()], sms: [FakeOutcome.accept({ receipt: 'undelivered' })] },
    );
    const { verificationId } = await verifier.start({ to });
    await settle(clock);

    expect(events.map((event) => event.type)).toEqual(['started', 'sent', 'fallback', 'delivery_failed']);
    expect(events[3]).toMatchObject({ channel: 'sms', errorCode: ErrorCode.Undelivered });
    expect((await verifier.get(verificationId))?.status).toBe('pending');
  });
});

describe('close', () => {
  it('completes the stream, cancels the expiry timers, refuses further calls', async () => {
    const { verifier, clock } = await fakeSetup();
    await verifier.start({ to });
    let completed = false;
    verifier.verifications$.subscribe({ complete: () => (completed = true) });
    const timersBefore = clock.pendingTimers;

    await verifier.close();
    expect(completed).toBe(true);
    expect(clock.pendingTimers).toBe(timersBefore - 1);
    await expect(verifier.start({ to })).rejects.toMatchObject({ code: ErrorCode.Shutdown });
    await expect(verifier.check('x', '123456')).rejects.toMatchObject({ code: ErrorCode.Shutdown });
  });
});
