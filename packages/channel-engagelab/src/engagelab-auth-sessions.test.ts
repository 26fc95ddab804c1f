import { ErrorCode, TidingsError } from '@tidings/core';
import { resolveChannel } from '@tidings/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupList, optionsFor, startEngageLab } from './engagelab.test-helper.js';
import { engagelabChannel } from './engagelab-plugin.js';

const cleanups = cleanupList();
afterEach(() => cleanups.run());

describe('authentication failure with several binds', () => {
  it('maxBindFailures counts per session: with binds 2 the error says so and gives the total', async () => {
    const sim = await startEngageLab();
    cleanups.add(() => sim.stop());
    const channel = resolveChannel(
      engagelabChannel(optionsFor(sim, { password: 'bad', binds: 2, maxBindFailures: 2 })),
    );
    cleanups.add(() => channel.stop());
    const error = await channel.start().catch((e: unknown) => e);
    expect(TidingsError.is(error, ErrorCode.AuthFailed)).toBe(true);
    expect((error as Error).message).toContain('2 times in a row on each of its 2 sessions (4 binds in all)');
    expect(sim.stats.bindsRefused).toBe(4);
  });
});
