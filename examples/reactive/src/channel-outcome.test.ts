import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { channelOutcomes } from './channel-outcome.js';
import { messageEvents } from './test-events.test-helper.js';

describe('channelOutcomes', () => {
  it('gives one outcome per channel a message went through: a fallback fails on the first, succeeds on the next', async () => {
    const events = [
      ...messageEvents('a', 'telegram', 'delivered', 1_000),
      ...messageEvents('b', 'telegram', 'fallback', 2_000),
      ...messageEvents('c', 'smsc', 'undelivered', 3_000),
    ];
    const outcomes = await lastValueFrom(from(events).pipe(channelOutcomes(), toArray()));
    expect(outcomes).toEqual([
      { channel: 'telegram', messageId: 'a', ok: true, type: 'delivered', at: 1_010 },
      { channel: 'telegram', messageId: 'b', ok: false, type: 'rejected', code: 'TIDINGS_REJECTED', at: 2_010 },
      { channel: 'smsc', messageId: 'b', ok: true, type: 'delivered', at: 2_015 },
      { channel: 'smsc', messageId: 'c', ok: false, type: 'undelivered', code: 'TIDINGS_UNDELIVERED', at: 3_010 },
    ]);
  });
});
