import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { smscReceipt } from '../receipt-details.js';
import { runCleanups, runtime, startSmsc } from '../smsc.test-helper.js';
import { smscSimulatorProfile } from './index.js';

afterEach(runCleanups);

const to = '+77011234567';

function submitIds(sim: SmscSimulator): string[] {
  const ids: string[] = [];
  sim.on('submit', (event) => ids.push(event.messageId));
  return ids;
}

describe('the SMSC simulator profile', () => {
  it('lists the commands SMSC takes (no data_sm, no submit_multi), its vendor TLVs and the 2-minute idle limit', () => {
    const profile = smscSimulatorProfile();
    expect(profile.name).toBe('smsc');
    expect(profile.commands).toEqual([
      'bind_transmitter',
      'bind_receiver',
      'bind_transceiver',
      'submit_sm',
      'query_sm',
      'enquire_link',
      'unbind',
    ]);
    expect(profile.idleTimeoutMs).toBe(120_000);
    expect(profile.tlvs?.map((tlv) => tlv.tag)).toEqual([0x2000, 0x2001, 0x2002, 0x2003, 0x2004]);
  });

  it('gives every part of a long message the same id by default, and distinct ids with SINGLE', async () => {
    const sim = await startSmsc();
    const ids = submitIds(sim);
    const glued = await runtime(sim);
    await (await glued.tidings.send('smsc', { to, text: 'a'.repeat(400) })).settled;
    expect(ids).toEqual(['854019', '854019', '854019']);
    await glued.tidings.stop();
    ids.length = 0;
    const single = await runtime(sim, { single: true });
    await (await single.tidings.send('smsc', { to, text: 'b'.repeat(400) })).settled;
    expect(new Set(ids).size).toBe(3);
  });

  it('reports err 241 when the parts of a long message take longer than the limit to arrive', async () => {
    const sim = await startSmsc({ partsWithinMs: 20 }, { faults: { responseDelayMs: 30 } });
    const { tidings } = await runtime(sim, { guards: { partsWithinMs: 0 } });
    const end = await (await tidings.send('smsc', { to, text: 'c'.repeat(400) })).settled;
    expect(end.type).toBe('undelivered');
    expect(end.type === 'undelivered' && smscReceipt(end.report)?.error?.reason).toBe('conversion-error');
  });

  it('refuses a duplicate with the configured status', async () => {
    const sim = await startSmsc({ duplicateStatus: 0x0408 });
    const { tidings } = await runtime(sim, { guards: { duplicateWindowMs: 0 } });
    await (await tidings.send('smsc', { to, text: 'same' })).accepted;
    const copy = await (await tidings.send('smsc', { to, text: 'same' })).settled;
    expect(copy.type === 'rejected' && copy.error.providerStatus).toBe(0x408);
  });

  it('reports the configured cost, mccmnc and HLR result', async () => {
    const sim = await SmscSimulator.start({
      profile: smscSimulatorProfile({
        costPerPart: 0.35,
        mccmnc: '40101',
        firstMessageId: 1,
        hlr: {
          imsi: '401011234567890',
          msc: '77010000000',
          mcc: '401',
          mnc: '01',
          country: 'Kazakhstan',
          operator: 'Kcell',
          roamingCountry: 'Russian Federation',
          roamingOperator: 'MTS',
        },
      }),
    });
    const { tidings } = await runtime(sim);
    try {
      const sms = await (await tidings.send('smsc', { to, text: 'hi' })).settled;
      expect(sms.type === 'delivered' && sms.providerMessageId).toBe('1');
      expect(sms.type === 'delivered' && smscReceipt(sms.report)).toMatchObject({ cost: 0.35, mccmnc: '40101' });
      const hlr = await (await tidings.send('smsc', { to, text: '__HLR__' })).settled;
      expect(hlr.type === 'delivered' && smscReceipt(hlr.report)?.hlr).toMatchObject({
        country: 'Kazakhstan',
        roamingCountry: 'Russian Federation',
        roamingOperator: 'MTS',
      });
    } finally {
      await tidings.stop();
      await sim.stop();
    }
  });
});
