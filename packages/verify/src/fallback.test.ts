import { ErrorCode } from '@tidings/core';
import { ManualClock } from '@tidings/core/testing';
import { describe, expect, it } from 'vitest';
import { codeReceived, providerSetup, textsReceived } from './simulators.test-helper.js';

const to = '+79036550550';

/**
 * Fallback Telegram → SMS over real TCP: the Telegram Gateway simulator (channel-telegram's profile)
 * refuses, does not deliver, or stays silent; the SMSC simulator (channel-smsc's profile) delivers.
 */
describe('fallback Telegram Gateway → SMSC through the simulators', () => {
  it('Telegram refuses the number (0x0B): the code goes by SMS and the SMS code approves', async () => {
    const setup = await providerSetup({ telegram: { blockedRecipients: [to] } });
    const sent = await setup.verifier.start({ to });
    const delivered = await setup.verificationEvent((event) => event.type === 'delivered');

    expect(delivered).toMatchObject({ channel: 'smsc', messageId: sent.message.id });
    expect(setup.verificationEvents.map((event) => event.type)).toEqual(['started', 'sent', 'fallback', 'delivered']);
    expect(setup.verificationEvents[2]).toMatchObject({
      channel: 'telegram',
      nextChannel: 'smsc',
      reason: ErrorCode.Rejected,
    });
    // Both providers got a submit_sm; only the SMSC one was taken.
    expect(setup.telegramSim.pdus({ command: 'submit_sm' })).toHaveLength(1);
    expect(textsReceived(setup.smscSim)).toEqual([`Your code: ${codeReceived(setup.smscSim)}`]);
    expect(codeReceived(setup.telegramSim)).toBe(codeReceived(setup.smscSim));

    expect(await setup.verifier.check({ to }, codeReceived(setup.smscSim))).toEqual({
      status: 'approved',
      verificationId: sent.verificationId,
    });
  });

  it('Telegram accepts but its receipt says UNDELIV: the code goes by SMS', async () => {
    const setup = await providerSetup({ telegramSimulator: { receipts: { stat: 'UNDELIV', err: 1 } } });
    const sent = await setup.verifier.start({ to });
    await setup.verificationEvent((event) => event.type === 'delivered');

    expect(setup.verificationEvents.map((event) => event.type)).toEqual(['started', 'sent', 'fallback', 'delivered']);
    expect(setup.verificationEvents[2]).toMatchObject({ reason: ErrorCode.Undelivered });
    expect(await setup.verifier.check(sent.verificationId, codeReceived(setup.smscSim))).toMatchObject({
      status: 'approved',
    });
  });

  it('Telegram stays silent (no receipt within fallbackAfterMs): the code goes by SMS', async () => {
    const setup = await providerSetup({ telegramSilent: true, verifier: { fallbackAfterMs: 300 } });
    const sent = await setup.verifier.start({ to });
    await setup.verificationEvent((event) => event.type === 'delivered');

    expect(setup.verificationEvents[2]).toMatchObject({ type: 'fallback', reason: ErrorCode.ReceiptTimeout });
    expect(setup.verificationEvents[3]).toMatchObject({ type: 'delivered', channel: 'smsc' });
    expect(await setup.verifier.check(sent.verificationId, codeReceived(setup.smscSim))).toMatchObject({
      status: 'approved',
    });
  });

  it('Telegram delivers: no SMS is sent, the Telegram code approves', async () => {
    const setup = await providerSetup();
    const sent = await setup.verifier.start({ to, text: 'Your login code: {code}' });
    await setup.verificationEvent((event) => event.type === 'delivered');

    expect(setup.smscSim.pdus({ command: 'submit_sm' })).toHaveLength(0);
    const [submit] = setup.telegramSim.pdus({ command: 'submit_sm' });
    // channel-telegram's wire format: UCS2 (data_coding 8), the service name as source_addr.
    expect(submit).toMatchObject({ data_coding: 8, source_addr: 'VerifyDemo', destination_addr: to });
    expect(textsReceived(setup.telegramSim)).toEqual([`Your login code: ${codeReceived(setup.telegramSim)}`]);
    expect(await setup.verifier.check(sent.verificationId, codeReceived(setup.telegramSim))).toMatchObject({
      status: 'approved',
    });
  });

  it('every channel fails: delivery_failed, then a resend via SMS carries a new code, which approves', async () => {
    const clock = new ManualClock(Date.now());
    const setup = await providerSetup({
      telegram: { blockedRecipients: [to] },
      verifierClock: clock,
      verifier: { via: ['telegram'], resendCooldownMs: 30_000 },
    });
    const sent = await setup.verifier.start({ to });
    const failed = await setup.verificationEvent((event) => event.type === 'delivery_failed');
    expect(failed).toMatchObject({ channel: 'telegram', errorCode: ErrorCode.Rejected });
    const refused = codeReceived(setup.telegramSim);

    await expect(setup.verifier.resend(sent.verificationId, { via: ['smsc'] })).rejects.toMatchObject({
      code: 'TIDINGS_RATE_LIMITED',
    });
    clock.advance(30_000);
    const resent = await setup.verifier.resend(sent.verificationId, { via: ['smsc'] });
    await setup.verificationEvent((event) => event.type === 'delivered' && event.messageId === resent.message.id);

    const code = codeReceived(setup.smscSim);
    expect(code).not.toBe(refused);
    expect(await setup.verifier.check(sent.verificationId, code)).toMatchObject({ status: 'approved' });
  });

  it('a resend straight to SMS while Telegram stays silent: the first message still falls back, and the code the user got last approves', async () => {
    const setup = await providerSetup({
      telegramSilent: true,
      verifier: { resendCooldownMs: 0, fallbackAfterMs: 150 },
    });
    const first = await setup.verifier.start({ to });
    // The user sees no Telegram message and asks for the code by SMS straight away.
    const resent = await setup.verifier.resend(first.verificationId, { via: ['smsc'] });
    await setup.verificationEvent((event) => event.type === 'delivered' && event.messageId === resent.message.id);
    // The first message's fallback comes afterwards: its code arrives by SMS too, last.
    await setup.verificationEvent((event) => event.type === 'delivered' && event.messageId === first.message.id);
    expect(textsReceived(setup.smscSim)).toHaveLength(2);

    const newestSms = codeReceived(setup.smscSim);
    expect(await setup.verifier.check(first.verificationId, newestSms)).toMatchObject({ status: 'approved' });
  });

  it("a code longer than Telegram's 8 digits is refused by channel-telegram before anything is sent", async () => {
    const setup = await providerSetup();
    await expect(setup.verifier.start({ to, length: 10 })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
      channel: 'telegram',
    });
    expect(setup.telegramSim.pdus({ command: 'submit_sm' })).toHaveLength(0);
    expect(setup.store.size).toBe(0);
  });
});
