import { describe, expect, it } from 'vitest';
import { convertMessageId, messageIdGenerator } from './message-ids.js';

describe('message ids', () => {
  it('generates decimal and hex ids whose spellings differ', () => {
    expect(messageIdGenerator('decimal')(1)).toBe('1000000001');
    expect(messageIdGenerator('hex')(1)).toBe('3b9aca01');
    expect(messageIdGenerator('uuid')(1)).not.toBe(messageIdGenerator('uuid')(1));
    expect(messageIdGenerator((n) => `x${n}`)(7)).toBe('x7');
  });

  it('converts ids the way receipts of some SMSCs write them', () => {
    expect(convertMessageId('1000000001', 'hex')).toBe('3b9aca01');
    expect(convertMessageId('3B9ACA01', 'decimal')).toBe('1000000001');
    expect(convertMessageId('123456789012345678901234567890', 'hex')).toBe(
      BigInt('123456789012345678901234567890').toString(16),
    );
    expect(convertMessageId('abc', 'same')).toBe('abc');
  });

  it('leaves ids that do not parse unchanged', () => {
    const uuid = '0d6f2a4e-1b7c-4c1e-9a55-3f3c2f1e9b10';
    expect(convertMessageId(uuid, 'hex')).toBe(uuid);
    expect(convertMessageId(uuid, 'decimal')).toBe(uuid);
    expect(convertMessageId('12ab', 'hex')).toBe('12ab');
    expect(convertMessageId('', 'decimal')).toBe('');
  });
});
