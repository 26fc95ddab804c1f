import { describe, expect, it } from 'vitest';
import { samePlan, sameValue } from './same-plan.js';
import type { SubmitPlan } from './smpp-channel.js';

const plan = (overrides: Partial<SubmitPlan> = {}): SubmitPlan => ({
  text: 'code 1234',
  source: { addr: 'Tidings', ton: 5, npi: 0 },
  destination: { addr: '15550001', ton: 1, npi: 1 },
  ...overrides,
});

describe('samePlan', () => {
  it('equal plans built twice are the same', () => {
    expect(samePlan(plan(), plan())).toBe(true);
    const full = (): SubmitPlan =>
      plan({
        fields: { registered_delivery: 1, service_type: 'OTP' },
        tlvs: { user_message_reference: 7, callback_num: new Uint8Array([1, 2, 3]) },
        encoding: { allowed: ['gsm7', 'ucs2'], dataCodings: { latin1: 4 } },
      });
    expect(samePlan(full(), full())).toBe(true);
  });

  it('any difference the build would see makes them differ', () => {
    expect(samePlan(plan(), plan({ text: 'code 1235' }))).toBe(false);
    expect(samePlan(plan(), plan({ source: { addr: 'Tidings', ton: 1, npi: 0 } }))).toBe(false);
    expect(samePlan(plan(), plan({ destination: { addr: '15550002', ton: 1, npi: 1 } }))).toBe(false);
    expect(samePlan(plan(), plan({ fields: {} }))).toBe(false);
    expect(samePlan(plan({ fields: { priority_flag: 1 } }), plan({ fields: { priority_flag: 2 } }))).toBe(false);
    expect(samePlan(plan({ tlvs: { a: new Uint8Array([1]) } }), plan({ tlvs: { a: new Uint8Array([2]) } }))).toBe(
      false,
    );
    expect(samePlan(plan({ encoding: { allowed: ['gsm7'] } }), plan({ encoding: { allowed: ['ucs2'] } }))).toBe(false);
  });
});

describe('sameValue', () => {
  it('compares plain data deeply', () => {
    expect(sameValue({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameValue({ a: 1, b: undefined }, { a: 1, c: undefined })).toBe(false);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(sameValue(new Uint8Array([1, 2]), [1, 2])).toBe(false);
  });

  it('never calls equal what it cannot see into: other classes and functions only equal themselves', () => {
    const f = () => 1;
    expect(sameValue(f, f)).toBe(true);
    expect(sameValue(f, () => 1)).toBe(false);
    expect(sameValue(new Date(0), new Date(0))).toBe(false);
    expect(sameValue(new Map(), new Map())).toBe(false);
  });
});
