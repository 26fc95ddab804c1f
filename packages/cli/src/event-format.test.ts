import { ErrorCode, type MessageEvent, TidingsError } from '@tidings/core';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { describeError, formatEvent, formatReceipt, jsonLine } from './event-format.js';

describe('event output', () => {
  it('JSON lines: bytes as hex (Buffer too), bigints as strings, TidingsError by its toJSON', () => {
    const error = new TidingsError(ErrorCode.Rejected, 'refused', { providerStatus: 0x0b });
    expect(
      JSON.parse(jsonLine({ bytes: new Uint8Array([1, 255]), buffer: Buffer.from('hi'), big: 10n, error })),
    ).toEqual({
      bytes: '01ff',
      buffer: '6869',
      big: '10',
      error: expect.objectContaining({ code: 'TIDINGS_REJECTED', message: 'refused', providerStatus: 11 }),
    });
  });

  it('human lines name the event, the channel and the error with the provider status in hex', () => {
    const c = pc.createColors(false);
    const event = {
      type: 'rejected',
      terminal: true,
      messageId: 'm1',
      channel: 'otp',
      attempt: 1,
      timestamp: Date.UTC(2026, 10, 22, 6, 42, 41, 820),
      error: new TidingsError(ErrorCode.Rejected, 'recipient not allowed', { providerStatus: 0x0b }),
    } as MessageEvent;
    expect(formatEvent(event, c)).toBe(
      '06:42:41.820 otp rejected    TIDINGS_REJECTED: recipient not allowed (provider status 0x0000000B)',
    );
    expect(describeError(new TidingsError(ErrorCode.Timeout, 'no answer'))).toBe('TIDINGS_TIMEOUT: no answer');
  });

  it('human lines escape provider data (ids, error text, receipt fields) and show UTC times', () => {
    const c = pc.createColors(false);
    const at = Date.UTC(2026, 10, 22, 6, 42, 41, 820);
    const accepted = {
      type: 'accepted',
      terminal: false,
      messageId: 'm1',
      channel: 'otp',
      attempt: 1,
      timestamp: at,
      providerMessageId: '77\n06:42:41.820 otp delivered',
      parts: 1,
    } as MessageEvent;
    expect(formatEvent(accepted, c)).toBe(
      '06:42:41.820 otp accepted    provider id 77\\n06:42:41.820 otp delivered, 1 part',
    );
    const failed = {
      type: 'failed',
      terminal: true,
      messageId: 'm1',
      channel: 'otp',
      attempt: 1,
      timestamp: at,
      error: new TidingsError(ErrorCode.Rejected, 'provider says \u001b[31mno'),
    } as MessageEvent;
    expect(formatEvent(failed, c)).toBe('06:42:41.820 otp failed      TIDINGS_REJECTED: provider says \\x1B[31mno');
    expect(formatReceipt('kz', { providerMessageId: 'a\rb', state: 'undelivered', errorCode: '0\u001b1' }, at, c)).toBe(
      '06:42:41.820 kz receipt     provider id a\\rb undelivered err 0\\x1B1',
    );
  });
});
