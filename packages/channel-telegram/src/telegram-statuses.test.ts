import { ErrorCode } from '@tidings/core';
import { statusToError } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { buildTelegramStatusTable, telegramStatuses, telegramStatusTable } from './telegram-statuses.js';

const decision = (status: number, throttlePauseMs?: number) =>
  statusToError(status, {
    table: throttlePauseMs === undefined ? telegramStatusTable : buildTelegramStatusTable(throttlePauseMs),
    command: 'submit_sm',
  });

describe("Telegram Gateway's status table", () => {
  it('lists every status of the page', () => {
    expect([...telegramStatuses.keys()]).toEqual([
      0x00, 0x01, 0x03, 0x08, 0x0a, 0x0b, 0x0c, 0x14, 0x45, 0x55, 0x58, 0x62, 0xab, 0xc4, 0x500,
    ]);
  });

  it('0x14 and 0x58 pause the channel 5 s by default', () => {
    for (const status of [0x14, 0x58]) {
      const error = decision(status);
      expect(error.code).toBe(ErrorCode.Throttled);
      expect(error.retry).toEqual({ kind: 'pause', pauseMs: 5_000 });
    }
    expect(decision(0x58, 40).retry).toEqual({ kind: 'pause', pauseMs: 40 });
  });

  it('0x03 (command not supported), 0x0B, 0x45, 0x55 and 0xAB are never resent', () => {
    for (const status of [0x03, 0x0b, 0x45, 0x55, 0xab]) expect(decision(status).retry.kind).toBe('never');
  });

  it('0x08 is retried with the backoff policy', () => {
    expect(decision(0x08).retry).toEqual({ kind: 'retry' });
  });

  it('0x01, 0x0A, 0x0C, 0x62, 0xC4 and 0x500 wait for a fix', () => {
    for (const status of [0x01, 0x0a, 0x0c, 0x62, 0xc4, 0x500]) expect(decision(status).retry.kind).toBe('fix');
  });

  it('names the meaning and the advice in the error message', () => {
    const error = decision(0x500);
    expect(error.message).toContain('concatenation method mismatch');
    expect(error.message).toContain("switch option concatenation ('payload' is TLV, 'udh' is UDH)");
    expect(error.providerStatus).toBe(0x500);
  });

  it("keeps SMPP's other statuses (refused credentials stay auth failures)", () => {
    expect(decision(0x0e).code).toBe(ErrorCode.AuthFailed);
  });
});
