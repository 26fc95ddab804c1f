import { describe, expect, it } from 'vitest';
import { decodeText } from '../encoding/text-codec.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { parseReceiptText } from '../receipt/receipt-text.js';
import type { StoredMessage } from './message-ledger.js';
import { buildReceipt, type ReceiptSubject, receiptRequested } from './receipt-builder.js';

const tlvs = TlvRegistry.standard;
const message: StoredMessage = {
  messageId: '1000000001',
  systemId: 'test',
  sourceAddr: 'Shop',
  destinationAddr: '15550002',
  submittedAt: Date.UTC(2024, 4, 1, 12, 30),
  doneAt: Date.UTC(2024, 4, 1, 12, 31),
  stat: 'DELIVRD',
  err: 0,
};
const subject: ReceiptSubject = {
  message,
  sourceAddrTon: 5,
  sourceAddrNpi: 0,
  destAddrTon: 1,
  destAddrNpi: 1,
  text: '',
};

describe('buildReceipt', () => {
  it('sends the receipt back from the recipient to the sender, with their TON/NPI', () => {
    const receipt = buildReceipt(subject, {}, tlvs, 7);
    expect(receipt).toMatchObject({
      sequence_number: 7,
      source_addr: '15550002',
      source_addr_ton: 1,
      destination_addr: 'Shop',
      dest_addr_ton: 5,
      esm_class: 0x04,
    });
    expect(parseReceiptText(decodeText(receipt.short_message, 0))).toMatchObject({
      submitDate: '2405011230',
      doneDate: '2405011231',
    });
  });

  it('overrides mandatory fields (EngageLab: empty source, service_type MSG)', () => {
    const receipt = buildReceipt(subject, { fields: { source_addr: '', service_type: 'MSG' } }, tlvs, 1);
    expect(receipt).toMatchObject({ source_addr: '', service_type: 'MSG', destination_addr: 'Shop' });
  });

  it('moves a text longer than 254 octets into message_payload', () => {
    const long = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`field${index}`, 'value']));
    const receipt = buildReceipt(subject, { textVariant: { extraFields: long } }, tlvs, 1);
    expect(receipt.short_message).toHaveLength(0);
    const payload = tlvs.read(receipt.tlvs, 'message_payload') as Uint8Array;
    expect(parseReceiptText(decodeText(payload, 0))?.extra).toMatchObject({ field29: 'value' });
  });

  it('cuts the text field at 20 characters without splitting a surrogate pair, and writes ? for what the alphabet lacks', () => {
    const text = `${'a'.repeat(19)}😀 and more`;
    const receipt = buildReceipt({ ...subject, text }, {}, tlvs, 1);
    expect(parseReceiptText(decodeText(receipt.short_message, 0))?.text).toBe('a'.repeat(19));
    const ucs2 = buildReceipt({ ...subject, text: 'Zürich 😀' }, { dataCoding: 8 }, tlvs, 1);
    expect(parseReceiptText(decodeText(ucs2.short_message, 8))?.text).toBe('Zürich 😀');
    const gsm = buildReceipt({ ...subject, text: 'Zürich 😀' }, {}, tlvs, 1);
    expect(parseReceiptText(decodeText(gsm.short_message, 0))?.text).toBe('Zürich ??');
  });
});

describe('receiptRequested', () => {
  it('follows registered_delivery bits 0-1', () => {
    expect(receiptRequested(0, 'DELIVRD')).toBe(false);
    expect(receiptRequested(1, 'UNDELIV')).toBe(true);
    expect(receiptRequested(2, 'DELIVRD')).toBe(false);
    expect(receiptRequested(2, 'EXPIRED')).toBe(true);
    expect(receiptRequested(0x11, 'DELIVRD')).toBe(true);
  });
});
