import { describe, expect, it } from 'vitest';
import { Deque } from './deque.js';

/** mulberry32: a small seeded PRNG, so a failing sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function contents<T>(deque: Deque<T>): T[] {
  return deque.drain();
}

describe('Deque', () => {
  it('is empty at first: shift gives undefined, drain gives nothing', () => {
    const deque = new Deque<number>();
    expect(deque.size).toBe(0);
    expect(deque.shift()).toBeUndefined();
    expect(deque.drain()).toEqual([]);
    expect(deque.size).toBe(0);
  });

  it('push then shift is FIFO', () => {
    const deque = new Deque<string>();
    for (const item of ['a', 'b', 'c']) deque.push(item);
    expect(deque.size).toBe(3);
    expect(deque.shift()).toBe('a');
    expect(deque.shift()).toBe('b');
    expect(deque.shift()).toBe('c');
    expect(deque.shift()).toBeUndefined();
    expect(deque.size).toBe(0);
  });

  it('unshift puts items in front, the last unshifted first', () => {
    const deque = new Deque<number>();
    deque.push(10);
    deque.unshift(2);
    deque.unshift(1);
    deque.push(11);
    expect(contents(deque)).toEqual([1, 2, 10, 11]);
  });

  it('keeps order across growth well past the initial capacity', () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 1_000; i++) deque.push(i);
    expect(deque.size).toBe(1_000);
    expect(contents(deque)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
  });

  it('keeps order when growth happens while the ring has wrapped around', () => {
    const deque = new Deque<number>();
    // Move the head near the end of the 16-slot ring, then fill it so the items wrap.
    for (let i = 0; i < 12; i++) deque.push(-1);
    for (let i = 0; i < 12; i++) deque.shift();
    for (let i = 0; i < 16; i++) deque.push(i); // full, wrapped
    deque.push(16); // grows while wrapped
    deque.unshift(-1);
    expect(contents(deque)).toEqual(Array.from({ length: 18 }, (_, i) => i - 1));
  });

  it('keeps order when unshift wraps the head below index 0 and then grows', () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 40; i++) deque.unshift(i);
    expect(deque.size).toBe(40);
    expect(contents(deque)).toEqual(Array.from({ length: 40 }, (_, i) => 39 - i));
  });

  it('drain empties the deque and it stays usable', () => {
    const deque = new Deque<number>();
    for (let i = 0; i < 20; i++) deque.push(i);
    expect(deque.drain()).toHaveLength(20);
    expect(deque.size).toBe(0);
    deque.unshift(7);
    deque.push(8);
    expect(contents(deque)).toEqual([7, 8]);
  });

  it('drain returns every item even when some items are undefined', () => {
    const deque = new Deque<number | undefined>();
    deque.push(1);
    deque.push(undefined);
    deque.push(3);
    expect(deque.drain()).toEqual([1, undefined, 3]);
    expect(deque.size).toBe(0);
  });

  it.each([1, 2, 3, 4, 5, 6])('matches an array model over random operations (seed %i)', (seed) => {
    const random = prng(seed);
    const deque = new Deque<number>();
    const model: number[] = [];
    let next = 0;
    // Phases with different mixes make the deque grow, shrink to empty and wrap repeatedly.
    for (let step = 0; step < 20_000; step++) {
      const phase = Math.floor(step / 2_500) % 4;
      const growBias = phase === 0 ? 0.75 : phase === 1 ? 0.35 : phase === 2 ? 0.6 : 0.45;
      const roll = random();
      if (roll < growBias) {
        const value = next++;
        if (random() < 0.5) {
          deque.push(value);
          model.push(value);
        } else {
          deque.unshift(value);
          model.unshift(value);
        }
      } else if (roll < 0.995) {
        const got = deque.shift();
        const want = model.shift();
        if (got !== want) expect({ step, got }).toEqual({ step, got: want });
      } else {
        expect(deque.drain()).toEqual(model.splice(0));
      }
      if (deque.size !== model.length) expect({ step, size: deque.size }).toEqual({ step, size: model.length });
    }
    expect(deque.drain()).toEqual(model);
  });
});
