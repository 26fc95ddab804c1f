import type { MessageEvent } from '@tidings/core';
import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import { decodeEvent } from './event-codec.js';

/** The readers open on one client's behalf: closing them completes their Observables. */
export class EventReaders {
  readonly #open = new Set<() => void>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  add(end: () => void): void {
    this.#open.add(end);
  }

  delete(end: () => void): void {
    this.#open.delete(end);
  }

  /** Disconnects every reader and completes its subscriber; later subscribers complete at once. */
  closeAll(): void {
    this.#closed = true;
    for (const end of [...this.#open]) end();
    this.#open.clear();
  }
}

/**
 * Reads a stream of events as an Observable, on a connection of its own (a blocking read holds
 * it): from the start (`0`) or from now, completing after `until` says so. The connection closes
 * when the subscriber unsubscribes, the stream completes or `readers` are closed.
 */
export function readEvents(
  client: Redis,
  readers: EventReaders,
  key: string,
  from: 'start' | 'now',
  until?: (event: MessageEvent) => boolean,
): Observable<MessageEvent> {
  return new Observable<MessageEvent>((subscriber) => {
    if (readers.closed) {
      subscriber.complete();
      return;
    }
    const reader = client.duplicate();
    reader.on('error', () => {}); // reconnects on its own; a failing read ends the Observable
    let closed = false;
    const run = async (): Promise<void> => {
      let last = '0';
      if (from === 'now') {
        // The current last id, not `$`: `$` between two reads would skip what came in between.
        const newest = await reader.xrevrange(key, '+', '-', 'COUNT', 1);
        last = newest[0]?.[0] ?? '0';
      }
      while (!closed) {
        const result = await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', key, last);
        if (result === null) continue;
        for (const [, entries] of result) {
          for (const [id, fields] of entries) {
            last = id;
            if (closed) return;
            const json = fields[1];
            if (json === undefined) continue;
            const event = decodeEvent(json);
            subscriber.next(event);
            if (until?.(event)) {
              subscriber.complete();
              return;
            }
          }
        }
      }
    };
    const end = (): void => {
      closed = true;
      reader.disconnect();
      subscriber.complete();
    };
    readers.add(end);
    run().then(
      () => {
        closed = true;
        readers.delete(end);
        reader.disconnect();
      },
      (error: unknown) => {
        readers.delete(end);
        reader.disconnect();
        if (!closed) subscriber.error(error);
        closed = true;
      },
    );
    return () => {
      closed = true;
      readers.delete(end);
      reader.disconnect();
    };
  });
}
