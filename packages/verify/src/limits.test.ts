import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { InMemoryVerificationStore } from './in-memory-verification-store.js';
import type { VerificationStore } from './verification-store.js';
import { codeSent, fakeSetup, otherCode, settle, slowStore } from './verify.test-helper.js';
import { VerifyErrorCode } from './verify-error-code.js';

const to = '+79036550550';
const second = 1_000;
const minute = 60_000;
const hour = 60 * minute;

describe('resend', () => {
  it('inside the cooldown: TIDINGS_RATE_LIMITED with the time left as retry.afterMs; nothing sent', async () => {
    const { verifier, telegram, clock } = await fakeSetup({ resendCooldownMs: 30 * second });
    const { verificationId } = await verifier.start({ to });
    clock.advance(10 * second);

    const error = await verifier.resend(verificationId).catch((caught: unknown) => caught);
    expect(TidingsError.is(error, VerifyErrorCode.RateLimited)).toBe(true);
    expect(error).toMatchObject({
      retry: { kind: 'retry', afterMs: 20 * second },
      details: { limit: 'resend_cooldown', retryAfterMs: 20 * second, verificationId },
    });
    expect(telegram.sends).toHaveLength(1);
  });

  it('after the cooldown: a new code is added (only a hash is kept), the TTL restarts, attempts are kept', async () => {
    const { verifier, telegram, events, clock } = await fakeSetup({ resendCooldownMs: 30 * second, ttlMs: 5 * minute });
    const { verificationId } = await verifier.start({ to });
    const first = codeSent(telegram);
    expect(await verifier.check(verificationId, otherCode(first))).toMatchObject({ attemptsLeft: 4 });
    clock.advance(30 * second);

    const resent = await verifier.resend(verificationId);
    const next = codeSent(telegram);
    expect(next).not.toBe(first);
    expect(resent).toMatchObject({ verificationId, send: 2, expiresAt: clock.now() + 5 * minute });
    expect(events.filter((event) => event.type === 'sent').map((event) => event.send)).toEqual([1, 2]);
    expect((await verifier.get(verificationId))?.messageIds).toEqual([expect.any(String), resent.message.id]);

    expect(await verifier.check(verificationId, otherCode(next))).toMatchObject({ status: 'wrong', attemptsLeft: 3 });
    expect(await verifier.check(verificationId, next)).toMatchObject({ status: 'approved' });
  });

  it('every code sent keeps working until its own deadline: the earlier message may be the one read last', async () => {
    const { verifier, telegram, clock } = await fakeSetup({ resendCooldownMs: 30 * second, ttlMs: 5 * minute });
    const { verificationId } = await verifier.start({ to });
    const first = codeSent(telegram);
    clock.advance(30 * second);
    await verifier.resend(verificationId);
    const next = codeSent(telegram);
    expect(next).not.toBe(first);
    // Before the first code's deadline: it approves.
    expect(await verifier.check(verificationId, first)).toMatchObject({ status: 'approved' });

    const other = await verifier.start({ to: '+15550100001' });
    const firstOther = codeSent(telegram);
    clock.advance(30 * second);
    await verifier.resend(other.verificationId);
    const nextOther = codeSent(telegram);
    clock.advance(4 * minute + 30 * second); // the first code's deadline, not the second's
    expect(await verifier.check(other.verificationId, firstOther)).toMatchObject({ status: 'wrong', counted: true });
    expect(await verifier.check(other.verificationId, nextOther)).toMatchObject({ status: 'approved' });
  });

  it('the restarted TTL counts from the resend: the old deadline no longer expires it', async () => {
    const { verifier, telegram, events, clock } = await fakeSetup({ resendCooldownMs: 0, ttlMs: 2 * minute });
    const { verificationId } = await verifier.start({ to });
    clock.advance(minute);
    await verifier.resend(verificationId);
    clock.advance(minute + 1); // past the first code's deadline
    await settle(clock);
    expect(events.some((event) => event.type === 'expired')).toBe(false);
    expect(await verifier.check(verificationId, codeSent(telegram))).toMatchObject({ status: 'approved' });
  });

  it('at most maxSends codes per verification, the first included; then TIDINGS_RATE_LIMITED with retry never', async () => {
    const { verifier, telegram, clock } = await fakeSetup({ resendCooldownMs: 0, maxSends: 3 });
    const { verificationId } = await verifier.start({ to });
    await verifier.resend(verificationId);
    await verifier.resend(verificationId);
    clock.advance(1);

    const error = await verifier.resend(verificationId).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: VerifyErrorCode.RateLimited,
      retry: { kind: 'never' },
      details: { limit: 'max_sends' },
    });
    expect(telegram.sends).toHaveLength(3);
  });

  it('`via` switches channels for the resend (straight to SMS)', async () => {
    const { verifier, telegram, sms, clock } = await fakeSetup({ resendCooldownMs: 0 });
    const { verificationId } = await verifier.start({ to });
    clock.advance(1);
    const resent = await verifier.resend(verificationId, { via: ['sms'] });
    expect(resent.channels).toEqual(['sms']);
    expect(telegram.sends).toHaveLength(1);
    expect(await verifier.check(verificationId, codeSent(sms))).toMatchObject({ status: 'approved' });
  });

  it('a resend the runtime refuses (a 10-digit code via Telegram) throws, counts the send and is logged', async () => {
    const { verifier, telegram, sms, logger, clock } = await fakeSetup({ resendCooldownMs: 0 });
    const { verificationId } = await verifier.start({ to, via: ['sms'], length: 10 });
    clock.advance(1);
    await expect(verifier.resend(verificationId, { via: ['telegram'] })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
      channel: 'telegram',
    });
    expect(telegram.sends).toHaveLength(0);
    expect((await verifier.get(verificationId))?.sends).toBe(2);
    expect(logger.lines.find((line) => line.level === 'warn')).toMatchObject({
      message: 'verification resend refused by the runtime',
      fields: { verificationId, errorCode: ErrorCode.InvalidMessage },
    });
    // The SMS code the user did get still works until its own deadline.
    expect(await verifier.check(verificationId, codeSent(sms))).toMatchObject({ status: 'approved' });
  });

  it('an unknown verification: TIDINGS_VERIFICATION_NOT_FOUND; a cancelled one: TIDINGS_VERIFICATION_CLOSED', async () => {
    const { verifier } = await fakeSetup({ resendCooldownMs: 0 });
    await expect(verifier.resend('nope')).rejects.toMatchObject({ code: VerifyErrorCode.NotFound });
    const { verificationId } = await verifier.start({ to });
    await verifier.cancel(verificationId);
    await expect(verifier.resend(verificationId)).rejects.toMatchObject({
      code: VerifyErrorCode.Closed,
      details: { status: 'cancelled' },
    });
  });
});

describe('starts per recipient', () => {
  it('a sliding window: the 6th start in an hour is refused until the oldest leaves the window', async () => {
    const { verifier, telegram, clock } = await fakeSetup();
    for (let i = 0; i < 5; i++) {
      await verifier.start({ to });
      clock.advance(minute);
    }
    const error = await verifier.start({ to: '+7 903 655-05-50' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: VerifyErrorCode.RateLimited,
      retry: { kind: 'retry', afterMs: hour - 5 * minute },
      details: { limit: 'starts_per_recipient', retryAfterMs: hour - 5 * minute },
    });
    expect(telegram.sends).toHaveLength(5);

    // Another recipient is not affected.
    await verifier.start({ to: '+15550100001' });
    clock.advance(hour - 5 * minute);
    await verifier.start({ to });
    expect(telegram.sends).toHaveLength(7);
  });

  it('one phone is one recipient however it is written: dropping the "+" does not bypass the limit', async () => {
    const { verifier } = await fakeSetup({ startsPerRecipient: { max: 2, windowMs: hour } });
    await verifier.start({ to: '+79036550550' });
    await verifier.start({ to: '7 903 655-05-50' });
    const error = await verifier.start({ to: '79036550550' }).catch((caught: unknown) => caught);
    expect(TidingsError.is(error, VerifyErrorCode.RateLimited)).toBe(true);
  });

  it('configurable, or off with `false`', async () => {
    const strict = await fakeSetup({ startsPerRecipient: { max: 1, windowMs: minute } });
    await strict.verifier.start({ to });
    await expect(strict.verifier.start({ to })).rejects.toMatchObject({ code: VerifyErrorCode.RateLimited });

    const open = await fakeSetup({ startsPerRecipient: false });
    for (let i = 0; i < 20; i++) await open.verifier.start({ to });
    expect(open.telegram.sends).toHaveLength(20);
  });
});

describe('concurrent calls against a store with latency', () => {
  it('ten concurrent checks with the right code: exactly one approved; the rest not_found, or max_attempts when no attempt was left to take', async () => {
    const { verifier, telegram } = await fakeSetup({ store: slowStore() });
    const { verificationId } = await verifier.start({ to });
    const code = codeSent(telegram);

    const results = await Promise.all(Array.from({ length: 10 }, () => verifier.check(verificationId, code)));
    expect(results.filter((result) => result.status === 'approved')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'not_found' || result.status === 'max_attempts')).toHaveLength(
      9,
    );
    expect((await verifier.get(verificationId))?.status).toBe('approved');
  });

  it('concurrent wrong checks never use more than the attempts allowed', async () => {
    const { verifier, telegram, events } = await fakeSetup({ store: slowStore(), maxAttempts: 3 });
    const { verificationId } = await verifier.start({ to });
    const wrong = otherCode(codeSent(telegram));

    const results = await Promise.all(Array.from({ length: 8 }, () => verifier.check(verificationId, wrong)));
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 'wrong')).toHaveLength(2);
    expect(statuses.filter((status) => status === 'max_attempts')).toHaveLength(6);
    expect((await verifier.get(verificationId))?.attempts).toBe(3);
    expect(events.filter((event) => event.type === 'max_attempts')).toHaveLength(1);
  });

  it('the right code racing wrong ones at the last attempt: approved only if it took an attempt', async () => {
    const { verifier, telegram } = await fakeSetup({ store: slowStore(), maxAttempts: 1 });
    const { verificationId } = await verifier.start({ to });
    const code = codeSent(telegram);

    const results = await Promise.all([
      verifier.check(verificationId, otherCode(code)),
      verifier.check(verificationId, code),
      verifier.check(verificationId, otherCode(code)),
    ]);
    expect((await verifier.get(verificationId))?.attempts).toBe(1);
    const approved = results.filter((result) => result.status === 'approved').length;
    const final = (await verifier.get(verificationId))?.status;
    expect(approved === 1 ? final === 'approved' : final === 'max_attempts').toBe(true);
  });

  it('the right code counted first but compared last still wins over a later wrong one at the last attempt', async () => {
    // A remote store with jitter: the approval's `finish` round-trip is slower than the wrong
    // check's; the right code took attempt 1 of 2, the wrong one attempt 2.
    const inner = new InMemoryVerificationStore();
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const jittery: VerificationStore = {
      ...bound(inner),
      takeAttempt: async (id, now) => {
        await tick();
        return inner.takeAttempt(id, now);
      },
      countWrong: async (id, now) => {
        await tick();
        return inner.countWrong(id, now);
      },
      finish: async (id, status, now) => {
        for (let i = 0; i < (status === 'approved' ? 5 : 0); i++) await tick();
        return inner.finish(id, status, now);
      },
    };
    const { verifier, telegram, events } = await fakeSetup({ store: jittery, maxAttempts: 2 });
    const { verificationId } = await verifier.start({ to });
    const code = codeSent(telegram);
    const [right, wrong] = await Promise.all([
      verifier.check(verificationId, code),
      verifier.check(verificationId, otherCode(code)),
    ]);
    // The wrong check had no attempt left: it answers max_attempts, yet does not end it.
    expect(wrong).toEqual({ status: 'max_attempts', verificationId });
    expect(right).toEqual({ status: 'approved', verificationId });
    expect((await verifier.get(verificationId))?.status).toBe('approved');
    expect(events.filter((event) => ['approved', 'max_attempts'].includes(event.type)).map((e) => e.type)).toEqual([
      'approved',
    ]);
  });

  it('concurrent resends: one passes the cooldown, the others are rate limited', async () => {
    const { verifier, telegram, clock } = await fakeSetup({ store: slowStore(), resendCooldownMs: 30 * second });
    const { verificationId } = await verifier.start({ to });
    clock.advance(30 * second);

    const results = await Promise.allSettled(Array.from({ length: 5 }, () => verifier.resend(verificationId)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: VerifyErrorCode.RateLimited });
    }
    expect(telegram.sends).toHaveLength(2);
  });

  it('concurrent starts for one recipient never pass the start limit', async () => {
    const { verifier, telegram } = await fakeSetup({
      store: slowStore(),
      startsPerRecipient: { max: 2, windowMs: hour },
    });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => verifier.start({ to })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect(telegram.sends).toHaveLength(2);
    expect(
      results.every(
        (result) => result.status === 'fulfilled' || TidingsError.is(result.reason, 'TIDINGS_RATE_LIMITED'),
      ),
    ).toBe(true);
  });
});

it('the limits are typed TidingsErrors with stable codes', () => {
  expect(VerifyErrorCode).toEqual({
    RateLimited: 'TIDINGS_RATE_LIMITED',
    NotFound: 'TIDINGS_VERIFICATION_NOT_FOUND',
    Closed: 'TIDINGS_VERIFICATION_CLOSED',
  });
  // None collides with core's codes.
  for (const code of Object.values(VerifyErrorCode)) expect(Object.values(ErrorCode)).not.toContain(code);
});

/** Every operation of a store, bound to it: to override a few in a wrapper. */
function bound(store: VerificationStore): VerificationStore {
  return {
    create: (record, limit) => store.create(record, limit),
    get: (id) => store.get(id),
    latestFor: (recipient) => store.latestFor(recipient),
    takeAttempt: (id, now) => store.takeAttempt(id, now),
    countWrong: (id, now) => store.countWrong(id, now),
    finish: (id, status, now) => store.finish(id, status, now),
    addCode: (id, code, limit, now) => store.addCode(id, code, limit, now),
    addMessageId: (id, messageId, now) => store.addMessageId(id, messageId, now),
    discard: (id) => store.discard(id),
  };
}
