import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startGateway, startRuntime, submits } from './telegram.test-helper.js';
import type { TelegramMessage } from './telegram-message.js';

const noDigits = fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => text.replace(/[0-9{}]/g, ''));
const message: fc.Arbitrary<TelegramMessage> = fc.record(
  {
    to: fc.oneof(
      fc.stringMatching(/^\+?7[0-9]{10}$/),
      fc.stringMatching(/^8-[0-9]{3}-[0-9]{3}-[0-9]{2}-[0-9]{2}$/),
      fc.stringMatching(/^8[0-9]{10}$/),
    ),
    code: fc.stringMatching(/^[0-9]{4,8}$/),
    text: fc.tuple(noDigits, noDigits).map(([before, after]) => `${before} {code} ${after}`),
    ptag: fc.stringMatching(/^[0-9A-Za-z.-]{1,50}$/),
    validitySeconds: fc.integer({ min: 30, max: 3600 }),
  },
  { requiredKeys: ['to', 'code'] },
);

describe('the channel and the simulator profile agree on the page', () => {
  it('every message the channel accepts, the profile accepts and delivers', async () => {
    const sim = await startGateway();
    const { tidings } = await startRuntime(sim);
    await fc.assert(
      fc.asyncProperty(message, async (generated) => {
        const end = await (await tidings.send('telegram', generated)).settled;
        expect(end.type).toBe('delivered');
      }),
      { numRuns: 60 },
    );
    expect(submits(sim).length).toBeGreaterThanOrEqual(60);
  });
});
