import { afterEach, describe, expect, it } from 'vitest';
import type { MessageRecord, MessageStore } from '../message-store.js';

export interface MessageStoreContractFixture {
  readonly store: MessageStore;
  /**
   * Makes every message settled so far older than the store's retention (advance a manual clock,
   * or wait out a short retention), so the store forgets it.
   */
  readonly outliveRetention: () => Promise<void>;
  /** Closes whatever `setup` opened (the store itself, a connection). */
  readonly teardown?: () => Promise<void>;
}

export interface MessageStoreContractOptions {
  /** A fresh, empty store for one test. */
  readonly setup: () => Promise<MessageStoreContractFixture> | MessageStoreContractFixture;
  /** Per-test timeout in milliseconds. Default 10 000. */
  readonly timeoutMs?: number;
}

/** A record for the suite: a message queued on channel `sms`. */
export function storeRecord(id: string, overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    id,
    channels: ['sms'],
    channel: 'sms',
    status: 'queued',
    attempt: 0,
    terminal: false,
    createdAt: 1_000,
    updatedAt: 1_000,
    ...overrides,
  };
}

/**
 * The behaviour every {@link MessageStore} owes the runtime, as a vitest suite a store package
 * runs against itself: records, atomic idempotency keys, correlation, forgetting settled messages
 * (with their keys and correlations) after the retention and never a pending one.
 */
export function describeMessageStoreContract(title: string, options: MessageStoreContractOptions): void {
  const timeout = options.timeoutMs ?? 10_000;

  describe(`message store contract: ${title}`, () => {
    let teardowns: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const teardown of teardowns.reverse()) await teardown();
      teardowns = [];
    });

    async function setup(): Promise<MessageStoreContractFixture> {
      const fixture = await options.setup();
      if (fixture.teardown) teardowns.push(fixture.teardown);
      return fixture;
    }

    it('stores a record and returns an equal copy; an unknown id is undefined', { timeout }, async () => {
      const { store } = await setup();
      const record = storeRecord('m1', { channels: ['tg', 'sms'], channel: 'tg', clientRef: 'ref-1' });
      expect(await store.create(record)).toEqual({ created: true });
      expect(await store.get('m1')).toEqual(record);
      expect(await store.get('unknown')).toBeUndefined();
    });

    it('refuses a second message with a known idempotency key and names the first', { timeout }, async () => {
      const { store } = await setup();
      await store.create(storeRecord('m1', { idempotencyKey: 'order-7' }));
      expect(await store.create(storeRecord('m2', { idempotencyKey: 'order-7' }))).toEqual({
        created: false,
        existingId: 'm1',
      });
      expect(await store.get('m2')).toBeUndefined();
      expect(await store.findByIdempotencyKey('order-7')).toBe('m1');
      expect(await store.findByIdempotencyKey('order-8')).toBeUndefined();
    });

    it('lets exactly one of many concurrent creates with one key win', { timeout }, async () => {
      const { store } = await setup();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.create(storeRecord(`m${i}`, { idempotencyKey: 'k' }))),
      );
      const winners = results.filter((result) => result.created);
      expect(winners).toHaveLength(1);
      const winner = `m${results.findIndex((result) => result.created)}`;
      for (const result of results) if (!result.created) expect(result.existingId).toBe(winner);
    });

    it('applies a patch and keeps the rest; an unknown id is ignored', { timeout }, async () => {
      const { store } = await setup();
      await store.create(storeRecord('m1', { clientRef: 'ref' }));
      await store.update('m1', { status: 'accepted', attempt: 1, providerMessageId: 'p-1', updatedAt: 2_000 });
      expect(await store.get('m1')).toEqual(
        storeRecord('m1', {
          clientRef: 'ref',
          status: 'accepted',
          attempt: 1,
          providerMessageId: 'p-1',
          updatedAt: 2_000,
        }),
      );
      await store.update('nope', { status: 'failed', terminal: true });
      expect(await store.get('nope')).toBeUndefined();
    });

    it('resolves provider ids per channel, every part of a long message', { timeout }, async () => {
      const { store } = await setup();
      await store.create(storeRecord('m1'));
      await store.correlate('sms', 'a1', 'm1');
      await store.correlate('sms', 'a2', 'm1');
      expect(await store.resolve('sms', 'a1')).toBe('m1');
      expect(await store.resolve('sms', 'a2')).toBe('m1');
      expect(await store.resolve('other', 'a1')).toBeUndefined();
      // Channel and id kept apart even when one contains the other.
      await store.create(storeRecord('m2'));
      await store.correlate('s', 'ms:a1', 'm2');
      expect(await store.resolve('s', 'ms:a1')).toBe('m2');
      expect(await store.resolve('sms', 'a1')).toBe('m1');
    });

    it('ignores a correlation for an unknown message', { timeout }, async () => {
      const { store } = await setup();
      await store.correlate('sms', 'p-1', 'ghost');
      expect(await store.resolve('sms', 'p-1')).toBeUndefined();
    });

    it('forgets a settled message, its key and its correlations after the retention', { timeout }, async () => {
      const { store, outliveRetention } = await setup();
      await store.create(storeRecord('m1', { idempotencyKey: 'k1' }));
      await store.correlate('sms', 'p-1', 'm1');
      await store.update('m1', { status: 'delivered', terminal: true, updatedAt: 2_000 });
      expect((await store.get('m1'))?.terminal).toBe(true);
      expect(await store.resolve('sms', 'p-1')).toBe('m1');
      await outliveRetention();
      expect(await store.get('m1')).toBeUndefined();
      expect(await store.findByIdempotencyKey('k1')).toBeUndefined();
      expect(await store.resolve('sms', 'p-1')).toBeUndefined();
      // The key is free again.
      expect(await store.create(storeRecord('m2', { idempotencyKey: 'k1' }))).toEqual({ created: true });
    });

    it('never forgets a pending message with the retention', { timeout }, async () => {
      const { store, outliveRetention } = await setup();
      await store.create(storeRecord('m1', { idempotencyKey: 'k1' }));
      await store.correlate('sms', 'p-1', 'm1');
      await outliveRetention();
      expect((await store.get('m1'))?.status).toBe('queued');
      expect(await store.findByIdempotencyKey('k1')).toBe('m1');
      expect(await store.resolve('sms', 'p-1')).toBe('m1');
    });

    it('treats a message created already terminal as settled', { timeout }, async () => {
      const { store, outliveRetention } = await setup();
      await store.create(storeRecord('m1', { status: 'failed', terminal: true }));
      expect((await store.get('m1'))?.status).toBe('failed');
      await outliveRetention();
      expect(await store.get('m1')).toBeUndefined();
    });
  });
}
