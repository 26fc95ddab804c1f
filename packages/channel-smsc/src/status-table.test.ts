import { CommandStatus, classifyStatus } from '@tidings/transport-smpp';
import { describe, expect, it } from 'vitest';
import { smscStatusTable, smscStatusTableWith } from './status-table.js';

describe('smscStatusTable', () => {
  it("pauses on SMSC's speed error and a full queue, for throttlePauseMs (1 s by default)", () => {
    expect(classifyStatus(smscStatusTable, CommandStatus.ESME_RTHROTTLED)).toMatchObject({
      class: 'throttled',
      pauseMs: 1_000,
    });
    expect(classifyStatus(smscStatusTableWith(250), CommandStatus.ESME_RMSGQFUL)).toMatchObject({
      class: 'queue-full',
      pauseMs: 250,
    });
  });

  it('reads a refused bind as an authentication failure, naming what to check in the account', () => {
    const rule = classifyStatus(smscStatusTable, CommandStatus.ESME_RBINDFAIL);
    expect(rule.class).toBe('auth');
    expect(rule.description).toContain('API settings');
  });

  it('classes "command not supported" (0x03 ESME_RINVCMDID, e.g. submit_multi) as permanent', () => {
    expect(CommandStatus.ESME_RINVCMDID).toBe(0x03);
    expect(classifyStatus(smscStatusTable, CommandStatus.ESME_RINVCMDID).class).toBe('permanent');
  });
});
