import {
  type AdoptedMessage,
  type Cluster,
  type ClusterLink,
  ErrorCode,
  type ForwardedReport,
  type Logger,
  type MessageEvent,
  type MessageStore,
  TidingsError,
} from '@tidings/core';
import type { Redis } from 'ioredis';
import { decodeReceipt, encodeEvent, encodeReceipt } from './event-codec.js';
import type { RedisKeys } from './keys.js';
import { messageFrom, recordFrom } from './record-fields.js';
import { redisError } from './redis-error.js';
import type { TidingsScripts } from './scripts.js';

export interface RedisClusterSettings {
  readonly instanceId: string;
  readonly retentionMs: number;
  readonly pendingTtlMs: number;
  readonly eventRetentionMs: number;
  /** Submits per second per channel, across every process. */
  readonly rates: Readonly<Record<string, number>>;
  readonly heartbeatMs: number;
  readonly deadAfterMs: number;
}

/** Waits between looking a receipt's provider id up again while its sender has not correlated it yet. */
const resolveRetriesMs = [100, 500, 2_000] as const;
const inboxTtlMs = 60 * 60 * 1000;
/** How long a forwarded receipt no message here waits for yet is kept for an adoption in progress. */
const unappliedKeepMs = 60_000;
const maxUnapplied = 10_000;
/** A rate slot this process would use later than this after it starts is given up for a new one. */
const lateSlotMs = 20;
const maxSlotTries = 8;

/**
 * The {@link Cluster} on Redis: events to streams, receipts to the process that owns the message
 * (its inbox stream), a heartbeat and the takeover of dead processes' messages, a shared rate.
 */
export class RedisCluster implements Cluster {
  readonly #redis: Redis & TidingsScripts;
  readonly #keys: RedisKeys;
  readonly #store: MessageStore;
  readonly #settings: RedisClusterSettings;
  readonly #logger: Logger;
  #link: ClusterLink | undefined;
  #inboxReader: Redis | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #beats = 0;
  #closed = false;
  /** Messages taken over from this process while it still ran them (logged once each). */
  readonly #fencedWarned = new Set<string>();
  #inboxLoop: Promise<void> = Promise.resolve();
  #takingOver: Promise<void> = Promise.resolve();
  /** Writes not answered yet (close waits for them). */
  readonly #pending = new Set<Promise<unknown>>();

  constructor(
    redis: Redis & TidingsScripts,
    keys: RedisKeys,
    store: MessageStore,
    settings: RedisClusterSettings,
    logger: Logger,
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#store = store;
    this.#settings = settings;
    this.#logger = logger;
  }

  get instanceId(): string {
    return this.#settings.instanceId;
  }

  /** `rates` naming a channel that is not loaded (a typo) fails `createTidings`. */
  checkChannels(channels: readonly string[]): void {
    const unknown = Object.keys(this.#settings.rates).filter((name) => !channels.includes(name));
    if (unknown.length === 0) return;
    throw new TidingsError(
      ErrorCode.InvalidOptions,
      `redisScaleOut: rates names ${unknown.map((name) => `"${name}"`).join(', ')}, not a loaded channel (loaded: ${channels.map((name) => `"${name}"`).join(', ')})`,
      { details: { option: 'rates', channels: unknown } },
    );
  }

  attach(link: ClusterLink): void {
    if (this.#closed) return;
    this.#link = link;
    this.#inboxReader = this.#redis.duplicate();
    this.#inboxReader.on('error', () => {}); // reconnects on its own; the loop reports failures
    this.#inboxLoop = this.#readInbox(this.#inboxReader);
    // Sent before anything this run sends (one connection, in order): the previous run's messages only.
    this.#takingOverNow = true;
    this.#takingOver = this.#resumePreviousRun()
      .catch((error: unknown) => {
        if (!this.#closed) this.#logger.error('redis cluster: taking over the previous run failed', { error });
      })
      .finally(() => {
        this.#takingOverNow = false;
      });
    this.#heartbeat = setInterval(() => void this.#tick(), this.#settings.heartbeatMs);
    this.#heartbeat.unref();
    void this.#tick();
  }

  publish(event: MessageEvent): void {
    const keys = this.#keys;
    const s = this.#settings;
    this.#track(
      this.#redis
        .tidingsPublish(
          keys.messageEvents(event.messageId),
          keys.events,
          keys.message(event.messageId),
          keys.namespace,
          event.messageId,
          encodeEvent(event),
          event.type,
          event.attempt,
          event.terminal ? '1' : '0',
          s.pendingTtlMs,
          s.eventRetentionMs,
          s.retentionMs,
          s.instanceId,
        )
        .then((published) => {
          if (published === -1 && !this.#fencedWarned.has(event.messageId)) {
            if (this.#fencedWarned.size >= 10_000) this.#fencedWarned.clear();
            this.#fencedWarned.add(event.messageId);
            this.#logger.error(
              'redis cluster: another process took this message over; its events here are not shared',
              {
                messageId: event.messageId,
              },
            );
          }
        }),
      'publishing an event',
    );
  }

  forwardReport(forwarded: ForwardedReport): void {
    if (forwarded.messageId !== undefined) {
      this.#track(this.#forward(forwarded.messageId, forwarded, 0), 'forwarding a receipt');
      return;
    }
    this.#track(this.#resolveThenForward(forwarded), 'forwarding a receipt');
  }

  /** Leased channels take their rate slot at the bind itself (see {@link reserve}), not here. */
  readonly gatedAtBind = new Set<string>();

  beforeSubmit(channel: string): Promise<void> | undefined {
    return this.gatedAtBind.has(channel) ? undefined : this.reserve(channel);
  }

  /**
   * Waits for the channel's next slot of the shared rate; undefined when it has no rate. A slot
   * this process wakes up for too late (a busy event loop) is given up and a new one taken: late
   * slots sent together would make a burst above the rate.
   */
  reserve(channel: string): Promise<void> | undefined {
    const rate = this.#settings.rates[channel];
    if (rate === undefined) return undefined;
    return this.#reserve(channel, 1000 / rate);
  }

  async #reserve(channel: string, intervalMs: number): Promise<void> {
    const lateMs = Math.max(lateSlotMs, intervalMs);
    for (let tries = 0; ; tries++) {
      // The slot starts `waitMs` after the script ran, which was no earlier than `asked`: judged
      // from `asked`, a slot is never thought on time when it is late.
      const asked = Date.now();
      const waitMs = await this.#redis.tidingsReserve(this.#keys.rate(channel), intervalMs, 1);
      if (waitMs > 0) await sleep(waitMs);
      if (Date.now() - (asked + waitMs) <= lateMs || tries >= maxSlotTries) return;
    }
  }

  /**
   * The runtime stops with these messages waiting for their receipt (a rolling restart): this
   * process stops saying it is alive, so a survivor takes them over (with the receipts forwarded
   * here meanwhile) at its next heartbeat rather than after `deadAfterMs`.
   */
  handOver(messageIds: readonly string[]): void {
    if (this.#closed || this.#handingOver) return;
    this.#handingOver = true;
    clearInterval(this.#heartbeat);
    // Its inbox is left to the survivor's claim: read here, its receipts would be lost.
    this.#inboxReader?.disconnect();
    this.#logger.info('redis cluster: leaving the messages waiting for a receipt to the other processes', {
      messages: messageIds.length,
    });
    // After this runtime's last writes (one connection, in order): a survivor sees them all.
    this.#track(this.#redis.del(this.#keys.alive(this.#settings.instanceId)), 'handing messages over');
  }

  #handingOver = false;

  /** Stops the loops; unanswered writes are waited for. Does not close the shared client. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    this.#inboxReader?.disconnect();
    await this.#inboxLoop;
    await this.#takingOver;
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  #track(write: Promise<unknown>, what: string): void {
    this.#pending.add(write);
    write.then(
      () => this.#pending.delete(write),
      (error: unknown) => {
        this.#pending.delete(write);
        if (!this.#closed) this.#logger.error(`redis cluster: ${what} failed`, { error: redisError(error) });
      },
    );
  }

  async #resolveThenForward(forwarded: ForwardedReport): Promise<void> {
    const id = String(forwarded.report.providerMessageId);
    for (const delayMs of resolveRetriesMs) {
      await sleep(delayMs);
      if (this.#closed) return;
      if (this.#link?.applyReport(forwarded.channel, forwarded.report)) return;
      const messageId = await this.#store.resolve(forwarded.channel, id);
      if (messageId !== undefined) return this.#forward(messageId, forwarded, 0);
    }
    this.#logger.debug('redis cluster: a receipt no process knows was dropped', { channel: forwarded.channel });
  }

  async #forward(messageId: string, forwarded: ForwardedReport, tries: number): Promise<void> {
    const owner = await this.#redis.tidingsForward(
      this.#keys.message(messageId),
      this.#keys.namespace,
      this.#settings.instanceId,
      encodeReceipt({ channel: forwarded.channel, report: forwarded.report }),
      inboxTtlMs,
    );
    if (owner !== 'self') return;
    // Ours, yet no message here waits for it: a takeover is adopting it right now.
    await sleep(resolveRetriesMs[tries] ?? 0);
    if (this.#link?.applyReport(forwarded.channel, forwarded.report) || tries >= resolveRetriesMs.length - 1) return;
    await this.#forward(messageId, forwarded, tries + 1);
  }

  async #readInbox(reader: Redis): Promise<void> {
    const key = this.#keys.inbox(this.#settings.instanceId);
    let last = '0';
    while (!this.#closed && !this.#handingOver) {
      try {
        const result = await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', key, last);
        if (result === null) continue;
        if (this.#handingOver) return; // left in the inbox for the survivor's claim
        const read: string[] = [];
        for (const [, entries] of result) {
          for (const [id, fields] of entries) {
            last = id;
            read.push(id);
            this.#applyForwarded(fields[1]);
          }
        }
        if (read.length > 0) this.#track(this.#redis.xdel(key, ...read), 'trimming the inbox');
      } catch (error) {
        if (this.#closed || this.#handingOver) return;
        this.#logger.error('redis cluster: reading the inbox failed', { error });
        await sleep(100);
      }
    }
  }

  #applyForwarded(json: string | undefined): void {
    if (json === undefined) return;
    try {
      const { channel, report } = decodeReceipt(json);
      if (this.#link?.applyReport(channel, report)) return;
      // Forwarded here because this process owns the message, yet none waits for it: a takeover
      // is adopting it right now (claimed, records still being read). Replayed after each adoption.
      this.#unapplied.set(json, performance.now() + unappliedKeepMs);
      if (this.#unapplied.size > maxUnapplied) {
        const oldest = this.#unapplied.keys().next().value;
        if (oldest !== undefined) this.#unapplied.delete(oldest);
      }
    } catch (error) {
      this.#logger.error('redis cluster: a forwarded receipt could not be applied', { error });
    }
  }

  /** Forwarded receipts no message here waited for yet (JSON → when to forget them). */
  readonly #unapplied = new Map<string, number>();

  #replayUnapplied(): void {
    const now = performance.now();
    for (const [json, until] of [...this.#unapplied]) {
      if (until < now) {
        this.#unapplied.delete(json);
        continue;
      }
      try {
        const { channel, report } = decodeReceipt(json);
        if (this.#link?.applyReport(channel, report)) this.#unapplied.delete(json);
      } catch {
        this.#unapplied.delete(json);
      }
    }
  }

  /** The unsettled messages a previous run under this instanceId left (a restarted pod, say). */
  async #resumePreviousRun(): Promise<void> {
    const keys = this.#keys;
    const me = this.#settings.instanceId;
    const ids = await this.#redis.tidingsResume(
      keys.alive(me),
      keys.instances,
      keys.owned(me),
      this.#settings.deadAfterMs,
      me,
      keys.namespace,
    );
    this.#beats++;
    if (ids.length === 0) return;
    this.#logger.warn('redis cluster: took over the messages a previous run of this process left', {
      instanceId: me,
      messages: ids.length,
    });
    await this.#adopt(ids);
  }

  #takingOverNow = false;

  /**
   * The heartbeat, on its own: never behind a takeover (adopting thousands of messages takes a
   * while, and a late heartbeat would make this process look dead in turn).
   */
  async #tick(): Promise<void> {
    if (this.#closed || this.#handingOver) return;
    try {
      await this.#beat();
    } catch (error) {
      if (!this.#closed) this.#logger.error('redis cluster: heartbeat failed', { error });
      return;
    }
    if (this.#takingOverNow) return;
    this.#takingOverNow = true;
    this.#takingOver = this.#takeOverDead()
      .catch((error: unknown) => {
        if (!this.#closed) this.#logger.error('redis cluster: taking over failed', { error });
      })
      .finally(() => {
        this.#takingOverNow = false;
      });
  }

  async #beat(): Promise<void> {
    const me = this.#settings.instanceId;
    const had = await this.#redis.tidingsHeartbeat(
      this.#keys.alive(me),
      this.#keys.instances,
      this.#settings.deadAfterMs,
      me,
    );
    if (had === 0 && this.#beats++ > 0) {
      // Paused longer than deadAfterMs: another process may have taken our messages over.
      this.#logger.error('redis cluster: this process was presumed dead; its messages may have been taken over', {
        instanceId: me,
      });
    }
  }

  async #takeOverDead(): Promise<void> {
    const keys = this.#keys;
    const me = this.#settings.instanceId;
    const others = (await this.#redis.smembers(keys.instances)).filter((id) => id !== me);
    if (others.length === 0) return;
    const alive = await Promise.all(others.map((id) => this.#redis.exists(keys.alive(id))));
    for (const [i, dead] of others.entries()) {
      if (alive[i] === 1 || this.#closed) continue;
      const claimed = await this.#redis.tidingsClaim(
        keys.instances,
        keys.alive(dead),
        keys.owned(dead),
        keys.owned(me),
        keys.inbox(dead),
        keys.namespace,
        dead,
        me,
      );
      if (claimed === null) continue; // another survivor was first
      const [ids, inbox] = claimed;
      this.#logger.warn('redis cluster: took over the messages of a process that died', {
        instanceId: dead,
        messages: ids.length,
      });
      await this.#adopt(ids);
      for (const json of inbox) this.#applyForwarded(json);
    }
  }

  async #adopt(ids: readonly string[]): Promise<void> {
    const keys = this.#keys;
    const batch = 500;
    for (let start = 0; start < ids.length; start += batch) {
      const slice = ids.slice(start, start + batch);
      const pipeline = this.#redis.pipeline();
      for (const id of slice) {
        pipeline.hgetall(keys.message(id));
        pipeline.smembers(keys.correlations(id));
      }
      const replies = (await pipeline.exec()) ?? [];
      const adopted: AdoptedMessage[] = [];
      for (const [i, id] of slice.entries()) {
        const hash = (replies[2 * i]?.[1] ?? {}) as Record<string, string>;
        const correlations = (replies[2 * i + 1]?.[1] ?? []) as string[];
        const record = recordFrom(hash);
        const message = messageFrom(hash);
        if (record === undefined || record.terminal) continue;
        const prefix = keys.correlation(record.channel, '');
        const providerMessageIds = correlations
          .filter((key) => key.startsWith(prefix))
          .map((key) => key.slice(prefix.length));
        // Without its body (sent with `sensitive: true`, e.g. a one-time code) the runtime cannot
        // send it again: unless it only waits for its receipt, it ends it with one `failed` event
        // (`details.bodyNotKept`).
        const waitsForReceipt =
          record.status === 'accepted' && (providerMessageIds.length > 0 || record.providerMessageId !== undefined);
        if (message === undefined && !waitsForReceipt) {
          this.#logger.warn(
            'redis cluster: a message taken over was stored without its body (sensitive): ending it failed',
            {
              messageId: id,
            },
          );
        }
        adopted.push({
          record,
          ...(message === undefined ? {} : { message }),
          ...(providerMessageIds.length > 0 ? { providerMessageIds } : {}),
        });
      }
      this.#link?.adopt(adopted);
      this.#replayUnapplied();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
