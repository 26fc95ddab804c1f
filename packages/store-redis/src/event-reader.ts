import type { MessageEvent } from '@tidings/core';
import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import { decodeEvent } from './event-codec.js';

/**
 * Reads a stream of events as an Observable, on a connection of its own (a blocking read holds
 * it): from the start (`0`) or from now, completing after `until` says so. The connection closes
 * when the subscriber unsubscribes or the stream completes.
 */
export function readEvents(
  client: Redis,
  key: string,
  from: 'start' | 'now',
  until?: (event: MessageEvent) => boolean,
): Observable<MessageEvent> {
  return new Observable<MessageEvent>((subscriber) => {
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
    run().then(
      () => {
        closed = true;
        reader.disconnect();
      },
      (error: unknown) => {
        reader.disconnect();
        if (!closed) subscriber.error(error);
        closed = true;
      },
    );
    return () => {
      closed = true;
      reader.disconnect();
    };
  });
}
