import { createTidings, InMemoryMessageStore, type MessageRecord, TOKENS } from '@tidings/core';
import { fakeChannel } from '@tidings/core/testing';
import { ContainerModule } from 'inversify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createVerifier } from './create-verifier.js';
import { codeReceived, providerSetup, submitText } from './simulators.test-helper.js';

const to = '+79036550550';
const pepper = 'pepper-kept-outside-the-store';

/** The code as a number of its own, not inside a longer one. */
const standalone = (code: string): RegExp => new RegExp(`(?<![0-9])${code}(?![0-9])`);

/** Everything this process keeps or emits, as one string to search. */
async function everythingKept(setup: Awaited<ReturnType<typeof providerSetup>>): Promise<string> {
  const messages = await Promise.all(setup.messageEvents.map((event) => setup.messageStore.get(event.messageId)));
  return JSON.stringify({
    verificationStore: setup.store.records(),
    latest: await setup.store.latestFor(to),
    messageStore: messages,
    verificationEvents: setup.verificationEvents,
    messageEvents: setup.messageEvents,
    logs: setup.logger.lines,
  });
}

describe('the code is stored only as a salted hash and never leaves in a log, event or record', () => {
  it('over Telegram → SMS with a resend: the codes are only in the submit_sm sent to the providers', async () => {
    const setup = await providerSetup({
      telegram: { blockedRecipients: [to] },
      // 8 digits (Telegram's most) and a search bounded by non-digits: a timestamp never looks like a code.
      verifier: { pepper, resendCooldownMs: 0, codeLength: 8 },
    });
    const sent = await setup.verifier.start({ to, clientRef: 'login-42' });
    await setup.verificationEvent((event) => event.type === 'delivered');
    const resent = await setup.verifier.resend(sent.verificationId);
    await setup.verificationEvent((event) => event.type === 'delivered' && event.messageId === resent.message.id);
    const codes = [codeReceived(setup.smscSim, 0), codeReceived(setup.smscSim, 1)];
    expect(
      await setup.verifier.check(sent.verificationId, '00000000' === codes[1] ? '11111111' : '00000000'),
    ).toMatchObject({
      status: 'wrong',
    });
    expect(await setup.verifier.check(sent.verificationId, codes[1] as string)).toMatchObject({ status: 'approved' });

    // The wire: each code is in the submit_sm each provider received.
    const wire = [...setup.telegramSim.pdus({ command: 'submit_sm' }), ...setup.smscSim.pdus({ command: 'submit_sm' })]
      .map(submitText)
      .join('\n');
    for (const code of codes) expect(wire).toContain(code);

    // Everything else: the verification store, the message store, both event streams, every log line (debug included).
    const kept = await everythingKept(setup);
    expect(setup.logger.lines.length).toBeGreaterThan(0);
    expect(setup.messageEvents.some((event) => event.type === 'delivered')).toBe(true);
    for (const code of codes) expect(kept).not.toMatch(standalone(code));
    expect(kept).not.toContain(pepper);

    // What the store does keep: a salt, an HMAC and a deadline per code sent.
    const [record] = setup.store.records();
    expect(Object.keys(record ?? {}).sort()).toEqual(
      [
        'attempts',
        'channels',
        'clientRef',
        'codes',
        'createdAt',
        'expiresAt',
        'id',
        'lastSentAt',
        'length',
        'maxAttempts',
        'messageIds',
        'recipient',
        'sends',
        'status',
        'text',
        'to',
        'ttlMs',
        'updatedAt',
        'wrongAttempts',
      ].sort(),
    );
    for (const code of record?.codes ?? []) expect(Object.keys(code).sort()).toEqual(['expiresAt', 'hash', 'salt']);
    expect(record?.text).toBe('Your code: {code}');
  });

  it('get() shows neither the salt nor the hash', async () => {
    const setup = await providerSetup();
    const sent = await setup.verifier.start({ to });
    const view = await setup.verifier.get(sent.verificationId);
    expect(view).toBeDefined();
    expect(view).not.toHaveProperty('codes');
    expect(JSON.stringify(view)).not.toMatch(/salt|hash/);
  });
});

/** A shared (scale-out) message store, as `@tidings/store-redis` binds with its Cluster. */
class RecordingMessageStore extends InMemoryMessageStore {
  readonly created: MessageRecord[] = [];
  override create(record: MessageRecord) {
    this.created.push(record);
    return super.create(record);
  }
}

describe('with a cluster (a shared message store such as Redis)', () => {
  it('the shared message store never receives the code: every send is `sensitive`', async () => {
    const messageStore = new RecordingMessageStore();
    const sms = fakeChannel({ name: 'sms' });
    const telegram = fakeChannel({ name: 'telegram', capabilities: { kinds: ['code'] } });
    const tidings = await createTidings({
      plugins: [telegram, sms],
      modules: [
        new ContainerModule(({ bind }) => {
          bind(TOKENS.Cluster).toConstantValue({});
          bind(TOKENS.MessageStore).toConstantValue(messageStore);
        }),
      ],
    });
    onTestFinished(() => tidings.stop({ timeoutMs: 0 }));
    const verifier = createVerifier(tidings, { via: ['telegram', 'sms'], codeLength: 8, resendCooldownMs: 0 });
    onTestFinished(() => verifier.close());

    const { verificationId } = await verifier.start({ to });
    await verifier.resend(verificationId, { via: ['sms'] });
    const codes = [telegram.control.sends.at(-1)?.message.code, sms.control.sends.at(-1)?.message.code] as string[];
    for (const code of codes) expect(code).toMatch(/^[0-9]{8}$/);
    expect(messageStore.created).toHaveLength(2);
    for (const record of messageStore.created) expect(record).not.toHaveProperty('message');
    for (const code of codes) expect(JSON.stringify(messageStore.created)).not.toContain(code);
  });
});
