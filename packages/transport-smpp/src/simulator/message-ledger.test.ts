import { describe, expect, it } from 'vitest';
import { formatAbsoluteTime, MessageLedger, queryStateOf, type StoredMessage } from './message-ledger.js';

function message(messageId: string, overrides: Partial<StoredMessage> = {}): StoredMessage {
  return {
    messageId,
    systemId: 'test',
    sourceAddr: '1',
    destinationAddr: '2',
    submittedAt: 0,
    doneAt: 1000,
    stat: 'DELIVRD',
    err: 0,
    ...overrides,
  };
}

describe('MessageLedger', () => {
  it('evicts the oldest message beyond its limit', () => {
    const ledger = new MessageLedger(2);
    ledger.add(message('a'));
    ledger.add(message('b'));
    ledger.add(message('a')); // re-added: now the youngest
    ledger.add(message('c'));
    expect(ledger.get('b')).toBeUndefined();
    expect(ledger.get('a')).toBeDefined();
    expect(ledger.get('c')).toBeDefined();
    expect(ledger.size).toBe(2);
  });

  it('keeps exactly the newest `limit` messages over many adds and re-adds', () => {
    const ledger = new MessageLedger(3);
    for (let i = 0; i < 5000; i++) {
      ledger.add(message(String(i)));
      // Re-adding the message before last keeps it young: it must outlive the one added before it.
      if (i % 7 === 0 && i > 0) ledger.add(message(String(i - 1)));
    }
    expect(ledger.size).toBe(3);
    expect(ledger.get('4999')).toBeDefined();
    expect(ledger.get('4998')).toBeDefined();
    expect(ledger.get('4997')).toBeDefined();
    expect(ledger.get('4996')).toBeUndefined();
    ledger.clear();
    expect(ledger.size).toBe(0);
    ledger.add(message('again'));
    expect(ledger.get('again')).toBeDefined();
  });

  it('answers ENROUTE before the done time, the final state after', () => {
    const undelivered = message('x', { stat: 'UNDELIV', err: '011' });
    expect(queryStateOf(undelivered, 999)).toEqual({ finalDate: '', messageState: 1, errorCode: 0 });
    expect(queryStateOf(undelivered, 1000)).toEqual({
      finalDate: formatAbsoluteTime(1000),
      messageState: 5,
      errorCode: 11,
    });
    expect(queryStateOf(message('y', { stat: 'ACCEPTD' }), 5000).finalDate).toBe('');
    expect(queryStateOf(message('z', { stat: 'WHATEVER' }), 5000).messageState).toBe(7);
  });

  it('writes SMPP absolute times in UTC', () => {
    expect(formatAbsoluteTime(Date.UTC(2024, 0, 31, 23, 59, 58, 730))).toBe('240131235958700+');
  });
});
