import { ErrorCode, TidingsError } from '@tidings/core';
import type { CommandName, Pdu } from '../pdu/pdu.js';

/** The PDU type of a command name (`PduOf<'submit_sm'>` is `SubmitSm`). */
export type PduOf<C extends CommandName> = Pdu extends infer P
  ? P extends Pdu
    ? C extends P['command']
      ? P & { readonly command: C }
      : never
    : never
  : never;

/** One PDU the simulator received, as it was decoded. */
export interface ReceivedPdu<P extends Pdu = Pdu> {
  readonly pdu: P;
  readonly sessionId: number;
  /** The session's system_id once bound; for a bind request, the system_id it asks for. */
  readonly systemId: string | undefined;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** Which received PDUs to list or wait for. */
export interface PduFilter<C extends CommandName = CommandName> {
  readonly command?: C;
  readonly systemId?: string;
  readonly sessionId?: number;
  /** A further test on the PDU. */
  readonly where?: (pdu: PduOf<C>, record: ReceivedPdu<PduOf<C>>) => boolean;
}

export interface PduWaitQuery<C extends CommandName = CommandName> extends PduFilter<C> {
  /** How many matching PDUs to wait for, counting those already received. Default 1. */
  readonly count?: number;
}

export interface WaitOptions {
  /** Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** For a predicate: how many matching PDUs to wait for. Default 1. */
  readonly count?: number;
}

type Test = (record: ReceivedPdu) => boolean;

interface Waiter {
  readonly test: Test;
  readonly need: number;
  readonly found: ReceivedPdu[];
  readonly resolve: (records: ReceivedPdu[]) => void;
  readonly reject: (error: TidingsError) => void;
}

const DEFAULT_WAIT_MS = 10_000;

/**
 * Every PDU received, in order, up to `limit` (the oldest are dropped first), and waiters that
 * resolve as soon as enough matching PDUs arrived — no polling.
 */
export class PduRecorder {
  readonly #limit: number;
  #records: ReceivedPdu[] = [];
  #waiters: Waiter[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  record(pdu: Pdu, sessionId: number, systemId: string | undefined): void {
    const record: ReceivedPdu = { pdu, sessionId, systemId, at: Date.now() };
    const records = this.#records;
    records.push(record);
    // Trim in bulk: amortised O(1), memory at most twice the limit.
    if (records.length >= this.#limit * 2) this.#records = records.slice(records.length - this.#limit);
    if (this.#waiters.length > 0) this.#offer(record);
  }

  /** The retained records, oldest first. */
  all(): ReceivedPdu[] {
    const records = this.#records;
    return records.length > this.#limit ? records.slice(records.length - this.#limit) : records.slice();
  }

  list<C extends CommandName>(filter: PduFilter<C>): ReceivedPdu<PduOf<C>>[] {
    const test = toTest(filter);
    return this.all().filter(test) as ReceivedPdu<PduOf<C>>[];
  }

  clear(): void {
    this.#records = [];
  }

  /** Resolves with the first `count` matching records (already received ones included). */
  waitFor(test: Test, count: number, timeoutMs: number | undefined, describe: () => string): Promise<ReceivedPdu[]> {
    const found: ReceivedPdu[] = [];
    for (const record of this.all()) {
      if (found.length >= count) break;
      if (test(record)) found.push(record);
    }
    if (found.length >= count) return Promise.resolve(found);
    const ms = timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise<ReceivedPdu[]>((resolve, reject) => {
      const waiter: Waiter = {
        test,
        need: count,
        found,
        resolve: (records) => {
          clearTimeout(timer);
          resolve(records);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((other) => other !== waiter);
        reject(
          new TidingsError(
            ErrorCode.Timeout,
            `The simulator received ${waiter.found.length} of ${count} PDUs matching ${describe()} within ${ms} ms; ` +
              'check what the client sent (sim.received) or wait longer.',
            { details: { found: waiter.found.length, count, timeoutMs: ms } },
          ),
        );
      }, ms);
      // A forgotten wait must not keep the test process alive.
      timer.unref();
      this.#waiters.push(waiter);
    });
  }

  /** Fails every pending wait (the simulator stopped). */
  close(error: TidingsError): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
  }

  #offer(record: ReceivedPdu): void {
    let done = false;
    for (const waiter of this.#waiters) {
      if (!waiter.test(record)) continue;
      waiter.found.push(record);
      if (waiter.found.length >= waiter.need) done = true;
    }
    if (!done) return;
    const remaining: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (waiter.found.length >= waiter.need) waiter.resolve(waiter.found);
      else remaining.push(waiter);
    }
    this.#waiters = remaining;
  }
}

/** A filter as a test on records. */
export function toTest<C extends CommandName>(filter: PduFilter<C>): Test {
  const { command, systemId, sessionId, where } = filter;
  return (record) =>
    (command === undefined || record.pdu.command === command) &&
    (systemId === undefined || record.systemId === systemId) &&
    (sessionId === undefined || record.sessionId === sessionId) &&
    (where === undefined || where(record.pdu as PduOf<C>, record as ReceivedPdu<PduOf<C>>));
}

/** `{"command":"submit_sm","count":3}`-like text for error messages. */
export function describeFilter<C extends CommandName>(filter: PduWaitQuery<C>): string {
  const parts: string[] = [];
  if (filter.command !== undefined) parts.push(`command ${filter.command}`);
  if (filter.systemId !== undefined) parts.push(`system_id ${filter.systemId}`);
  if (filter.sessionId !== undefined) parts.push(`session #${filter.sessionId}`);
  if (filter.where !== undefined) parts.push('the where() test');
  return parts.length === 0 ? 'any PDU' : parts.join(', ');
}
