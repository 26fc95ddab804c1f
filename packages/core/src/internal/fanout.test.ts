import { config } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Fanout } from './fanout.js';

describe('Fanout', () => {
  it('delivers each value to every current subscriber, without replay', () => {
    const fanout = new Fanout<number>();
    const a: number[] = [];
    const b: number[] = [];
    fanout.next(0);
    fanout.observable.subscribe((v) => a.push(v));
    fanout.next(1);
    fanout.observable.subscribe((v) => b.push(v));
    fanout.next(2);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([2]);
  });

  it('an unsubscribed subscriber gets nothing more, even from the value being delivered', () => {
    const fanout = new Fanout<number>();
    const seen: string[] = [];
    const first = fanout.observable.subscribe((v) => {
      seen.push(`first ${v}`);
      second.unsubscribe();
    });
    const second = fanout.observable.subscribe((v) => seen.push(`second ${v}`));
    fanout.next(1);
    fanout.next(2);
    first.unsubscribe();
    fanout.next(3);
    expect(seen).toEqual(['first 1', 'first 2']);
  });

  it('a subscriber that throws does not keep the value from the others', async () => {
    const fanout = new Fanout<number>();
    const seen: number[] = [];
    const errors: unknown[] = [];
    const before = config.onUnhandledError;
    config.onUnhandledError = (error) => errors.push(error);
    try {
      fanout.observable.subscribe(() => {
        throw new Error('boom');
      });
      fanout.observable.subscribe((v) => seen.push(v));
      fanout.next(7);
      expect(seen).toEqual([7]);
      // rxjs reports a subscriber's error on a later timer.
      await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      config.onUnhandledError = before;
    }
    expect(errors).toEqual([new Error('boom')]);
  });

  it('completes every subscriber, and completes late subscribers at once', () => {
    const fanout = new Fanout<number>();
    const events: string[] = [];
    fanout.observable.subscribe({ next: (v) => events.push(`next ${v}`), complete: () => events.push('complete') });
    fanout.complete();
    fanout.next(1);
    fanout.observable.subscribe({ complete: () => events.push('late complete') });
    expect(events).toEqual(['complete', 'late complete']);
  });
});
