import { describe, expect, it } from 'vitest';
import { QueueFullStreak } from './queue-full-streak.js';

describe('QueueFullStreak', () => {
  it('says stop on the sixth round of 0x14 in a row with a limit of 5', () => {
    const streak = new QueueFullStreak(5);
    const answers = Array.from({ length: 6 }, () => streak.queueFull(streak.round));
    expect(answers).toEqual([false, false, false, false, false, true]);
    expect(streak.inARow).toBe(6);
  });

  it('counts answers to one burst once', () => {
    const streak = new QueueFullStreak(5);
    const round = streak.round;
    for (let i = 0; i < 50; i++) expect(streak.queueFull(round)).toBe(false);
    expect(streak.inARow).toBe(1);
  });

  it('starts again after an accepted submit', () => {
    const streak = new QueueFullStreak(1);
    streak.queueFull(streak.round);
    streak.accepted();
    expect(streak.queueFull(streak.round)).toBe(false);
    expect(streak.queueFull(streak.round)).toBe(true);
  });

  it('keeps saying stop once past the limit, until a submit is accepted', () => {
    const streak = new QueueFullStreak(0);
    const old = streak.round;
    expect(streak.queueFull(old)).toBe(true);
    expect(streak.queueFull(old)).toBe(true);
    streak.accepted();
    expect(streak.inARow).toBe(0);
  });
});
