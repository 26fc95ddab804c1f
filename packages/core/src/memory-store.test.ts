import { describe, expect, it } from 'vitest';
import { InMemoryMessageStore } from './memory-store.js';
import type { MessageRecord } from './message-store.js';
import { ManualClock } from './testing/manual-clock.js';
import { describeMessageStoreContract } from './testing/store-contract-suite.js';

const HOUR = 60 * 60 * 1000;

function record(id: string, overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id,
    channels: ['sms'],
    channel: 'sms',
    status: 'queued',
    attempt: 0,
    terminal: false,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

function setup(options: { retentionMs?: number; maxSettled?: number } = {}) {
  const clock = new ManualClock(1_000_000);
  const store = new InMemoryMessageStore({ clock, ...options });
  /** Creates a message and settles it at the current time. */
  const settle = async (id: string, extra: Partial<MessageRecord> = {}) => {
    await store.create(record(id, extra));
    await store.update(id, { status: 'delivered', terminal: true, updatedAt: clock.now() });
  };
  return { clock, store, settle };
}

describeMessageStoreContract('InMemoryMessageStore', {
  setup: () => {
    const clock = new ManualClock(1_000_000);
    const store = new InMemoryMessageStore({ clock, retentionMs: HOUR });
    return { store, outliveRetention: async () => clock.advance(HOUR + 1), teardown: () => store.close() };
  },
});

describe('InMemoryMessageStore', () => {
  describe('create and get', () => {
    it('stores a record and returns it', async () => {
      const { store } = setup();
      const r = record('m1', { clientRef: 'ref-1' });
      expect(await store.create(r)).toEqual({ created: true });
      expect(await store.get('m1')).toEqual(r);
      expect(await store.get('unknown')).toBeUndefined();
      expect(store.size).toBe(1);
    });

    it('records the idempotency key and finds the message by it', async () => {
      const { store } = setup();
      await store.create(record('m1', { idempotencyKey: 'order-7' }));
      expect(await store.findByIdempotencyKey('order-7')).toBe('m1');
      expect(await store.findByIdempotencyKey('order-8')).toBeUndefined();
    });

    it('refuses a second message with a known idempotency key and returns the first id', async () => {
      const { store } = setup();
      await store.create(record('m1', { idempotencyKey: 'order-7' }));
      expect(await store.create(record('m2', { idempotencyKey: 'order-7' }))).toEqual({
        created: false,
        existingId: 'm1',
      });
      expect(await store.get('m2')).toBeUndefined();
      expect(store.size).toBe(1);
      expect(await store.findByIdempotencyKey('order-7')).toBe('m1');
    });

    it('is atomic: of many concurrent creates with one key exactly one wins', async () => {
      const { store } = setup();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.create(record(`m${i}`, { idempotencyKey: 'same' }))),
      );
      const winners = results.filter((r) => r.created);
      expect(winners).toHaveLength(1);
      const winnerId = `m${results.findIndex((r) => r.created)}`;
      for (const r of results) if (!r.created) expect(r.existingId).toBe(winnerId);
      expect(store.size).toBe(1);
      expect(await store.findByIdempotencyKey('same')).toBe(winnerId);
    });

    it('messages without a key never collide', async () => {
      const { store } = setup();
      const results = await Promise.all(['a', 'b', 'c'].map((id) => store.create(record(id))));
      expect(results.every((r) => r.created)).toBe(true);
      expect(store.size).toBe(3);
    });
  });

  describe('update', () => {
    it('applies a patch and keeps the rest', async () => {
      const { store } = setup();
      await store.create(record('m1', { clientRef: 'r' }));
      await store.update('m1', { status: 'accepted', attempt: 1, providerMessageId: 'p-1', updatedAt: 5 });
      expect(await store.get('m1')).toEqual(
        record('m1', { clientRef: 'r', status: 'accepted', attempt: 1, providerMessageId: 'p-1', updatedAt: 5 }),
      );
    });

    it('does not mutate a record returned earlier', async () => {
      const { store } = setup();
      await store.create(record('m1'));
      const before = await store.get('m1');
      await store.update('m1', { status: 'submitted' });
      expect(before?.status).toBe('queued');
      expect((await store.get('m1'))?.status).toBe('submitted');
    });

    it('ignores an unknown id', async () => {
      const { store } = setup();
      await store.update('ghost', { status: 'delivered', terminal: true });
      expect(await store.get('ghost')).toBeUndefined();
      expect(store.size).toBe(0);
    });

    it('marks the message settled when terminal: it then expires with the retention', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('m1'));
      await store.update('m1', { status: 'delivered', terminal: true });
      clock.advance(999);
      await store.create(record('tick-1'));
      expect(await store.get('m1')).toBeDefined();
      clock.advance(1);
      await store.create(record('tick-2'));
      expect(await store.get('m1')).toBeUndefined();
    });

    it('counts retention from when the message settled, not when it was created', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('m1'));
      clock.advance(10 * HOUR);
      await store.update('m1', { status: 'delivered', terminal: true });
      expect(await store.get('m1')).toBeDefined();
      clock.advance(999);
      await store.create(record('tick'));
      expect(await store.get('m1')).toBeDefined();
    });

    it('a settled message past its retention is not found, even before a write evicts it', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('m1', { idempotencyKey: 'k1' }));
      await store.correlate('sms', 'P-1', 'm1');
      await store.update('m1', { status: 'delivered', terminal: true });
      clock.advance(1_000); // no write since: nothing evicted yet
      expect(await store.get('m1')).toBeUndefined();
      expect(await store.findByIdempotencyKey('k1')).toBeUndefined();
      expect(await store.resolve('sms', 'P-1')).toBeUndefined();
    });

    it('a message recorded again under the id of a settled one is not forgotten with it', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('m1'));
      await store.update('m1', { status: 'delivered', terminal: true });
      await store.create(record('m1', { channel: 'other' }));
      clock.advance(1_000);
      await store.create(record('tick')); // evicts the settled m1
      expect((await store.get('m1'))?.channel).toBe('other');
    });

    it('answers writes without making a promise per call', async () => {
      const { store } = setup();
      const created = store.create(record('m1'));
      expect(store.create(record('m2'))).toBe(created);
      expect(store.update('m1', { status: 'submitted' })).toBe(store.correlate('sms', 'P-1', 'm1'));
      await created;
    });

    it('a second terminal update does not restart or duplicate the retention', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('m1'));
      await store.update('m1', { status: 'accepted', terminal: true });
      clock.advance(600);
      await store.update('m1', { status: 'delivered', terminal: true });
      clock.advance(400);
      await store.create(record('tick'));
      expect(await store.get('m1')).toBeUndefined();
    });
  });

  describe('correlation', () => {
    it('resolves a provider id to its message, per channel', async () => {
      const { store } = setup();
      await store.create(record('m1'));
      await store.create(record('m2'));
      await store.correlate('smsc', 'P-1', 'm1');
      await store.correlate('telegram', 'P-1', 'm2');
      expect(await store.resolve('smsc', 'P-1')).toBe('m1');
      expect(await store.resolve('telegram', 'P-1')).toBe('m2');
      expect(await store.resolve('smsc', 'P-2')).toBeUndefined();
      expect(await store.resolve('other', 'P-1')).toBeUndefined();
    });

    it('keeps channel and provider id apart even when they contain each other', async () => {
      const { store } = setup();
      await store.create(record('m1'));
      await store.correlate('a', 'b:c', 'm1');
      expect(await store.resolve('a:b', 'c')).toBeUndefined();
      expect(await store.resolve('a', 'b:c')).toBe('m1');
    });

    it('resolves every provider id of a multi-part message', async () => {
      const { store } = setup();
      await store.create(record('m1'));
      for (const part of ['p1', 'p2', 'p3']) await store.correlate('sms', part, 'm1');
      for (const part of ['p1', 'p2', 'p3']) expect(await store.resolve('sms', part)).toBe('m1');
    });

    it('ignores a correlation for an unknown message (nothing would ever forget it)', async () => {
      const { store } = setup();
      await store.correlate('sms', 'P-1', 'ghost');
      expect(await store.resolve('sms', 'P-1')).toBeUndefined();
    });
  });

  describe('eviction by retention', () => {
    it('forgets a settled message, its idempotency key and its correlations after retentionMs', async () => {
      const { store, clock, settle } = setup({ retentionMs: HOUR });
      await store.create(record('m1', { idempotencyKey: 'k1' }));
      await store.correlate('sms', 'P-1', 'm1');
      await store.update('m1', { status: 'delivered', terminal: true });
      clock.advance(HOUR);
      await settle('other'); // any write sweeps
      expect(await store.get('m1')).toBeUndefined();
      expect(await store.findByIdempotencyKey('k1')).toBeUndefined();
      expect(await store.resolve('sms', 'P-1')).toBeUndefined();
    });

    it('lets the idempotency key of an expired message be used again', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('m1', { idempotencyKey: 'k' }));
      await store.update('m1', { terminal: true, status: 'delivered' });
      clock.advance(1_000);
      expect(await store.create(record('m2', { idempotencyKey: 'k' }))).toEqual({ created: true });
      expect(await store.findByIdempotencyKey('k')).toBe('m2');
      expect(await store.get('m1')).toBeUndefined();
    });

    it('keeps the key while its message is retained', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('m1', { idempotencyKey: 'k' }));
      await store.update('m1', { terminal: true, status: 'delivered' });
      clock.advance(999);
      expect(await store.create(record('m2', { idempotencyKey: 'k' }))).toEqual({ created: false, existingId: 'm1' });
    });

    it('evicts in settling order, only what has expired', async () => {
      const { store, clock, settle } = setup({ retentionMs: 1_000 });
      await settle('a');
      clock.advance(300);
      await settle('b');
      clock.advance(300);
      await settle('c');
      clock.advance(400); // a is 1 000 ms old, b 700, c 400
      await store.create(record('tick'));
      expect(await store.get('a')).toBeUndefined();
      expect(await store.get('b')).toBeDefined();
      expect(await store.get('c')).toBeDefined();
      clock.advance(300);
      await store.create(record('tick2'));
      expect(await store.get('b')).toBeUndefined();
      expect(await store.get('c')).toBeDefined();
    });

    it('a message created already terminal is settled from the start', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('m1', { terminal: true, status: 'failed' }));
      clock.advance(1_000);
      await store.create(record('tick'));
      expect(await store.get('m1')).toBeUndefined();
    });

    it('never evicts a pending message, however old', async () => {
      const { store, clock, settle } = setup({ retentionMs: 1_000, maxSettled: 2 });
      await store.create(record('pending', { idempotencyKey: 'pk' }));
      await store.correlate('sms', 'P-pending', 'pending');
      for (let i = 0; i < 50; i++) {
        clock.advance(10 * HOUR);
        await settle(`s${i}`);
      }
      expect(await store.get('pending')).toBeDefined();
      expect(await store.findByIdempotencyKey('pk')).toBe('pending');
      expect(await store.resolve('sms', 'P-pending')).toBe('pending');
    });

    it('uses a one hour retention by default', async () => {
      const clock = new ManualClock();
      const store = new InMemoryMessageStore({ clock });
      await store.create(record('m1', { terminal: true }));
      clock.advance(HOUR - 1);
      await store.create(record('t1'));
      expect(await store.get('m1')).toBeDefined();
      clock.advance(1);
      await store.create(record('t2'));
      expect(await store.get('m1')).toBeUndefined();
    });
  });

  describe('maxSettled', () => {
    it('keeps at most maxSettled settled messages, forgetting the oldest first', async () => {
      const { store, settle } = setup({ maxSettled: 3 });
      for (const id of ['a', 'b', 'c', 'd', 'e']) await settle(id);
      expect(store.size).toBe(3);
      expect(await store.get('a')).toBeUndefined();
      expect(await store.get('b')).toBeUndefined();
      for (const id of ['c', 'd', 'e']) expect(await store.get(id)).toBeDefined();
    });

    it('also holds when messages are created already terminal', async () => {
      const { store } = setup({ maxSettled: 3 });
      for (let i = 0; i < 10; i++) {
        await store.create(record(`m${i}`, { terminal: true, status: 'failed' }));
        expect(store.size).toBeLessThanOrEqual(3);
      }
      expect(await store.get('m9')).toBeDefined();
      expect(await store.get('m6')).toBeUndefined();
    });

    it('counts a message settled twice only once', async () => {
      const { store, settle } = setup({ maxSettled: 2 });
      await settle('a');
      await store.update('a', { status: 'delivered', terminal: true });
      await store.update('a', { status: 'delivered', terminal: true });
      await settle('b');
      expect(await store.get('a')).toBeDefined();
      expect(await store.get('b')).toBeDefined();
    });

    it('forgets the keys and correlations of capped-out messages, and frees the key for reuse', async () => {
      const { store, settle } = setup({ maxSettled: 1 });
      await store.create(record('m1', { idempotencyKey: 'k1' }));
      await store.correlate('sms', 'P-1', 'm1');
      await store.update('m1', { terminal: true, status: 'delivered' });
      await settle('m2');
      expect(await store.findByIdempotencyKey('k1')).toBeUndefined();
      expect(await store.resolve('sms', 'P-1')).toBeUndefined();
      expect(await store.create(record('m3', { idempotencyKey: 'k1' }))).toEqual({ created: true });
    });

    it('does not count pending messages against the cap, nor evict them', async () => {
      const { store, settle } = setup({ maxSettled: 2 });
      for (let i = 0; i < 5; i++) await store.create(record(`p${i}`));
      for (let i = 0; i < 5; i++) await settle(`s${i}`);
      expect(store.size).toBe(5 + 2);
      for (let i = 0; i < 5; i++) expect(await store.get(`p${i}`)).toBeDefined();
    });
  });

  describe('forgetting does not hurt live entries', () => {
    it('a provider id re-used by a newer message survives the older one being forgotten', async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('old'));
      await store.correlate('sms', 'P-1', 'old');
      await store.update('old', { terminal: true, status: 'delivered' });
      await store.create(record('new'));
      await store.correlate('sms', 'P-1', 'new'); // the provider recycled its id
      clock.advance(1_000);
      await store.create(record('tick'));
      expect(await store.get('old')).toBeUndefined();
      expect(await store.resolve('sms', 'P-1')).toBe('new');
    });

    it("an expired message's other correlations go, a sibling's stay", async () => {
      const { store, clock } = setup({ retentionMs: 1_000 });
      await store.create(record('a'));
      await store.create(record('b'));
      await store.correlate('sms', 'A-1', 'a');
      await store.correlate('sms', 'A-2', 'a');
      await store.correlate('sms', 'B-1', 'b');
      await store.update('a', { terminal: true, status: 'delivered' });
      clock.advance(1_000);
      await store.create(record('tick'));
      expect(await store.resolve('sms', 'A-1')).toBeUndefined();
      expect(await store.resolve('sms', 'A-2')).toBeUndefined();
      expect(await store.resolve('sms', 'B-1')).toBe('b');
    });
  });

  it('stays within maxSettled over 200 000 settled messages, with keys and correlations', async () => {
    const cap = 1_000;
    const { store, clock } = setup({ maxSettled: cap, retentionMs: HOUR });
    let peak = 0;
    for (let i = 0; i < 200_000; i++) {
      const id = `m${i}`;
      await store.create(record(id, { idempotencyKey: `k${i}` }));
      await store.correlate('sms', `P${i}`, id);
      await store.update(id, { status: 'delivered', terminal: true });
      peak = Math.max(peak, store.size);
      if (i % 10_000 === 0) clock.advance(1);
    }
    expect(peak).toBeLessThanOrEqual(cap);
    expect(store.size).toBe(cap);
    // The survivors are the latest ones, fully reachable; the rest are fully forgotten.
    expect(await store.resolve('sms', 'P199999')).toBe('m199999');
    expect(await store.findByIdempotencyKey(`k${200_000 - cap}`)).toBe(`m${200_000 - cap}`);
    expect(await store.findByIdempotencyKey(`k${200_000 - cap - 1}`)).toBeUndefined();
    expect(await store.resolve('sms', 'P0')).toBeUndefined();
    expect(await store.get('m0')).toBeUndefined();
  });

  it('stays bounded by retention alone over a long run with the default cap', async () => {
    const { store, clock } = setup({ retentionMs: 1_000 });
    let peak = 0;
    for (let i = 0; i < 50_000; i++) {
      await store.create(record(`m${i}`));
      await store.update(`m${i}`, { status: 'delivered', terminal: true });
      clock.advance(1); // 1 message per ms: ~1 000 retained at any time
      peak = Math.max(peak, store.size);
    }
    expect(peak).toBeLessThanOrEqual(1_001);
    expect(store.size).toBeGreaterThan(900);
  });

  it('close forgets everything and the store stays usable', async () => {
    const { store, settle } = setup();
    await store.create(record('m1', { idempotencyKey: 'k' }));
    await store.correlate('sms', 'P', 'm1');
    await settle('m2');
    await store.close();
    expect(store.size).toBe(0);
    expect(await store.get('m1')).toBeUndefined();
    expect(await store.findByIdempotencyKey('k')).toBeUndefined();
    expect(await store.resolve('sms', 'P')).toBeUndefined();
    expect(await store.create(record('m1', { idempotencyKey: 'k' }))).toEqual({ created: true });
  });
});
