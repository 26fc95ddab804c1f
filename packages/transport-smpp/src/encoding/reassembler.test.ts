import { ErrorCode, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { ConcatenationReassembler } from './reassembler.js';

function manualClock() {
  let now = 0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const part = (
  sequence: number,
  text: string,
  overrides: { key?: string; reference?: number; total?: number } = {},
) => ({
  key: overrides.key ?? '+77010000001>1234',
  reference: overrides.reference ?? 7,
  total: overrides.total ?? 3,
  sequence,
  text,
});

describe('ConcatenationReassembler', () => {
  it('returns the full text when the last missing part arrives, in any order', () => {
    const reassembler = new ConcatenationReassembler();
    expect(reassembler.accept(part(3, 'C'))).toBeUndefined();
    expect(reassembler.accept(part(1, 'A'))).toBeUndefined();
    expect(reassembler.pendingCount).toBe(1);
    expect(reassembler.accept(part(2, 'B'))).toBe('ABC');
    expect(reassembler.pendingCount).toBe(0);
  });

  it('ignores a duplicate part, keeping the first copy', () => {
    const reassembler = new ConcatenationReassembler();
    expect(reassembler.accept(part(1, 'A'))).toBeUndefined();
    expect(reassembler.accept(part(1, 'X'))).toBeUndefined();
    expect(reassembler.accept(part(2, 'B'))).toBeUndefined();
    expect(reassembler.accept(part(3, 'C'))).toBe('ABC');
  });

  it('returns a one-part message at once without holding it', () => {
    const reassembler = new ConcatenationReassembler();
    expect(reassembler.accept(part(1, 'solo', { total: 1 }))).toBe('solo');
    expect(reassembler.pendingCount).toBe(0);
  });

  it('keeps messages apart by key, reference and total', () => {
    const reassembler = new ConcatenationReassembler();
    reassembler.accept(part(1, 'a1', { total: 2 }));
    reassembler.accept(part(1, 'b1', { total: 2, key: 'other' }));
    reassembler.accept(part(1, 'c1', { total: 2, reference: 8 }));
    reassembler.accept(part(1, 'd1', { total: 3 }));
    expect(reassembler.pendingCount).toBe(4);
    expect(reassembler.accept(part(2, 'b2', { total: 2, key: 'other' }))).toBe('b1b2');
    expect(reassembler.accept(part(2, 'a2', { total: 2 }))).toBe('a1a2');
    expect(reassembler.accept(part(2, 'c2', { total: 2, reference: 8 }))).toBe('c1c2');
  });

  it('starts afresh when a reference is reused after completion', () => {
    const reassembler = new ConcatenationReassembler();
    reassembler.accept(part(1, 'A', { total: 2 }));
    expect(reassembler.accept(part(2, 'B', { total: 2 }))).toBe('AB');
    expect(reassembler.accept(part(2, 'y', { total: 2 }))).toBeUndefined();
    expect(reassembler.accept(part(1, 'x', { total: 2 }))).toBe('xy');
  });

  it('joins UCS2 parts whose surrogate pair a handset split across them', () => {
    const reassembler = new ConcatenationReassembler();
    reassembler.accept(part(1, 'hi \ud83d', { total: 2 }));
    expect(reassembler.accept(part(2, '\ude00!', { total: 2 }))).toBe('hi 😀!');
  });

  it('sweep drops only incomplete messages older than the timeout and says how many', () => {
    const clock = manualClock();
    const reassembler = new ConcatenationReassembler({ timeoutMs: 1_000, now: clock.now });
    reassembler.accept(part(1, 'old', { reference: 1 }));
    clock.advance(600);
    reassembler.accept(part(1, 'new', { reference: 2 }));
    clock.advance(400);
    expect(reassembler.sweep()).toBe(0); // exactly at the timeout: not older yet
    clock.advance(1);
    expect(reassembler.sweep()).toBe(1);
    expect(reassembler.pendingCount).toBe(1);
    // The dropped message starts again from nothing; the kept one still completes.
    expect(reassembler.accept(part(2, 'B', { reference: 1 }))).toBeUndefined();
    reassembler.accept(part(2, '2', { reference: 2 }));
    expect(reassembler.accept(part(3, '3', { reference: 2 }))).toBe('new23');
    clock.advance(10_000);
    expect(reassembler.sweep()).toBe(1);
    expect(reassembler.pendingCount).toBe(0);
  });

  it('drops the oldest incomplete message past maxPending', () => {
    const reassembler = new ConcatenationReassembler({ maxPending: 2 });
    reassembler.accept(part(1, 'a', { reference: 1, total: 2 }));
    reassembler.accept(part(1, 'b', { reference: 2, total: 2 }));
    reassembler.accept(part(1, 'c', { reference: 3, total: 2 }));
    expect(reassembler.pendingCount).toBe(2);
    expect(reassembler.accept(part(2, 'B', { reference: 2, total: 2 }))).toBe('bB');
    expect(reassembler.accept(part(2, 'C', { reference: 3, total: 2 }))).toBe('cC');
    // Reference 1 was dropped: its second part now waits alone.
    expect(reassembler.accept(part(2, 'A', { reference: 1, total: 2 }))).toBeUndefined();
  });

  it('refuses an impossible numbering with TIDINGS_PROTOCOL_ERROR', () => {
    const reassembler = new ConcatenationReassembler();
    for (const [sequence, total] of [
      [0, 2],
      [3, 2],
      [1, 0],
      [1.5, 2],
    ] as const) {
      expect(() => reassembler.accept(part(sequence, 'x', { total }))).toThrow(
        expect.objectContaining({ code: ErrorCode.ProtocolError }),
      );
    }
    expect(reassembler.pendingCount).toBe(0);
  });

  it('refuses bad options with TIDINGS_INVALID_OPTIONS', () => {
    expect(() => new ConcatenationReassembler({ timeoutMs: 0 })).toThrow(TidingsError);
    expect(() => new ConcatenationReassembler({ maxPending: 0 })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidOptions }),
    );
  });
});
