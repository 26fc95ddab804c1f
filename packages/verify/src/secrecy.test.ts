import { describe, expect, it } from 'vitest';
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

    // What the store does keep: a salt and an HMAC per verification.
    const [record] = setup.store.records();
    expect(Object.keys(record ?? {}).sort()).toEqual(
      [
        'attempts',
        'channels',
        'clientRef',
        'createdAt',
        'expiresAt',
        'hash',
        'id',
        'lastSentAt',
        'length',
        'maxAttempts',
        'messageIds',
        'recipient',
        'salt',
        'sends',
        'status',
        'text',
        'ttlMs',
        'updatedAt',
      ].sort(),
    );
    expect(record?.text).toBe('Your code: {code}');
  });

  it('get() shows neither the salt nor the hash', async () => {
    const setup = await providerSetup();
    const sent = await setup.verifier.start({ to });
    const view = await setup.verifier.get(sent.verificationId);
    expect(view).toBeDefined();
    expect(view).not.toHaveProperty('salt');
    expect(view).not.toHaveProperty('hash');
  });
});
