import { createTidings, TidingsError } from '@tidings/core';
import { fakeChannel, ManualClock } from '@tidings/core/testing';
import fc from 'fast-check';
import { expect, it, onTestFinished } from 'vitest';
import type { CheckResult } from './check-result.js';
import { createVerifier } from './create-verifier.js';
import { InMemoryVerificationStore } from './in-memory-verification-store.js';
import type { VerificationEvent } from './verification-events.js';
import { otherCode, settle } from './verify.test-helper.js';

const ttlMs = 300_000;
const maxAttempts = 4;
const cooldownMs = 30_000;
const maxSends = 3;

type Operation =
  | { readonly op: 'advance'; readonly ms: number }
  | { readonly op: 'check'; readonly code: 'right' | 'wrong' | 'old' | 'malformed' }
  | { readonly op: 'resend' }
  | { readonly op: 'cancel' };

// Weighted so that long runs reach every limit: resends after the cooldown, attempts used up, expiry.
const operation: fc.Arbitrary<Operation> = fc.oneof(
  {
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.constantFrom(1, 29_999, 30_000, 120_000, 300_000),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('check' as const),
      code: fc.constantFrom('right', 'wrong', 'old', 'malformed'),
    }),
    weight: 2,
  },
  { arbitrary: fc.constant({ op: 'resend' as const }), weight: 4 },
  { arbitrary: fc.constant({ op: 'cancel' as const }), weight: 1 },
);

/** What the verification should be, by the rules in the README, kept by hand. */
interface Model {
  status: 'pending' | 'approved' | 'expired' | 'max_attempts' | 'cancelled';
  attempts: number;
  sends: number;
  lastSentAt: number;
  expiresAt: number;
}

it('any sequence of checks, resends, cancels and clock moves follows the state machine', async () => {
  const sms = fakeChannel({ name: 'sms' });
  const tidings = await createTidings({ plugins: [sms] });
  onTestFinished(() => tidings.stop({ timeoutMs: 0 }));

  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 5, maxLength: 40, size: 'max' }), async (operations) => {
      const clock = new ManualClock(1_000_000);
      const verifier = createVerifier(tidings, {
        via: ['sms'],
        clock,
        store: new InMemoryVerificationStore(),
        ttlMs,
        maxAttempts,
        resendCooldownMs: cooldownMs,
        maxSends,
      });
      const events: VerificationEvent[] = [];
      verifier.verifications$.subscribe((event) => events.push(event));
      try {
        const { verificationId: id } = await verifier.start({ to: '+15550100001' });
        const codes = [sms.control.sends.at(-1)?.message.code as string];
        // Each code works until its own deadline (the README: every code sent stays valid for its TTL).
        const deadlines = [clock.now() + ttlMs];
        const model: Model = {
          status: 'pending',
          attempts: 0,
          sends: 1,
          lastSentAt: clock.now(),
          expiresAt: clock.now() + ttlMs,
        };

        for (const step of operations) {
          const now = clock.now();
          const current = codes.at(-1) as string;
          switch (step.op) {
            case 'advance': {
              clock.advance(step.ms);
              await settle();
              if (model.status === 'pending' && clock.now() >= model.expiresAt) model.status = 'expired';
              break;
            }
            case 'check': {
              const typed =
                step.code === 'right'
                  ? current
                  : step.code === 'old'
                    ? (codes.find((code) => code !== current) ?? otherCode(current))
                    : step.code === 'wrong'
                      ? otherCode(current)
                      : 'abc';
              const valid = codes.some((code, i) => code === typed && now < (deadlines[i] as number));
              const result = await verifier.check(id, typed);
              expect(result).toEqual(expectedCheck(model, id, step.code === 'malformed', valid));
              break;
            }
            case 'resend': {
              const outcome = await verifier.resend(id).then(
                () => 'sent',
                (error: unknown) => (TidingsError.is(error) ? error.code : 'unexpected'),
              );
              expect(outcome).toBe(expectedResend(model, now));
              if (outcome === 'sent') {
                codes.push(sms.control.sends.at(-1)?.message.code as string);
                deadlines.push(now + ttlMs);
              }
              break;
            }
            case 'cancel': {
              const cancelled = await verifier.cancel(id);
              expect(cancelled).toBe(model.status === 'pending');
              if (cancelled) model.status = 'cancelled';
              break;
            }
          }
          const stored = await verifier.get(id);
          expect(stored).toMatchObject({ status: model.status, attempts: model.attempts, sends: model.sends });
        }
        // Each final state is announced once, and only the one reached.
        const finals = events.filter((event) =>
          ['approved', 'expired', 'max_attempts', 'cancelled'].includes(event.type),
        );
        expect(finals.map((event) => event.type)).toEqual(model.status === 'pending' ? [] : [model.status]);
      } finally {
        await verifier.close();
      }
    }),
    { numRuns: 300 },
  );
});

function expectedCheck(model: Model, id: string, malformed: boolean, right: boolean): CheckResult {
  if (model.status === 'approved') return { status: 'not_found' };
  if (model.status !== 'pending') return { status: model.status, verificationId: id };
  if (malformed)
    return { status: 'wrong', verificationId: id, attemptsLeft: maxAttempts - model.attempts, counted: false };
  model.attempts++;
  if (right) {
    model.status = 'approved';
    return { status: 'approved', verificationId: id };
  }
  if (model.attempts >= maxAttempts) {
    model.status = 'max_attempts';
    return { status: 'max_attempts', verificationId: id };
  }
  return { status: 'wrong', verificationId: id, attemptsLeft: maxAttempts - model.attempts, counted: true };
}

function expectedResend(model: Model, now: number): string {
  if (model.status !== 'pending') return 'TIDINGS_VERIFICATION_CLOSED';
  if (model.sends >= maxSends) return 'TIDINGS_RATE_LIMITED';
  if (now - model.lastSentAt < cooldownMs) return 'TIDINGS_RATE_LIMITED';
  model.sends++;
  model.lastSentAt = now;
  model.expiresAt = now + ttlMs;
  return 'sent';
}
