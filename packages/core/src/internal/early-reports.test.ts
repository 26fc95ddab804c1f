import { describe, expect, it } from 'vitest';
import type { DeliveryReport } from '../message.js';
import { EarlyReports } from './early-reports.js';

const report = (providerMessageId: string, state: DeliveryReport['state'] = 'delivered'): DeliveryReport => ({
  providerMessageId,
  state,
});

describe('EarlyReports', () => {
  it('holds reports per key and hands them back once, oldest first', () => {
    const early = new EarlyReports(1_000, 100);
    const enroute = report('p1', 'enroute');
    const delivered = report('p1', 'delivered');
    const other = report('p2');
    early.hold('ch\u0000p1', enroute, 0);
    early.hold('ch\u0000p2', other, 1);
    early.hold('ch\u0000p1', delivered, 2);
    expect(early.size).toBe(3);
    expect(early.take('ch\u0000p1')).toEqual([enroute, delivered]);
    expect(early.size).toBe(1);
    expect(early.take('ch\u0000p1')).toEqual([]);
    expect(early.take('ch\u0000p2')).toEqual([other]);
    expect(early.size).toBe(0);
  });

  it('removes one held report, and says when it is no longer held', () => {
    const early = new EarlyReports(1_000, 100);
    const first = report('p1', 'enroute');
    const second = report('p1', 'delivered');
    early.hold('k', first, 0);
    early.hold('k', second, 1);
    expect(early.remove('k', first)).toBe(true);
    expect(early.remove('k', first)).toBe(false);
    expect(early.size).toBe(1);
    expect(early.take('k')).toEqual([second]);
    expect(early.remove('k', second)).toBe(false);
    expect(early.size).toBe(0);
  });

  it('take of an unknown key returns nothing and changes nothing', () => {
    const early = new EarlyReports(1_000, 100);
    early.hold('a', report('a'), 0);
    expect(early.take('b')).toEqual([]);
    expect(early.size).toBe(1);
  });

  it('keeps keys apart (same provider id on two channels)', () => {
    const early = new EarlyReports(1_000, 100);
    const onA = report('42', 'delivered');
    const onB = report('42', 'undelivered');
    early.hold('a\u000042', onA, 0);
    early.hold('b\u000042', onB, 0);
    expect(early.take('b\u000042')).toEqual([onB]);
    expect(early.take('a\u000042')).toEqual([onA]);
  });

  describe('TTL', () => {
    it('drops reports older than the TTL when the next one is held', () => {
      const early = new EarlyReports(1_000, 100);
      early.hold('old', report('old'), 0);
      early.hold('young', report('young'), 500);
      early.hold('new', report('new'), 1_000); // `old` is exactly 1 000 ms old: gone
      expect(early.size).toBe(2);
      expect(early.take('old')).toEqual([]);
      expect(early.take('young')).toHaveLength(1);
      expect(early.take('new')).toHaveLength(1);
    });

    it('keeps a report that is one millisecond younger than the TTL', () => {
      const early = new EarlyReports(1_000, 100);
      early.hold('k', report('k'), 0);
      early.hold('other', report('other'), 999);
      expect(early.take('k')).toHaveLength(1);
    });

    it('sweeps every expired key, not only the first', () => {
      const early = new EarlyReports(100, 1_000);
      for (let i = 0; i < 50; i++) early.hold(`k${i}`, report(`k${i}`), i);
      early.hold('fresh', report('fresh'), 149); // k0..k49 are 100..149 ms old
      expect(early.size).toBe(1);
      expect(early.take('fresh')).toHaveLength(1);
    });

    it('keeps fresh keys after expired ones are swept', () => {
      const early = new EarlyReports(100, 1_000);
      early.hold('stale', report('stale'), 0);
      early.hold('fresh', report('fresh'), 60);
      early.hold('trigger', report('trigger'), 120);
      expect(early.take('stale')).toEqual([]);
      expect(early.take('fresh')).toHaveLength(1);
      expect(early.size).toBe(1);
    });

    it('a key taken and held again counts its age from the new report', () => {
      const early = new EarlyReports(100, 1_000);
      early.hold('k', report('k'), 0);
      early.take('k');
      early.hold('k', report('k'), 90);
      early.hold('other', report('other'), 150);
      expect(early.take('k')).toHaveLength(1);
    });
  });

  describe('maxHeld', () => {
    it('never holds more than maxHeld reports, dropping the oldest keys first', () => {
      const early = new EarlyReports(60_000, 10);
      for (let i = 0; i < 25; i++) {
        early.hold(`k${i}`, report(`k${i}`), i);
        expect(early.size).toBeLessThanOrEqual(10);
      }
      expect(early.size).toBe(10);
      expect(early.take('k14')).toEqual([]);
      for (let i = 15; i < 25; i++) expect(early.take(`k${i}`)).toHaveLength(1);
      expect(early.size).toBe(0);
    });

    it('counts every report of a key against the bound', () => {
      const early = new EarlyReports(60_000, 5);
      for (let i = 0; i < 5; i++) early.hold('busy', report('busy'), i);
      expect(early.size).toBe(5);
      early.hold('next', report('next'), 10);
      expect(early.size).toBeLessThanOrEqual(5);
      expect(early.take('next')).toHaveLength(1);
    });

    it('stays bounded over a long stream of receipts nobody claims', () => {
      const early = new EarlyReports(60_000, 1_000);
      let peak = 0;
      for (let i = 0; i < 50_000; i++) {
        early.hold(`k${i % 7_000}`, report(String(i)), i);
        peak = Math.max(peak, early.size);
      }
      expect(peak).toBe(1_000);
    });
  });

  it('defaults to a 5 minute TTL', () => {
    const early = new EarlyReports();
    early.hold('a', report('a'), 0);
    early.hold('b', report('b'), 5 * 60 * 1000 - 1);
    expect(early.size).toBe(2);
    early.hold('c', report('c'), 5 * 60 * 1000);
    expect(early.take('a')).toEqual([]);
    expect(early.size).toBe(2);
  });

  it('clear forgets everything', () => {
    const early = new EarlyReports(1_000, 100);
    early.hold('a', report('a'), 0);
    early.hold('b', report('b'), 0);
    early.clear();
    expect(early.size).toBe(0);
    expect(early.take('a')).toEqual([]);
  });
});
