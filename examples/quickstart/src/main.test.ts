import { describe, expect, it } from 'vitest';
import { main } from './main.js';

// The story runs on real timers (about two seconds); the generous timeout keeps slow CI machines green.
const timeout = 30_000;

describe('quickstart example', () => {
  it('tells its story: a retry, a pause, two fallbacks, one terminal event per message', { timeout }, async () => {
    const lines: string[] = [];
    const result = await main({ write: (line) => lines.push(line), color: false });

    expect(result.counts).toEqual({
      sent: 7,
      succeeded: 6,
      failed: 1,
      retries: 1,
      pauses: 1,
      fallbacks: 2,
      terminalEvents: 7,
    });
    expect(result.messages.map(({ ref, route, attempts, outcome }) => ({ ref, route, attempts, outcome }))).toEqual([
      { ref: 'login-alice', route: ['telegram'], attempts: 1, outcome: 'delivered' },
      { ref: 'login-bob', route: ['telegram'], attempts: 2, outcome: 'delivered' },
      { ref: 'alert-1', route: ['sms'], attempts: 2, outcome: 'delivered' },
      { ref: 'alert-2', route: ['sms'], attempts: 1, outcome: 'delivered' },
      { ref: 'alert-3', route: ['sms'], attempts: 1, outcome: 'undelivered' },
      { ref: 'login-carol', route: ['telegram', 'sms'], attempts: 2, outcome: 'delivered' },
      { ref: 'login-dan', route: ['telegram', 'sms'], attempts: 2, outcome: 'delivered' },
    ]);
    expect(result.messages.find((message) => message.ref === 'alert-3')?.code).toBe('TIDINGS_UNDELIVERED');
    // The idempotent re-send reached no provider.
    expect(result.providerAttempts).toEqual({ telegram: 5, sms: 6 });
  });

  it('prints readable lines without colour codes when asked for plain output', { timeout }, async () => {
    const lines: string[] = [];
    await main({ write: (line) => lines.push(line), color: false });
    const text = lines.join('\n');

    expect(text).not.toContain('\u001b[');
    for (const heading of ['1. ', '3. ', '4. ', '5. ', '6. ', 'Summary']) expect(text).toContain(`\n${heading}`);
    expect(text).toMatch(/login-carol\s+fallback\s+telegram → sms/);
    expect(text).toContain('same handle: true');
  });
});
