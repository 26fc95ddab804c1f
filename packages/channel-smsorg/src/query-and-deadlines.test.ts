import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import { smsorgChannel } from './index.js';
import { smsorgSimulatorProfile } from './simulator/index.js';
import { ACCOUNT, startRuntime, startSmsorg } from './smsorg.test-helper.js';

describe('tidings.query() on demand', () => {
  it('asks query_sm with the message id and its original sender, in passive mode too', async () => {
    const sim = await startSmsorg({ deliveryDelayMs: 60_000 });
    const { tidings } = await startRuntime(sim);
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hello' });
    const { providerMessageId } = await handle.accepted;
    const report = await tidings.query('sms', providerMessageId);
    expect(report).toMatchObject({ providerMessageId, state: 'enroute', extras: { source: 'query_sm' } });
    const [query] = sim.pdus({ command: 'query_sm' });
    expect(query).toMatchObject({ message_id: providerMessageId, source_addr: 'MyShop' });
  });
});

describe('active polling and the receipt deadline', () => {
  it('a final state found by the 4th of 5 queries settles the message, even when answers take time', async () => {
    const profile = smsorgSimulatorProfile({ deliveryDelayMs: 3_600_000 });
    let queries = 0;
    const sim = await SmscSimulator.start({
      profile: {
        ...profile,
        // Each answer takes 150 ms (inside responseTimeoutMs 300): ENROUTE three times, then DELIVERED.
        onQuery: async (query, message, ctx) => {
          const n = ++queries;
          await new Promise((resolve) => setTimeout(resolve, 150));
          const own = await profile.onQuery?.(query, message, ctx);
          return own ?? (n >= 4 ? { messageState: 2, finalDate: '261122120000000+', errorCode: 0 } : undefined);
        },
      },
      accounts: [ACCOUNT],
    });
    onTestFinished(() => sim.stop());
    const { tidings } = await startRuntime(sim, {
      receipts: { mode: 'active', intervalMs: 20, maxAttempts: 5 },
      responseTimeoutMs: 300,
    });
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type === 'failed' ? end.error.message : end.type).toBe('delivered');
    expect(queries).toBe(4);
  });

  it('a polling budget near the timer limit does not end the message at once', async () => {
    const sim = await startSmsorg({ deliveryDelayMs: 60_000 });
    const { tidings } = await startRuntime(sim, {
      receipts: { mode: 'active', intervalMs: 60_000, maxAttempts: 100_000, maxDurationMs: 2_147_480_000 },
    });
    const handle = await tidings.send('sms', { to: '+79123456789', text: 'hi' });
    await handle.accepted;
    // A deadline past 2^31-1 ms would fire after 1 ms; the first query is a minute away.
    const early = await Promise.race([
      handle.settled,
      new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 300)),
    ]);
    expect(early).toBe('still waiting');
  });

  it('refuses active receipts whose intervalMs exceeds maxDurationMs (not one query_sm would go out)', () => {
    expect(() =>
      smsorgChannel({
        systemId: '1234.5',
        password: 'secret',
        sender: 'MyShop',
        receipts: { mode: 'active', intervalMs: 60_000, maxDurationMs: 30_000 },
      }),
    ).toThrow(/receipts\.intervalMs.*longer than receipts\.maxDurationMs/);
  });

  it('a submit_sm_resp without message_id ends the message accepted, with no query_sm of an empty id', async () => {
    const sim = await SmscSimulator.start({
      profile: { ...smsorgSimulatorProfile({ deliveryDelayMs: 5 }), messageIds: () => '' },
      accounts: [ACCOUNT],
    });
    onTestFinished(() => sim.stop());
    const { tidings } = await startRuntime(sim, {
      receipts: { mode: 'active', intervalMs: 10, maxAttempts: 3 },
      responseTimeoutMs: 200,
    });
    const end = await (await tidings.send('sms', { to: '+79123456789', text: 'hi' })).settled;
    expect(end.type).toBe('accepted');
    expect(sim.pdus({ command: 'query_sm' })).toEqual([]);
  });
});
