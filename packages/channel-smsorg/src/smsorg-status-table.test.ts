import { ErrorCode } from '@tidings/core';
import { CommandStatus, statusToError } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { smsorgStatusTable, statusTableWith } from './smsorg-status-table.js';

const decide = (status: number, command = 'submit_sm') => statusToError(status, { table: smsorgStatusTable, command });

describe('smsorgStatusTable', () => {
  it('generic_nack / ESME_RINVCMDID (a command smsorg does not support) is permanent', () => {
    expect(decide(CommandStatus.ESME_RINVCMDID)).toMatchObject({
      code: ErrorCode.Rejected,
      retry: { kind: 'never' },
      message: expect.stringContaining('smsorg does not support this command'),
    });
  });

  it('ESME_RINVDCS (data_coding other than 0x01 / 0x08) asks to fix the message', () => {
    expect(decide(CommandStatus.ESME_RINVDCS).retry.kind).toBe('fix');
  });

  it('ESME_RQUERYFAIL is transient: polling asks again', () => {
    expect(decide(CommandStatus.ESME_RQUERYFAIL, 'query_sm').retry.kind).toBe('retry');
  });

  it('keeps SMPP defaults for the rest: throttling pauses, bad credentials stop reconnecting', () => {
    expect(decide(CommandStatus.ESME_RTHROTTLED)).toMatchObject({
      code: ErrorCode.Throttled,
      retry: { kind: 'pause' },
    });
    expect(decide(CommandStatus.ESME_RINVPASWD).code).toBe(ErrorCode.AuthFailed);
  });

  it('ESME_RTHROTTLED and ESME_RMSGQFUL pause for throttlePauseMs (1 000 ms in the exported table)', () => {
    expect(decide(CommandStatus.ESME_RTHROTTLED).retry).toMatchObject({ kind: 'pause', pauseMs: 1_000 });
    const table = statusTableWith(250);
    for (const status of [CommandStatus.ESME_RTHROTTLED, CommandStatus.ESME_RMSGQFUL]) {
      expect(statusToError(status, { table, command: 'submit_sm' }).retry).toMatchObject({
        kind: 'pause',
        pauseMs: 250,
      });
    }
  });
});
