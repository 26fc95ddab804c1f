import { describe, expectTypeOf, it } from 'vitest';
import type { MessageEvent, TerminalEvent } from './events.js';
import type { MessageBase } from './message.js';
import type { MessageHandle } from './message-handle.js';
import { fakeChannel } from './testing/fake-channel.js';
import { createTidings, type Tidings } from './tidings.js';

interface CodeMessage extends MessageBase {
  readonly code: string;
  readonly ptag?: string;
}
interface SmsMessage extends MessageBase {
  readonly text: string;
}

const telegram = fakeChannel<'telegram', CodeMessage>({ name: 'telegram' });
const sms = fakeChannel<'sms', SmsMessage>({ name: 'sms' });

describe('the typed channel registry', () => {
  it('checks send() against the named channel’s message shape', async () => {
    const tidings = await createTidings({ plugins: [telegram, sms] });
    expectTypeOf(tidings.send('telegram', { to: '+1', code: '1234' })).toEqualTypeOf<Promise<MessageHandle>>();
    tidings.send('sms', { to: '+1', text: 'hi' });
    // @ts-expect-error Telegram requires a code
    tidings.send('telegram', { to: '+1', text: 'no code' });
    // @ts-expect-error ptag must be a string
    tidings.send('telegram', { to: '+1', code: '1', ptag: 5 });
    // @ts-expect-error unknown channel name
    tidings.send('viber', { to: '+1', text: 'x' });
  });

  it('requires a fallback message to fit every listed channel', async () => {
    const tidings = await createTidings({ plugins: [telegram, sms] });
    tidings.send(['telegram', 'sms'], { to: '+1', code: '1234', text: 'Your code: 1234' });
    // @ts-expect-error sms needs text
    tidings.send(['telegram', 'sms'], { to: '+1', code: '1234' });
  });

  it('keeps a channel whose message is a union whole', async () => {
    type Either = (MessageBase & { kind: 'a'; a: string }) | (MessageBase & { kind: 'b'; b: string });
    const either = fakeChannel<'either', Either>({ name: 'either' });
    const tidings = await createTidings({ plugins: [either, sms] });
    tidings.send('either', { to: '+1', kind: 'a', a: 'x' });
    tidings.send('either', { to: '+1', kind: 'b', b: 'y' });
    // @ts-expect-error a `kind: 'a'` message carries `a`, not `b`
    tidings.send('either', { to: '+1', kind: 'a', b: 'x' });
  });

  it('types the channel names and state streams', async () => {
    const tidings = await createTidings({ plugins: [telegram, sms] });
    expectTypeOf(tidings.channels).toEqualTypeOf<readonly ('telegram' | 'sms')[]>();
    tidings.state$('sms');
    // @ts-expect-error not a loaded channel
    tidings.state$('other');
  });

  it('narrows events by type', () => {
    const handle = {} as MessageHandle;
    handle.events$.subscribe((event: MessageEvent) => {
      if (event.type === 'accepted') expectTypeOf(event.providerMessageId).toEqualTypeOf<string>();
      if (event.type === 'retrying') expectTypeOf(event.delayMs).toEqualTypeOf<number>();
      // @ts-expect-error queued events carry no provider id
      if (event.type === 'queued') void event.providerMessageId;
    });
    expectTypeOf(handle.settled).toEqualTypeOf<Promise<TerminalEvent>>();
  });

  it('accepts any channel name on an untyped runtime', () => {
    const untyped = {} as Tidings;
    untyped.send('anything', { to: '+1', text: 'x' });
    // @ts-expect-error content fields keep their types
    untyped.send('anything', { to: '+1', text: 5 });
  });
});
