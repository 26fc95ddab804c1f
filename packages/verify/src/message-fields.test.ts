import { createTidings, ErrorCode, type MessageBase, TidingsError } from '@tidings/core';
import { fakeChannel, ManualClock } from '@tidings/core/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createVerifier } from './create-verifier.js';
import type { VerifierOptions } from './verifier-options.js';

/**
 * EngageLab-like: its code messages need `serviceType: 'CODE'` and a `template` (`message.template
 * is required`), which `{ to, code, text }` alone does not give. Option `messages` (and a start's
 * own `messages`) add such fields for a channel.
 */
interface EngageLabLike extends MessageBase {
  readonly serviceType?: string;
}

async function setup(options: VerifierOptions) {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 8, 0, 0));
  const engagelab = fakeChannel<'engagelab', EngageLabLike>({
    name: 'engagelab',
    capabilities: { kinds: ['template', 'code'] },
    validate: (message) => {
      if (message.template === undefined) {
        throw new TidingsError(ErrorCode.InvalidMessage, 'message.template is required', {
          details: { field: 'template' },
        });
      }
      if (message.serviceType !== 'CODE') {
        throw new TidingsError(ErrorCode.InvalidMessage, 'message.serviceType must be CODE to carry a code', {
          details: { field: 'serviceType' },
        });
      }
    },
  });
  const sms = fakeChannel<'sms', MessageBase>({ name: 'sms' });
  const tidings = await createTidings({ plugins: [engagelab, sms], clock });
  const verifier = createVerifier(tidings, { clock, resendCooldownMs: 0, ...options });
  onTestFinished(async () => {
    await verifier.close();
    await tidings.stop({ timeoutMs: 0 });
  });
  return { verifier, clock, engagelab: engagelab.control, sms: sms.control };
}

const to = '+6598765432';
const engagelabFields = { serviceType: 'CODE', template: { id: 'otp-code', language: 'en' } };

describe('extra message fields per channel (option `messages`, start `messages`)', () => {
  it('without them a channel that needs a template refuses the code before anything is sent', async () => {
    const { verifier, engagelab } = await setup({ via: ['engagelab'] });
    await expect(verifier.start({ to })).rejects.toMatchObject({
      code: ErrorCode.InvalidMessage,
      channel: 'engagelab',
    });
    expect(engagelab.sends).toHaveLength(0);
  });

  it('option `messages` gives the EngageLab channel serviceType CODE and its template; the code is in the message', async () => {
    const { verifier, engagelab } = await setup({ via: ['engagelab'], messages: { engagelab: engagelabFields } });
    const sent = await verifier.start({ to });
    await sent.message.accepted;
    const message = engagelab.sends.at(-1)?.message;
    expect(message).toMatchObject({ to, ...engagelabFields });
    expect(message?.code).toMatch(/^[0-9]{6}$/);
  });

  it('a start’s own `messages` win over the option for that channel, and its resends keep them', async () => {
    const { verifier, engagelab } = await setup({ via: ['engagelab'], messages: { engagelab: engagelabFields } });
    const template = { id: 'otp-code', language: 'pt' };
    const { verificationId } = await verifier.start({ to, messages: { engagelab: { template } } });
    await verifier.resend(verificationId);
    expect(engagelab.sends.map((send) => send.message.template)).toEqual([template, template]);
    expect(engagelab.sends.every((send) => send.message.serviceType === 'CODE')).toBe(true);
  });

  it('one message goes down a fallback list: the fields of every channel in it are merged (others ignore them)', async () => {
    const { verifier, engagelab, sms } = await setup({
      via: ['engagelab', 'sms'],
      messages: { engagelab: engagelabFields, sms: { from: 'Acme' } },
    });
    const { verificationId } = await verifier.start({ to });
    expect(engagelab.sends.at(-1)?.message).toMatchObject({ ...engagelabFields, from: 'Acme' });
    // Straight to SMS: only its own fields.
    await verifier.resend(verificationId, { via: ['sms'] });
    expect(sms.sends.at(-1)?.message).toMatchObject({ to, from: 'Acme' });
    expect(sms.sends.at(-1)?.message).not.toHaveProperty('serviceType');
  });

  it('two channels of one list wanting one field with different values: refused at start, naming both', async () => {
    const { verifier, engagelab, sms } = await setup({
      via: ['engagelab', 'sms'],
      messages: { engagelab: { ...engagelabFields, from: 'AcmeOTP' }, sms: { from: 'Acme' } },
    });
    const error = await verifier.start({ to }).catch((caught: unknown) => caught);
    expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
    expect((error as Error).message).toContain('"from"');
    expect((error as Error).message).toContain('"engagelab" and "sms"');
    expect(engagelab.sends).toHaveLength(0);
    expect(sms.sends).toHaveLength(0);
  });

  it('a start’s `messages` may not set what the verifier sets (the code, the text, the recipient)', async () => {
    const { verifier, engagelab } = await setup({ via: ['engagelab'] });
    const error = await verifier
      .start({ to, messages: { engagelab: { ...engagelabFields, code: '0000' } } })
      .catch((caught: unknown) => caught);
    expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
    expect((error as Error).message).toContain('messages.engagelab');
    expect(engagelab.sends).toHaveLength(0);
  });
});
