import { ErrorCode, RetryDecision, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../pdu/command-status.js';
import {
  classifyStatus,
  defaultStatusTable,
  extendStatusTable,
  isAuthFailureStatus,
  type StatusClass,
  statusToError,
} from './status-table.js';

describe('defaultStatusTable', () => {
  it.each<[number, StatusClass]>([
    [0x00, 'ok'],
    [0x01, 'fix'],
    [0x03, 'permanent'],
    [0x04, 'session'],
    [0x05, 'session'],
    [0x08, 'transient'],
    [0x0a, 'permanent'],
    [0x0b, 'permanent'],
    [0x0d, 'auth'],
    [0x0e, 'auth'],
    [0x0f, 'auth'],
    [0x14, 'queue-full'],
    [0x45, 'permanent'],
    [0x58, 'throttled'],
    [0x61, 'fix'],
    [0x62, 'fix'],
    [0xff, 'permanent'],
  ])('classifies status %i as %s', (status, expected) => {
    expect(classifyStatus(defaultStatusTable, status).class).toBe(expected);
  });

  it('classifies vendor and unknown statuses as permanent, with a hint for vendor ones', () => {
    expect(classifyStatus(defaultStatusTable, 0x0401)).toMatchObject({
      class: 'permanent',
      description: expect.stringContaining("channel's status table"),
    });
    expect(classifyStatus(defaultStatusTable, 0x0500).class).toBe('permanent');
    expect(classifyStatus(defaultStatusTable, 0x0399).class).toBe('permanent');
  });
});

describe('extendStatusTable', () => {
  it('overrides from a record without touching the base table', () => {
    const table = extendStatusTable(defaultStatusTable, {
      1025: { class: 'throttled', pauseMs: 5000, description: 'vendor throttling' },
      [CommandStatus.ESME_RUNKNOWNERR]: { class: 'transient', retryAfterMs: 2000 },
    });
    expect(classifyStatus(table, 0x0401)).toEqual({
      class: 'throttled',
      pauseMs: 5000,
      description: 'vendor throttling',
    });
    expect(classifyStatus(table, 0xff)).toEqual({ class: 'transient', retryAfterMs: 2000 });
    expect(classifyStatus(table, 0x58).class).toBe('throttled');
    expect(classifyStatus(defaultStatusTable, 0x0401).class).toBe('permanent');
    expect(classifyStatus(defaultStatusTable, 0xff).class).toBe('permanent');
  });

  it('overrides from an iterable of pairs', () => {
    const table = extendStatusTable(defaultStatusTable, new Map([[0x45, { class: 'transient' as const }]]));
    expect(classifyStatus(table, 0x45).class).toBe('transient');
  });

  it('refuses a bad status or class with InvalidOptions', () => {
    expect(() => extendStatusTable(defaultStatusTable, [[-1, { class: 'ok' }]])).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidOptions }),
    );
    expect(() => extendStatusTable(defaultStatusTable, { 1025: { class: 'slow' as StatusClass } })).toThrowError(
      /0x00000401 has class "slow"/,
    );
  });
});

describe('statusToError', () => {
  const context = { table: defaultStatusTable, command: 'submit_sm', channel: 'sms-eu' };

  it('maps throttled to Throttled with the default pause and a readable message', () => {
    const error = statusToError(0x58, context);
    expect(error).toBeInstanceOf(TidingsError);
    expect(error.code).toBe(ErrorCode.Throttled);
    expect(error.retry).toEqual(RetryDecision.pause(1000));
    expect(error.message).toBe('submit_sm refused: ESME_RTHROTTLED (0x00000058): throttled by the provider');
    expect(error.providerStatus).toBe(0x58);
    expect(error.channel).toBe('sms-eu');
    expect(error.ambiguous).toBe(false);
  });

  it('uses the rule pause, else the context default, for queue-full', () => {
    expect(statusToError(0x14, { ...context, defaultPauseMs: 250 }).retry).toEqual(RetryDecision.pause(250));
    const table = extendStatusTable(defaultStatusTable, { 20: { class: 'queue-full', pauseMs: 9000 } });
    const error = statusToError(0x14, { ...context, table, defaultPauseMs: 250 });
    expect(error.code).toBe(ErrorCode.Throttled);
    expect(error.retry).toEqual(RetryDecision.pause(9000));
  });

  it('maps permanent, fix and transient to Rejected with their decisions', () => {
    expect(statusToError(0x0b, context)).toMatchObject({ code: ErrorCode.Rejected, retry: { kind: 'never' } });
    expect(statusToError(0x01, context)).toMatchObject({ code: ErrorCode.Rejected, retry: { kind: 'fix' } });
    const transient = statusToError(0x08, context);
    expect(transient.code).toBe(ErrorCode.Rejected);
    expect(transient.retry).toEqual({ kind: 'retry' });
    const table = extendStatusTable(defaultStatusTable, { 8: { class: 'transient', retryAfterMs: 3000 } });
    expect(statusToError(0x08, { ...context, table }).retry).toEqual({ kind: 'retry', afterMs: 3000 });
  });

  it('maps auth to AuthFailed, never retried', () => {
    const error = statusToError(0x0e, { table: defaultStatusTable, command: 'bind_transceiver' });
    expect(error.code).toBe(ErrorCode.AuthFailed);
    expect(error.retry.kind).toBe('never');
    expect(error.message).toMatch(/^bind_transceiver refused: ESME_RINVPASWD \(0x0000000e\)/);
    expect(error.channel).toBeUndefined();
  });

  it('maps session to ConnectionLost, retried and not ambiguous', () => {
    const error = statusToError(0x04, context);
    expect(error.code).toBe(ErrorCode.ConnectionLost);
    expect(error.retry).toEqual({ kind: 'retry' });
    expect(error.ambiguous).toBe(false);
  });

  it('names an unnamed vendor status in hex', () => {
    const error = statusToError(0x0433, context);
    expect(error.code).toBe(ErrorCode.Rejected);
    expect(error.message).toMatch(/^submit_sm refused: 0x00000433: vendor-specific status/);
    expect(error.providerStatus).toBe(0x0433);
  });

  it('reports ESME_ROK as an internal error rather than a refusal', () => {
    const error = statusToError(0, context);
    expect(error.code).toBe(ErrorCode.Internal);
    expect(error.message).not.toContain('refused');
  });
});

describe('isAuthFailureStatus', () => {
  it('is true for the bind failures and honours a provider table', () => {
    expect([0x0d, 0x0e, 0x0f].map((status) => isAuthFailureStatus(status))).toEqual([true, true, true]);
    expect(isAuthFailureStatus(0x08)).toBe(false);
    expect(isAuthFailureStatus(0x0401)).toBe(false);
    const table = extendStatusTable(defaultStatusTable, { 1025: { class: 'auth' } });
    expect(isAuthFailureStatus(0x0401, table)).toBe(true);
  });
});
