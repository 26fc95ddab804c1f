import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startRuntime, startSmsorg } from './smsorg.test-helper.js';
import { countSmsorgParts } from './smsorg-parts.js';

describe('countSmsorgParts', () => {
  it('ASCII: 160 in one SMS, 153 per part beyond', () => {
    expect(countSmsorgParts('x'.repeat(160))).toMatchObject({ alphabet: 'ascii', dataCoding: 0x01, parts: 1 });
    expect(countSmsorgParts('x'.repeat(161))).toMatchObject({ parts: 2, perPart: 153 });
  });

  it('UCS2 for anything outside ASCII, GSM-only characters included: 70 in one SMS, 67 per part', () => {
    expect(countSmsorgParts('5 €')).toMatchObject({ alphabet: 'ucs2', dataCoding: 0x08, parts: 1, perPart: 70 });
    expect(countSmsorgParts('Ж'.repeat(71))).toMatchObject({ parts: 2, perPart: 67 });
  });

  it('agrees with the submit_sm parts the channel sends', async () => {
    const sim = await startSmsorg();
    const { tidings } = await startRuntime(sim);
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: fc.constantFrom('a', ' ', '{', 'Ж', '€', '😀'), minLength: 1, maxLength: 400 }),
        async (text) => {
          sim.clearReceived();
          await (await tidings.send('sms', { to: '+79123456789', text })).accepted;
          const submits = sim.pdus({ command: 'submit_sm' });
          const counted = countSmsorgParts(text);
          expect(submits).toHaveLength(counted.parts);
          expect(submits.every((submit) => submit.data_coding === counted.dataCoding)).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });
});
