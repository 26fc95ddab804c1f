import { describe, expect, it } from 'vitest';
import { RecentReceipts } from './recent-receipts.js';

describe('RecentReceipts', () => {
  it('reports a message and state once; another state of the same message is new', () => {
    const recent = new RecentReceipts(10);
    expect(recent.firstTime('1', 'delivered')).toBe(true);
    expect(recent.firstTime('1', 'delivered')).toBe(false);
    expect(recent.firstTime('1', 'enroute')).toBe(true);
    expect(recent.firstTime('2', 'delivered')).toBe(true);
  });

  it('forgets the oldest beyond its limit', () => {
    const recent = new RecentReceipts(2);
    recent.firstTime('1', 'delivered');
    recent.firstTime('2', 'delivered');
    recent.firstTime('3', 'delivered');
    expect(recent.firstTime('1', 'delivered')).toBe(true);
    expect(recent.firstTime('3', 'delivered')).toBe(false);
  });
});
