import { ErrorCode, TidingsError } from '../errors.js';
import { FakeOutcome, fakeChannel } from './fake-channel.js';
import { describeChannelContract } from './vitest.js';

// The contract suite run on the fake channel: proves the suite itself and the runtime together.
describeChannelContract('fake channel', {
  setup: () => ({ plugin: fakeChannel({ name: 'fake', latencyMs: 1 }) }),
  validMessage: (i) => ({ to: '+79036550550', text: `message ${i}` }),
  invalidMessages: [
    { label: 'no recipient', message: { text: 'hi' } },
    { label: 'a number instead of text', message: { to: '+1', text: 1 } },
  ],
});

describeChannelContract('fake channel with retries, throttling and receipts that overtake', {
  setup: () => {
    let n = 0;
    return {
      plugin: fakeChannel({
        name: 'flaky',
        settings: { retry: { initialDelayMs: 1, jitter: 0 } },
        validate: (m) => {
          if (!/^\+\d+$/.test(m.to)) throw new TidingsError(ErrorCode.InvalidMessage, 'to must be +digits');
        },
        script: () => {
          n++;
          if (n % 5 === 0) return FakeOutcome.throttled(2);
          if (n % 3 === 0) return FakeOutcome.transient(1);
          return FakeOutcome.accept({ receiptFirst: n % 2 === 0, duplicateReceipt: true });
        },
      }),
    };
  },
  validMessage: (i) => ({ to: '+79036550550', text: `message ${i}` }),
  invalidMessages: [{ label: 'a recipient the channel does not accept', message: { to: 'abc', text: 'x' } }],
  batchSize: 40,
});
