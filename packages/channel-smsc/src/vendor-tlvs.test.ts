import { TlvRegistry } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { decodeAdditionalStatus, decodeSmscFlags, encodeSmscFlags, parseCost, smscVendorTlvs } from './vendor-tlvs.js';

describe('SMSC vendor TLVs', () => {
  it('defines 0x2000 cost, 0x2001 flags, 0x2002 parts, 0x2003 mccmnc, 0x2004 additional status', () => {
    const registry = TlvRegistry.standard.withVendor(smscVendorTlvs);
    const tlvs = [
      registry.encode('smsc_cost', ' 1.2500'),
      registry.encode('smsc_flags', 0x0108),
      registry.encode('smsc_parts', 3),
      registry.encode('smsc_mccmnc', '40101'),
      registry.encode('smsc_status', 4),
    ];
    expect(tlvs.map((tlv) => tlv.tag)).toEqual([0x2000, 0x2001, 0x2002, 0x2003, 0x2004]);
    // Integers are 2 octets; strings are C-octet strings.
    expect(tlvs.map((tlv) => tlv.value.length)).toEqual([8, 2, 2, 6, 2]);
    expect(registry.toRecord(tlvs)).toMatchObject({
      smsc_cost: ' 1.2500',
      smsc_flags: 0x0108,
      smsc_parts: 3,
      smsc_mccmnc: '40101',
      smsc_status: 4,
    });
    // Never process-wide: the standard registry does not know them.
    expect(TlvRegistry.standard.toRecord(tlvs)).not.toHaveProperty('smsc_cost');
  });

  it('decodes the flags: bits 0-3 type, bit 5 second balance, bit 8 template, bits 10..9 template type', () => {
    const types = [
      [0, 'sms'],
      [1, 'flash'],
      [2, 'binary'],
      [3, 'wap-push'],
      [4, 'hlr'],
      [5, 'ping'],
      [6, 'mms'],
      [7, 'call'],
      [8, 'email'],
      [10, 'viber'],
      [12, 'social'],
      [9, 'unknown'],
    ] as const;
    for (const [bits, type] of types) expect(decodeSmscFlags(bits).messageType).toBe(type);
    expect(decodeSmscFlags(0x20)).toEqual({ messageType: 'sms', secondBalance: true, template: false });
    expect(decodeSmscFlags(0x100)).toEqual({
      messageType: 'sms',
      secondBalance: false,
      template: true,
      templateType: 'service',
    });
    expect(decodeSmscFlags(0x300).templateType).toBe('transactional');
    expect(decodeSmscFlags(0x500).templateType).toBe('authorization');
    expect(decodeSmscFlags(0x700 | 0x20 | 7)).toEqual({
      messageType: 'call',
      secondBalance: true,
      template: true,
      templateType: 'advertising',
    });
    // Template type bits without the template bit say nothing.
    expect(decodeSmscFlags(0x600)).toEqual({ messageType: 'sms', secondBalance: false, template: false });
  });

  it('encodes what it decodes', () => {
    for (const value of [0, 4, 8, 0x2a, 0x108, 0x32c, 0x52a, 0x72c]) {
      expect(encodeSmscFlags(decodeSmscFlags(value))).toBe(value);
    }
  });

  it('reads the cost " n.nnnn" and the additional status 2 read, 4 link clicked', () => {
    expect(parseCost(' 2.5000')).toBe(2.5);
    expect(parseCost('12')).toBe(12);
    expect(parseCost(' n/a')).toBeUndefined();
    expect(decodeAdditionalStatus(2)).toBe('read');
    expect(decodeAdditionalStatus(4)).toBe('link-clicked');
    expect(decodeAdditionalStatus(0)).toBeUndefined();
  });
});
