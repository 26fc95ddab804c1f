import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { DataSm, DeliverSm, Tlv } from '../pdu/pdu.js';
import { deliverSm as deliverSmFactory } from '../pdu/pdu-factory.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { extractReceipt, isReceipt, statToDeliveryState } from './receipt.js';

const registry = TlvRegistry.standard;
const receiptText =
  'id:0123456789 sub:001 dlvrd:001 submit date:2611221530 done date:261122153107 stat:DELIVRD err:000 text:Your code: 1234';

function deliverSm(fields: Partial<DeliverSm> & { text?: string } = {}): DeliverSm {
  const { text, ...rest } = fields;
  return {
    command: 'deliver_sm',
    command_status: 0,
    sequence_number: 1,
    service_type: '',
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '4915112345678',
    dest_addr_ton: 0,
    dest_addr_npi: 0,
    destination_addr: 'Tidings',
    esm_class: 0x04,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: 0,
    replace_if_present_flag: 0,
    data_coding: 0,
    sm_default_msg_id: 0,
    short_message: Buffer.from(text ?? receiptText, 'latin1'),
    ...rest,
  };
}

function dataSm(tlvs: readonly Tlv[]): DataSm {
  return {
    command: 'data_sm',
    command_status: 0,
    sequence_number: 2,
    service_type: '',
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '4915112345678',
    dest_addr_ton: 0,
    dest_addr_npi: 0,
    destination_addr: 'Tidings',
    esm_class: 0x04,
    registered_delivery: 0,
    data_coding: 0,
    tlvs,
  };
}

const tlv = (name: string, value: number | string | Uint8Array): Tlv => registry.encode(name, value);

describe('isReceipt', () => {
  it('is true for esm_class delivery receipt and intermediate notification', () => {
    expect(isReceipt(deliverSm({ esm_class: 0x04, text: 'anything' }), registry)).toBe(true);
    expect(isReceipt(deliverSm({ esm_class: 0x20, text: 'anything' }), registry)).toBe(true);
    // UDHI and other bits outside the message-type mask do not matter.
    expect(isReceipt(deliverSm({ esm_class: 0x44, text: 'anything' }), registry)).toBe(true);
  });

  it('is true with receipt TLVs whatever esm_class says', () => {
    const text = 'hello';
    expect(isReceipt(deliverSm({ esm_class: 0, text, tlvs: [tlv('receipted_message_id', 'abc')] }), registry)).toBe(
      true,
    );
    expect(isReceipt(deliverSm({ esm_class: 0, text, tlvs: [tlv('message_state', 2)] }), registry)).toBe(true);
  });

  it('is true for esm_class 0 with a receipt text (EngageLab)', () => {
    expect(isReceipt(deliverSm({ esm_class: 0 }), registry)).toBe(true);
  });

  it('is false for a mobile-originated message', () => {
    expect(isReceipt(deliverSm({ esm_class: 0, text: 'Hi, stat: fine' }), registry)).toBe(false);
    expect(isReceipt(deliverSm({ esm_class: 0, text: 'id:42 only' }), registry)).toBe(false);
    expect(isReceipt(deliverSm({ esm_class: 0, text: '' }), registry)).toBe(false);
  });

  it('is false for other message types even with a receipt-like text', () => {
    expect(isReceipt(deliverSm({ esm_class: 0x08 }), registry)).toBe(false);
  });
});

describe('extractReceipt', () => {
  it('reads the Appendix B text', () => {
    expect(extractReceipt(deliverSm(), registry)).toEqual({
      messageId: '0123456789',
      messageIdSource: 'text',
      state: 'delivered',
      stat: 'DELIVRD',
      errorCode: '000',
      submittedAt: Date.UTC(2026, 10, 22, 15, 30),
      doneAt: Date.UTC(2026, 10, 22, 15, 31, 7),
      submitted: 1,
      delivered: 1,
      text: 'Your code: 1234',
      tlvs: {},
    });
  });

  it('applies the SMSC offset to the dates', () => {
    const receipt = extractReceipt(deliverSm(), registry, { utcOffsetMinutes: 60 });
    expect(receipt?.submittedAt).toBe(Date.UTC(2026, 10, 22, 14, 30));
  });

  it('prefers receipted_message_id and message_state over the text', () => {
    const pdu = deliverSm({
      text: 'id:6699 stat:DELIVRD err:000',
      tlvs: [tlv('receipted_message_id', '1A2B'), tlv('message_state', 5)],
    });
    const receipt = extractReceipt(pdu, registry);
    expect(receipt).toMatchObject({ messageId: '1A2B', state: 'undelivered', stat: 'DELIVRD' });
    expect(receipt?.tlvs).toEqual({ receipted_message_id: '1A2B', message_state: 5 });
  });

  it('falls back to stat when message_state is out of range', () => {
    const pdu = deliverSm({ text: 'id:1 stat:EXPIRED', tlvs: [tlv('message_state', 0)] });
    expect(extractReceipt(pdu, registry)?.state).toBe('expired');
  });

  it('reads a TLV-only receipt with network_error_code as the error code', () => {
    const pdu = deliverSm({
      text: '',
      tlvs: [
        tlv('receipted_message_id', 'abc-1'),
        tlv('message_state', 8),
        tlv('network_error_code', Uint8Array.of(3, 0x01, 0x02)),
      ],
    });
    expect(extractReceipt(pdu, registry)).toMatchObject({
      messageId: 'abc-1',
      state: 'rejected',
      networkErrorCode: { type: 3, code: 0x0102 },
      errorCode: 0x0102,
    });
  });

  it('keeps the text err over network_error_code', () => {
    const pdu = deliverSm({
      text: 'id:1 stat:UNDELIV err:045',
      tlvs: [tlv('network_error_code', Uint8Array.of(1, 0, 9))],
    });
    expect(extractReceipt(pdu, registry)).toMatchObject({ errorCode: '045', networkErrorCode: { type: 1, code: 9 } });
  });

  it('reads receipted_message_id sent without its NUL', () => {
    const pdu = deliverSm({ text: '', tlvs: [{ tag: 0x001e, value: Buffer.from('77ab', 'latin1') }] });
    expect(extractReceipt(pdu, registry)?.messageId).toBe('77ab');
  });

  it('reads the text from message_payload when short_message is empty, and from data_sm', () => {
    const payload = tlv('message_payload', Buffer.from('id:9 stat:expired', 'latin1'));
    expect(extractReceipt(deliverSm({ text: '', tlvs: [payload] }), registry)).toMatchObject({
      messageId: '9',
      state: 'expired',
      stat: 'EXPIRED',
    });
    expect(extractReceipt(dataSm([payload]), registry)).toMatchObject({ messageId: '9', state: 'expired' });
  });

  it('decodes a UCS2-labelled text that really is UTF-16BE', () => {
    const pdu = deliverSm({ data_coding: 8, short_message: Buffer.from(receiptText, 'utf16le').swap16() });
    expect(extractReceipt(pdu, registry)).toMatchObject({ messageId: '0123456789', state: 'delivered' });
  });

  it('reads a UCS2-labelled text that is plain ASCII as Latin-1', () => {
    const pdu = deliverSm({ data_coding: 8 });
    expect(extractReceipt(pdu, registry)).toMatchObject({ messageId: '0123456789', state: 'delivered' });
  });

  it('reads the text as Latin-1 whatever else data_coding says', () => {
    const pdu = deliverSm({ data_coding: 0x03, text: 'id:5 stat:DELIVRD text:caf\u00e9' });
    expect(extractReceipt(pdu, registry)).toMatchObject({ messageId: '5', text: 'caf\u00e9' });
  });

  it('gives unknown for a missing or unknown stat', () => {
    expect(extractReceipt(deliverSm({ text: 'id:1' }), registry)?.state).toBe('unknown');
    expect(extractReceipt(deliverSm({ text: 'id:1 stat:WEIRD' }), registry)?.state).toBe('unknown');
  });

  it('leaves out counts and dates that are not numbers', () => {
    const receipt = extractReceipt(
      deliverSm({ text: 'id:1 sub:one dlvrd:00x submit date:never stat:DELIVRD' }),
      registry,
    );
    expect(receipt).toEqual({ messageId: '1', messageIdSource: 'text', state: 'delivered', stat: 'DELIVRD', tlvs: {} });
  });

  it('returns undefined without a message id', () => {
    expect(extractReceipt(deliverSm({ text: 'stat:DELIVRD err:000' }), registry)).toBeUndefined();
    expect(extractReceipt(deliverSm({ text: '' }), registry)).toBeUndefined();
    expect(extractReceipt(deliverSm({ text: 'hello' }), registry)).toBeUndefined();
  });
});

describe('statToDeliveryState', () => {
  it.each([
    ['DELIVRD', 'delivered'],
    ['DELIVERED', 'delivered'],
    ['EXPIRED', 'expired'],
    ['DELETED', 'deleted'],
    ['UNDELIV', 'undelivered'],
    ['UNDELIVERABLE', 'undelivered'],
    ['ACCEPTD', 'accepted'],
    ['ACCEPTED', 'accepted'],
    ['UNKNOWN', 'unknown'],
    ['REJECTD', 'rejected'],
    ['REJECTED', 'rejected'],
    ['ENROUTE', 'enroute'],
    ['delivrd', 'delivered'],
    ['SOMETHING', 'unknown'],
  ])('maps %s to %s', (stat, state) => {
    expect(statToDeliveryState(stat)).toBe(state);
  });
});

describe('receipts: what the first real-world review found', () => {
  const registry = TlvRegistry.standard;
  const mo = (text: string, data_coding = 0) =>
    deliverSmFactory(
      { source_addr: '15550001', destination_addr: 'Acme', data_coding, short_message: encodeFor(text, data_coding) },
      1,
    );

  it('does not take a subscriber message that mentions "id:" and "stat:" for a receipt', () => {
    expect(isReceipt(mo('My id: 4471 stat: please call back'), registry)).toBe(false);
    expect(isReceipt(mo('id:4471 stat:whatever'), registry)).toBe(false);
    expect(isReceipt(mo('id:4471 sub:001 dlvrd:001 stat:DELIVRD err:000 text:hi'), registry)).toBe(true);
  });

  it('reads a UCS2 receipt whose text: field is not ASCII', () => {
    const receipt = extractReceipt(
      { ...mo('id:77 sub:001 dlvrd:001 stat:DELIVRD err:000 text:Привет', 8), esm_class: 0x04 },
      registry,
    );
    expect(receipt).toMatchObject({ messageId: '77', state: 'delivered', text: 'Привет' });
  });

  it('treats BUFFRED and an intermediate notification without stat as not final', () => {
    expect(statToDeliveryState('BUFFRED')).toBe('enroute');
    const intermediate = { ...mo('id:5 sub:001 dlvrd:000'), esm_class: 0x20 };
    expect(extractReceipt(intermediate, registry)?.state).toBe('enroute');
  });

  it('says whether the id came from receipted_message_id or from the text', () => {
    const withTlv = {
      ...mo('id:1000 stat:DELIVRD'),
      esm_class: 0x04,
      tlvs: [registry.encode('receipted_message_id', '3e8')],
    };
    expect(extractReceipt(withTlv, registry)).toMatchObject({ messageId: '3e8', messageIdSource: 'tlv' });
    expect(extractReceipt({ ...mo('id:1000 stat:DELIVRD'), esm_class: 0x04 }, registry)).toMatchObject({
      messageId: '1000',
      messageIdSource: 'text',
    });
  });
});

function encodeFor(text: string, dataCoding: number): Uint8Array {
  if (dataCoding !== 8) return new TextEncoder().encode(text);
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    bytes[i * 2] = text.charCodeAt(i) >> 8;
    bytes[i * 2 + 1] = text.charCodeAt(i) & 0xff;
  }
  return bytes;
}
