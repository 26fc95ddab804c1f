import {
  ErrorCode,
  type Logger,
  type MessageBase,
  type SendContext,
  type SubmitResult,
  TidingsError,
} from '@tidings/core';
import type { Redis } from 'ioredis';
import { decodeError } from './event-codec.js';
import { redisError } from './redis-error.js';

/** A submit handed from a process without a bind to one holding a lease. */
interface HandOffRequest {
  readonly id: string;
  /** The requesting process: where the answer goes. */
  readonly from: string;
  readonly messageId: string;
  readonly attempt: number;
  /** Epoch ms after which the requester no longer waits: a holder drops it unsent. */
  readonly deadline: number;
  readonly message: MessageBase;
}

type HandOffReply =
  | { readonly id: string; readonly result: SubmitResult }
  | { readonly id: string; readonly error: Record<string, unknown> };

const group = 'holders';
const replyTtlMs = 10 * 60 * 1000;

interface Pending {
  resolve(result: SubmitResult): void;
  reject(error: unknown): void;
  cleanup(): void;
}

/**
 * The shared queue of one leased channel (a Redis Stream with one consumer group): processes
 * without a lease `request` submits; lease holders `serve` them with their own bind and answer on
 * the requester's reply stream. Entries a dead holder had read are claimed by a living one and
 * answered as ambiguous (it may have sent them): the requester's `ambiguous` setting decides.
 */
export class HandOff {
  readonly #redis: Redis;
  readonly #queue: string;
  readonly #replies: string;
  readonly #replyPrefix: string;
  readonly #instanceId: string;
  readonly #logger: Logger;
  readonly #isAlive: (instanceId: string) => Promise<boolean>;
  readonly #pending = new Map<string, Pending>();
  #nextId = 0;
  #replyReader: Redis | undefined;
  #replyLoop: Promise<void> | undefined;
  #serveReader: Redis | undefined;
  #serveLoop: Promise<void> | undefined;
  #closed = false;

  constructor(
    redis: Redis,
    queueKey: string,
    replyPrefix: string,
    instanceId: string,
    isAlive: (instanceId: string) => Promise<boolean>,
    logger: Logger,
  ) {
    this.#isAlive = isAlive;
    this.#redis = redis;
    this.#queue = queueKey;
    this.#replyPrefix = replyPrefix;
    this.#replies = `${replyPrefix}${instanceId}`;
    this.#instanceId = instanceId;
    this.#logger = logger;
  }

  /** Hands one submit to the lease holders; settles with their answer, or rejects after `timeoutMs`. */
  request(message: MessageBase, context: SendContext, timeoutMs: number): Promise<SubmitResult> {
    if (this.#closed) return Promise.reject(new TidingsError(ErrorCode.Shutdown, 'the hand-off queue is closed'));
    this.#startReplies();
    const id = `${this.#instanceId}:${++this.#nextId}`;
    const request: HandOffRequest = {
      id,
      from: this.#instanceId,
      messageId: context.messageId,
      attempt: context.attempt,
      deadline: Date.now() + timeoutMs,
      message,
    };
    return new Promise<SubmitResult>((resolve, reject) => {
      const cancellation = context.cancellation ?? context.signal;
      // Given up on before a holder read it: taken back out of the queue, so it is never sent
      // after the runtime has moved on (a retry, a fallback).
      let entryId: string | null | undefined;
      let withdrawn = false;
      const withdraw = (): void => {
        withdrawn = true;
        if (typeof entryId === 'string') this.#redis.xdel(this.#queue, entryId).catch(() => {});
      };
      const onAbort = (): void => {
        const pending = this.#pending.get(id);
        if (pending === undefined) return;
        pending.cleanup();
        withdraw();
        reject(cancellation.reason);
      };
      const timer = setTimeout(() => {
        const pending = this.#pending.get(id);
        if (pending === undefined) return;
        pending.cleanup();
        withdraw();
        reject(
          new TidingsError(ErrorCode.Timeout, `no lease holder answered the hand-off within ${timeoutMs} ms`, {
            ambiguous: true,
            retry: { kind: 'retry' },
          }),
        );
      }, timeoutMs);
      this.#pending.set(id, {
        resolve,
        reject,
        cleanup: () => {
          clearTimeout(timer);
          cancellation.removeEventListener('abort', onAbort);
          this.#pending.delete(id);
        },
      });
      cancellation.addEventListener('abort', onAbort, { once: true });
      this.#redis
        .xadd(this.#queue, 'MAXLEN', '~', 100_000, '*', 'q', JSON.stringify(request))
        .then((added) => {
          entryId = added;
          if (withdrawn) withdraw();
        })
        .catch((error: unknown) => {
          const pending = this.#pending.get(id);
          if (pending === undefined) return;
          pending.cleanup();
          reject(
            new TidingsError(ErrorCode.ConnectionLost, 'could not hand the message to the lease holders', {
              retry: { kind: 'retry' },
              // Without the failed XADD's arguments: they hold the message.
              cause: redisError(error),
            }),
          );
        });
    });
  }

  /**
   * Serves the queue with `send` (this process' bind) until `stopServing`: up to `concurrency`
   * submits at once. First answers what dead holders left unanswered (as ambiguous).
   */
  serve(
    send: (message: MessageBase, context: SendContext) => Promise<SubmitResult>,
    concurrency: number,
    claimIdleMs: number,
  ): void {
    if (this.#closed || this.#serveLoop !== undefined) return;
    const reader = this.#redis.duplicate();
    reader.on('error', () => {});
    this.#serveReader = reader;
    this.#serveLoop = this.#serve(reader, send, concurrency, claimIdleMs);
  }

  async stopServing(): Promise<void> {
    const loop = this.#serveLoop;
    this.#serveReader?.disconnect();
    this.#serveReader = undefined;
    this.#serveLoop = undefined;
    await loop;
    if (loop !== undefined) await this.#leaveGroup().catch(() => {});
  }

  /**
   * Takes this holder out of the consumer group when it has nothing pending (one consumer per
   * process that ever held a lease would pile up); with entries pending it stays, for a living
   * holder's {@link #claimStale} to answer them once this process is gone.
   */
  async #leaveGroup(): Promise<void> {
    const consumers = await this.#consumers();
    const me = consumers.find((consumer) => consumer.name === this.#instanceId);
    if (me !== undefined && me.pending === 0) {
      await this.#redis.xgroup('DELCONSUMER', this.#queue, group, this.#instanceId);
    }
  }

  async #consumers(): Promise<{ name: string; pending: number; idle: number }[]> {
    const replies = (await this.#redis.xinfo('CONSUMERS', this.#queue, group)) as unknown[][];
    return replies.map((fields) => {
      const at = (name: string): unknown => fields[fields.indexOf(name) + 1];
      return { name: String(at('name')), pending: Number(at('pending')), idle: Number(at('idle')) };
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.stopServing();
    this.#replyReader?.disconnect();
    await this.#replyLoop;
    for (const pending of [...this.#pending.values()]) {
      pending.cleanup();
      pending.reject(
        new TidingsError(ErrorCode.Shutdown, 'stopped before a lease holder answered', { ambiguous: true }),
      );
    }
  }

  #startReplies(): void {
    if (this.#replyLoop !== undefined) return;
    const reader = this.#redis.duplicate();
    reader.on('error', () => {});
    this.#replyReader = reader;
    this.#replyLoop = this.#readReplies(reader);
  }

  async #readReplies(reader: Redis): Promise<void> {
    let last = '0';
    while (!this.#closed) {
      try {
        const result = await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', this.#replies, last);
        if (result === null) continue;
        const read: string[] = [];
        for (const [, entries] of result) {
          for (const [id, fields] of entries) {
            last = id;
            read.push(id);
            this.#answer(JSON.parse(fields[1] as string) as HandOffReply);
          }
        }
        if (read.length > 0) await this.#redis.xdel(this.#replies, ...read);
      } catch (error) {
        if (this.#closed) return;
        this.#logger.error('hand-off: reading answers failed', { error });
        await sleep(100);
      }
    }
  }

  #answer(reply: HandOffReply): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return; // given up on already (timeout, cancel)
    pending.cleanup();
    if ('result' in reply) pending.resolve(reply.result);
    else pending.reject(decodeError(reply.error));
  }

  async #serve(
    reader: Redis,
    send: (message: MessageBase, context: SendContext) => Promise<SubmitResult>,
    concurrency: number,
    claimIdleMs: number,
  ): Promise<void> {
    const queue = this.#queue;
    try {
      await this.#redis.xgroup('CREATE', queue, group, '0', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) this.#logger.error('hand-off: creating the group failed', { error });
    }
    let inFlight = 0;
    let freed: (() => void) | undefined;
    let lastClaim = 0;
    while (this.#serveReader === reader && !this.#closed) {
      try {
        if (Date.now() - lastClaim >= claimIdleMs) {
          lastClaim = Date.now();
          await this.#claimStale(claimIdleMs);
        }
        if (inFlight >= concurrency) {
          await new Promise<void>((resolve) => {
            freed = resolve;
          });
          continue;
        }
        const result = (await reader.xreadgroup(
          'GROUP',
          group,
          this.#instanceId,
          'COUNT',
          concurrency - inFlight,
          'BLOCK',
          Math.min(1000, claimIdleMs),
          'STREAMS',
          queue,
          '>',
        )) as [string, [string, string[]][]][] | null;
        if (result === null) continue;
        for (const [, entries] of result) {
          for (const [entryId, fields] of entries) {
            const request = JSON.parse(fields[1] as string) as HandOffRequest;
            inFlight++;
            void this.#handle(entryId, request, send)
              // A reply or an ack Redis refused: logged (never an unhandled rejection); the
              // requester's deadline answers for it.
              .catch((error: unknown) => this.#logger.error('hand-off: answering failed', { error: redisError(error) }))
              .finally(() => {
                inFlight--;
                const wake = freed;
                freed = undefined;
                wake?.();
              });
          }
        }
      } catch (error) {
        if (this.#serveReader !== reader || this.#closed) return;
        this.#logger.error('hand-off: serving the queue failed', { error });
        await sleep(100);
      }
    }
  }

  async #handle(
    entryId: string,
    request: HandOffRequest,
    send: (message: MessageBase, context: SendContext) => Promise<SubmitResult>,
  ): Promise<void> {
    const left = request.deadline - Date.now();
    if (left <= 0) {
      await this.#ack(entryId); // the requester gave up: never send it
      return;
    }
    let reply: HandOffReply;
    try {
      const signal = AbortSignal.timeout(left);
      const result = await send(request.message, { messageId: request.messageId, attempt: request.attempt, signal });
      reply = { id: request.id, result };
    } catch (error) {
      reply = { id: request.id, error: TidingsError.from(error).toJSON() };
    }
    await this.#reply(request.from, reply);
    await this.#ack(entryId);
  }

  /**
   * Entries a holder read and never acknowledged because it died (its heartbeat is gone): answered
   * as ambiguous, never sent again here. A live holder's slow entries are left alone.
   */
  async #claimStale(claimIdleMs: number): Promise<void> {
    const stale = (await this.#redis.xpending(this.#queue, group, 'IDLE', claimIdleMs, '-', '+', 1000)) as [
      string,
      string,
      number,
      number,
    ][];
    const consumers = [...new Set(stale.map(([, consumer]) => consumer))].filter((c) => c !== this.#instanceId);
    for (const consumer of consumers) {
      if (await this.#isAlive(consumer)) continue;
      const ids = stale.filter(([, c]) => c === consumer).map(([id]) => id);
      const entries = (await this.#redis.xclaim(this.#queue, group, this.#instanceId, claimIdleMs, ...ids)) as [
        string,
        string[] | null,
      ][];
      for (const [entryId, fields] of entries) {
        if (fields === null) continue; // deleted meanwhile
        const request = JSON.parse(fields[1] as string) as HandOffRequest;
        const error = new TidingsError(
          ErrorCode.ConnectionLost,
          'the process holding the bind stopped while sending this message: the provider may or may not have it',
          { ambiguous: true, retry: { kind: 'retry' }, details: { handOff: true } },
        );
        if (request.deadline > Date.now()) await this.#reply(request.from, { id: request.id, error: error.toJSON() });
        await this.#ack(entryId);
      }
      await this.#redis.xgroup('DELCONSUMER', this.#queue, group, consumer);
    }
    // Holders that are gone and left nothing pending (they died between two reads): forgotten.
    for (const consumer of await this.#consumers()) {
      if (consumer.name === this.#instanceId || consumer.pending > 0 || consumer.idle < claimIdleMs) continue;
      if (await this.#isAlive(consumer.name)) continue;
      await this.#redis.xgroup('DELCONSUMER', this.#queue, group, consumer.name);
    }
  }

  async #reply(to: string, reply: HandOffReply): Promise<void> {
    const key = `${this.#replyPrefix}${to}`;
    await this.#redis.xadd(key, 'MAXLEN', '~', 100_000, '*', 'a', JSON.stringify(reply));
    await this.#redis.pexpire(key, replyTtlMs);
  }

  async #ack(entryId: string): Promise<void> {
    await this.#redis.xack(this.#queue, group, entryId);
    await this.#redis.xdel(this.#queue, entryId);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
