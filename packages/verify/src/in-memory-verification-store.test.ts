import { describe, expect, it } from 'vitest';
import { InMemoryVerificationStore } from './in-memory-verification-store.js';
import type { VerificationRecord } from './verification-record.js';

const t0 = 1_000_000;
const minute = 60_000;

function record(id: string, overrides: Partial<VerificationRecord> = {}): VerificationRecord {
  return {
    id,
    recipient: '79036550550',
    to: '+79036550550',
    channels: ['telegram'],
    length: 6,
    ttlMs: 10 * minute,
    text: 'Your code: {code}',
    codes: [{ salt: 'c2FsdA', hash: 'aGFzaA', expiresAt: t0 + 10 * minute }],
    status: 'pending',
    attempts: 0,
    wrongAttempts: 0,
    maxAttempts: 2,
    sends: 1,
    expiresAt: t0 + 10 * minute,
    lastSentAt: t0,
    createdAt: t0,
    updatedAt: t0,
    messageIds: [],
    ...overrides,
  };
}

const newCode = { salt: 'bmV3', hash: 'bmV3aGFzaA', expiresAt: t0 + 20 * minute, channels: ['sms'] };

describe('InMemoryVerificationStore', () => {
  it('create makes the verification the recipient latest; get and latestFor return copies', async () => {
    const store = new InMemoryVerificationStore();
    await store.create(record('a'), undefined);
    await store.create(record('b', { createdAt: t0 + 1 }), undefined);
    expect((await store.latestFor('79036550550'))?.id).toBe('b');
    const copy = (await store.get('a')) as { attempts: number };
    copy.attempts = 99;
    expect((await store.get('a'))?.attempts).toBe(0);
  });

  it('create counts starts in a sliding window and refuses over the limit with the wait', async () => {
    const store = new InMemoryVerificationStore();
    const limit = { max: 2, windowMs: 10 * minute };
    expect(await store.create(record('a'), limit)).toEqual({ created: true });
    expect(await store.create(record('b', { createdAt: t0 + minute }), limit)).toEqual({ created: true });
    expect(await store.create(record('c', { createdAt: t0 + 2 * minute }), limit)).toEqual({
      created: false,
      retryAfterMs: 8 * minute,
    });
    expect(await store.get('c')).toBeUndefined();
    expect(await store.create(record('d', { createdAt: t0 + 10 * minute + 1 }), limit)).toEqual({ created: true });
  });

  it('takeAttempt counts while pending, unexpired and under the limit', async () => {
    const store = new InMemoryVerificationStore();
    await store.create(record('a'), undefined);
    expect(await store.takeAttempt('a', t0)).toMatchObject({ taken: true, record: { attempts: 1 } });
    expect(await store.takeAttempt('a', t0)).toMatchObject({ taken: true, record: { attempts: 2 } });
    expect(await store.takeAttempt('a', t0)).toMatchObject({ taken: false, record: { attempts: 2 } });
    expect(await store.takeAttempt('missing', t0)).toEqual({ taken: false, record: undefined });

    await store.create(record('b'), undefined);
    expect(await store.takeAttempt('b', t0 + 10 * minute)).toMatchObject({ taken: false, record: { attempts: 0 } });
    await store.finish('b', 'cancelled', t0);
    expect(await store.takeAttempt('b', t0)).toMatchObject({ taken: false, record: { status: 'cancelled' } });
  });

  it('finish moves only a pending verification', async () => {
    const store = new InMemoryVerificationStore();
    await store.create(record('a'), undefined);
    expect(await store.finish('a', 'approved', t0 + 1)).toBe(true);
    expect(await store.finish('a', 'cancelled', t0 + 2)).toBe(false);
    expect(await store.get('a')).toMatchObject({ status: 'approved', updatedAt: t0 + 1 });
    expect(await store.finish('missing', 'cancelled', t0)).toBe(false);
  });

  it('finish refuses approved or cancelled once the TTL ran out: such a verification can only expire', async () => {
    const store = new InMemoryVerificationStore();
    await store.create(record('a'), undefined);
    expect(await store.finish('a', 'cancelled', t0 + 10 * minute)).toBe(false);
    expect(await store.finish('a', 'approved', t0 + 10 * minute)).toBe(false);
    expect(await store.finish('a', 'expired', t0 + 10 * minute)).toBe(true);
  });

  it('countWrong ends it as max_attempts in the same step as the last wrong check, never before', async () => {
    const store = new InMemoryVerificationStore();
    await store.create(record('a'), undefined);
    // max_attempts cannot be set while a counted attempt is not known wrong.
    expect(await store.finish('a', 'max_attempts', t0)).toBe(false);
    expect(await store.countWrong('a', t0)).toMatchObject({
      finished: false,
      record: { wrongAttempts: 1, status: 'pending' },
    });
    expect(await store.countWrong('a', t0)).toMatchObject({
      finished: true,
      record: { wrongAttempts: 2, status: 'max_attempts' },
    });
    expect(await store.countWrong('a', t0)).toMatchObject({ finished: false, record: { wrongAttempts: 2 } });
    expect(await store.countWrong('missing', t0)).toEqual({ finished: false, record: undefined });
  });

  it('addCode checks status, expiry, sends and cooldown, then adds the hash, keeping the codes still valid, and counts a send', async () => {
    const store = new InMemoryVerificationStore();
    const limit = { cooldownMs: 30_000, maxSends: 2 };
    await store.create(record('a'), undefined);
    expect(await store.addCode('a', newCode, limit, t0 + 10_000)).toMatchObject({
      added: false,
      reason: 'cooldown',
      retryAfterMs: 20_000,
    });
    expect(await store.addCode('a', newCode, limit, t0 + 30_000)).toMatchObject({
      added: true,
      record: {
        codes: [
          { salt: 'c2FsdA', hash: 'aGFzaA', expiresAt: t0 + 10 * minute },
          { salt: 'bmV3', hash: 'bmV3aGFzaA', expiresAt: t0 + 20 * minute },
        ],
        sends: 2,
        channels: ['sms'],
        expiresAt: t0 + 20 * minute,
      },
    });
    expect(await store.addCode('a', newCode, limit, t0 + 5 * minute)).toMatchObject({ reason: 'max_sends' });
    expect(await store.addCode('a', newCode, limit, t0 + 20 * minute)).toMatchObject({ reason: 'expired' });
    await store.finish('a', 'cancelled', t0);
    expect(await store.addCode('a', newCode, limit, t0)).toMatchObject({ reason: 'closed' });
    expect(await store.addCode('missing', newCode, limit, t0)).toEqual({ added: false, reason: 'not_found' });
  });

  it('addCode drops the codes expired by then', async () => {
    const store = new InMemoryVerificationStore();
    await store.create(record('a', { expiresAt: t0 + 10 * minute }), undefined);
    // An earlier code that already ran out is not kept next to the new one.
    await store.addCode('a', newCode, { cooldownMs: 0, maxSends: 5 }, t0 + minute);
    const later = { salt: 'bGF0ZXI', hash: 'bGF0ZXJoYXNo', expiresAt: t0 + 30 * minute, channels: ['sms'] };
    const added = await store.addCode('a', later, { cooldownMs: 0, maxSends: 5 }, t0 + 10 * minute);
    expect(added).toMatchObject({ added: true });
    expect(added.added && added.record.codes.map((code) => code.salt)).toEqual(['bmV3', 'bGF0ZXI']);
  });

  it('discard of a start that was never sent gives the recipient its previous latest back', async () => {
    const store = new InMemoryVerificationStore();
    await store.create(record('a'), undefined);
    await store.create(record('b', { createdAt: t0 + 1 }), undefined);
    await store.create(record('c', { createdAt: t0 + 2 }), undefined);
    await store.discard('c');
    expect((await store.latestFor('79036550550'))?.id).toBe('b');
    await store.discard('b');
    expect((await store.latestFor('79036550550'))?.id).toBe('a');
  });

  it('addMessageId appends; discard forgets the verification and the recipient index', async () => {
    const store = new InMemoryVerificationStore();
    await store.create(record('a'), undefined);
    await store.addMessageId('a', 'm1', t0);
    await store.addMessageId('a', 'm2', t0);
    expect((await store.get('a'))?.messageIds).toEqual(['m1', 'm2']);
    await store.discard('a');
    expect(await store.get('a')).toBeUndefined();
    expect(await store.latestFor('79036550550')).toBeUndefined();
    expect(store.recipientCount).toBe(0);
  });

  it('memory stays bounded: verifications are forgotten a retention after expiry or finish', async () => {
    const store = new InMemoryVerificationStore({ retentionMs: minute });
    const limit = { max: 1, windowMs: minute };
    for (let i = 0; i < 3000; i++) {
      const at = t0 + i * 1000;
      await store.create(
        record(`v${i}`, { recipient: `1555${i}`, createdAt: at, lastSentAt: at, expiresAt: at + minute }),
        limit,
      );
    }
    // Alive: created in the last two minutes (TTL one minute + retention one minute).
    expect(store.size).toBeLessThanOrEqual(121);
    expect(store.recipientCount).toBeLessThan(1100);
    expect(await store.get('v0')).toBeUndefined();
    expect(await store.get('v2999')).toBeDefined();
  });

  it('and never keeps more than maxRecords, the oldest going first', async () => {
    const store = new InMemoryVerificationStore({ maxRecords: 10 });
    for (let i = 0; i < 25; i++) await store.create(record(`v${i}`, { recipient: `+1555${i}` }), undefined);
    expect(store.size).toBe(10);
    expect(await store.get('v14')).toBeUndefined();
    expect(await store.get('v15')).toBeDefined();
    expect(store.records().map((kept) => kept.id)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i + 15}`));
  });

  it('refuses bad options', () => {
    expect(() => new InMemoryVerificationStore({ retentionMs: -1 })).toThrow(RangeError);
    expect(() => new InMemoryVerificationStore({ maxRecords: 0 })).toThrow(RangeError);
  });
});
