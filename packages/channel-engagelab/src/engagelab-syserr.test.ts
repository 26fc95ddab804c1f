import { createTidings } from '@tidings/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupList, optionsFor, otp, startEngageLab } from './engagelab.test-helper.js';
import { engagelabChannel } from './engagelab-plugin.js';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

describe('0x08 when the retries run out', () => {
  it('the terminal error does not claim a retry is coming', async () => {
    const sim = await startEngageLab({}, { faults: { rejectEveryNth: { n: 1, status: 0x08 } } });
    cleanups.add(() => sim.stop());
    const plugin = engagelabChannel(
      optionsFor(sim, { settings: { retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 } } }),
    );
    const tidings = await createTidings({ plugins: [plugin] });
    cleanups.add(() => tidings.stop({ timeoutMs: 1000 }));
    const terminal = await (await tidings.send('engagelab', otp)).settled;
    expect(sim.pdus({ command: 'submit_sm' })).toHaveLength(2);
    expect(terminal.type === 'failed' || terminal.type === 'rejected').toBe(true);
    const message = (terminal as { error: { message: string } }).error.message;
    expect(message).not.toMatch(/retrying later/);
    expect(message).toMatch(/internal service error: a transient failure/);
  });
});
