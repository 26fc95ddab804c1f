import { describe, expect, it } from 'vitest';
import { randomUuid } from './random-uuid.js';

describe('randomUuid', () => {
  it('writes version 4 UUIDs in the canonical lower-case form', () => {
    for (let i = 0; i < 2_000; i++) {
      expect(randomUuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('never repeats, across several refills of its random pool', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 20_000; i++) ids.add(randomUuid());
    expect(ids.size).toBe(20_000);
  });

  it('uses every random bit it keeps: each hex position takes many values', () => {
    const seen = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 4_000; i++) {
      const id = randomUuid();
      for (let j = 0; j < 36; j++) seen[j]?.add(id[j] as string);
    }
    const sizes = seen.map((values) => values.size);
    // Fixed: the four dashes and the version digit; the variant digit is one of 8, 9, a, b.
    expect(sizes.filter((size) => size === 1)).toHaveLength(5);
    expect(sizes[19]).toBe(4);
    expect(sizes.filter((size) => size === 16)).toHaveLength(30);
  });
});
