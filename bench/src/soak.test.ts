import { describe, expect, it } from 'vitest';
import { formatSoak, runSoak } from './soak-run.js';

describe('soak (small N, the same code as `pnpm soak`)', () => {
  it('ends every message exactly once through random faults, and reports the figures', async () => {
    const result = await runSoak({ n: 2_000, window: 200, seed: 7, faultEveryMs: 150, stallMs: 20_000 });
    expect({ lost: result.lost, duplicated: result.duplicated, after: result.eventsAfterTerminal }).toEqual({
      lost: 0,
      duplicated: 0,
      after: 0,
    });
    expect(result.settled).toBe(2_000);
    expect(Object.values(result.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(result.byOutcome.delivered).toBeGreaterThan(1_800);
    expect(formatSoak(result)).toContain('lost          0');
  }, 60_000);
});
