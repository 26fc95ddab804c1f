import { describe, expect, it } from 'vitest';
import { MailIds } from './mail-ids.js';

describe('MailIds: the e-mails sent, for query_sm to read err through the e-mail table', () => {
  it('remembers ids up to its capacity, forgetting the oldest first', () => {
    const ids = new MailIds(2);
    ids.add('1');
    ids.add('2');
    ids.add('1');
    ids.add('3');
    expect([ids.has('1'), ids.has('2'), ids.has('3')]).toEqual([true, false, true]);
    expect(ids.size).toBe(2);
  });
});
