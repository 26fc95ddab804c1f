import { createTidings, type Logger, silentLogger, TOKENS } from '@tidings/core';
import { fakeChannel, ManualClock } from '@tidings/core/testing';
import { Container } from 'inversify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createVerifier } from './create-verifier.js';
import { InMemoryVerificationStore } from './in-memory-verification-store.js';
import { Verifier } from './verifier.js';
import { verifyModule } from './verify-module.js';
import { VERIFY_TOKENS } from './verify-tokens.js';

async function runtime() {
  const tidings = await createTidings({ plugins: [fakeChannel({ name: 'sms' })] });
  onTestFinished(() => tidings.stop({ timeoutMs: 0 }));
  return tidings;
}

describe('verifyModule: the verifier through a host container', () => {
  it("resolves a singleton Verifier with the host's runtime, store, clock and ids", async () => {
    const tidings = await runtime();
    const clock = new ManualClock(5_000_000);
    const store = new InMemoryVerificationStore();
    const container = new Container();
    container.bind(VERIFY_TOKENS.Tidings).toConstantValue(tidings);
    container.bind(VERIFY_TOKENS.Store).toConstantValue(store);
    container.bind(VERIFY_TOKENS.GenerateId).toConstantValue(() => 'vf-1');
    container.bind(TOKENS.Clock).toConstantValue(clock);
    container.bind(TOKENS.Logger).toConstantValue(silentLogger);
    container.load(verifyModule({ via: ['sms'], ttlMs: 60_000 }));

    const verifier = container.get(VERIFY_TOKENS.Verifier);
    expect(verifier).toBeInstanceOf(Verifier);
    expect(container.get(VERIFY_TOKENS.Verifier)).toBe(verifier);
    const sent = await verifier.start({ to: '+15550100001' });
    expect(sent).toMatchObject({ verificationId: 'vf-1', expiresAt: 5_060_000 });
    expect(store.size).toBe(1);
    await verifier.close();
  });

  it('binds defaults for what the container lacks: an in-memory store, the system clock, a silent logger', async () => {
    const tidings = await runtime();
    const container = new Container();
    container.bind(VERIFY_TOKENS.Tidings).toConstantValue(tidings);
    container.load(verifyModule({ via: ['sms'] }));
    expect(container.get(VERIFY_TOKENS.Store)).toBeInstanceOf(InMemoryVerificationStore);
    expect(container.get(TOKENS.Logger)).toBe(silentLogger);
    const verifier = container.get(VERIFY_TOKENS.Verifier);
    const before = Date.now();
    const { expiresAt } = await verifier.start({ to: '+15550100001' });
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000);
    await verifier.close();
  });

  it('checks the options when the module is made', () => {
    expect(() => verifyModule({ codeLength: 12 })).toThrow(/option "codeLength"/);
  });
});

describe('createVerifier', () => {
  it('keeps the services apart from the plain options', async () => {
    const tidings = await runtime();
    const lines: string[] = [];
    const logger: Logger = { ...silentLogger, info: (message) => lines.push(message) };
    const verifier = createVerifier(tidings, { via: ['sms'], logger, generateId: () => 'fixed' });
    await verifier.start({ to: '+15550100001' });
    expect(lines).toContain('verification started');
    expect(await verifier.get('fixed')).toMatchObject({ id: 'fixed', status: 'pending' });
    await verifier.close();
  });

  it('refuses something that is not a runtime', () => {
    expect(() => createVerifier({} as never)).toThrow(/must be a Tidings runtime/);
  });

  it('types `via` by the runtime channel names', async () => {
    const tidings = await runtime();
    const verifier = createVerifier(tidings, {});
    // @ts-expect-error: 'telegram' is not a channel of this runtime.
    await expect(verifier.start({ to: '+15550100001', via: ['telegram'] })).rejects.toMatchObject({
      code: 'TIDINGS_UNKNOWN_CHANNEL',
    });
    await verifier.close();
  });
});
