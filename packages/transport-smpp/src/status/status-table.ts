import { ErrorCode, RetryDecision, TidingsError } from '@tidings/core';
import { CommandStatus, describeStatus } from '../pdu/command-status.js';

/**
 * What a `command_status` means for the request that got it:
 * - `ok`: accepted.
 * - `permanent`: refused; sending it again cannot help.
 * - `fix`: the message itself is wrong (length, times, flags); a host may fix it and send anew.
 * - `transient`: a passing failure at the SMSC; retry with backoff.
 * - `throttled` / `queue-full`: the provider asks the whole channel to slow down.
 * - `auth`: the credentials were refused; reconnecting at once would only be refused again.
 * - `session`: the session is not in a state to take it (not bound, already bound); rebind.
 */
export type StatusClass = 'ok' | 'permanent' | 'fix' | 'transient' | 'throttled' | 'queue-full' | 'auth' | 'session';

export interface StatusRule {
  readonly class: StatusClass;
  /** For `transient`: the wait before the retry (else the retry policy's backoff). */
  readonly retryAfterMs?: number;
  /** For `throttled` / `queue-full`: how long the channel holds its sends. */
  readonly pauseMs?: number;
  /** What it means, for the error message (`throttled by the provider`). */
  readonly description?: string;
}

/** `command_status` → rule. A channel's provider table overrides the defaults. */
export type StatusTable = ReadonlyMap<number, StatusRule>;

const statusClasses: ReadonlySet<string> = new Set<StatusClass>([
  'ok',
  'permanent',
  'fix',
  'transient',
  'throttled',
  'queue-full',
  'auth',
  'session',
]);

const rule = (statusClass: StatusClass, description?: string): StatusRule =>
  Object.freeze(description === undefined ? { class: statusClass } : { class: statusClass, description });

const S = CommandStatus;

/** The classification of smpp-essentials.md, plus the field-level errors a host can fix. */
export const defaultStatusTable: StatusTable = new Map<number, StatusRule>([
  [S.ESME_ROK, rule('ok')],
  [S.ESME_RINVMSGLEN, rule('fix', 'the message length is invalid')],
  [S.ESME_RINVCMDLEN, rule('permanent', 'the command length is invalid')],
  [S.ESME_RINVCMDID, rule('permanent', 'the provider does not support this command')],
  [S.ESME_RINVBNDSTS, rule('session', 'the session is not bound for this command')],
  [S.ESME_RALYBND, rule('session', 'the session is already bound')],
  [S.ESME_RINVPRTFLG, rule('fix', 'the priority flag is invalid')],
  [S.ESME_RINVREGDLVFLG, rule('fix', 'the registered_delivery flag is invalid')],
  [S.ESME_RSYSERR, rule('transient', 'system error at the provider')],
  [S.ESME_RINVSRCADR, rule('permanent', 'the source address (sender) is invalid')],
  [S.ESME_RINVDSTADR, rule('permanent', 'the destination address is invalid')],
  [S.ESME_RBINDFAIL, rule('auth', 'the bind failed; check system_id, password, system_type and the allowed IPs')],
  [S.ESME_RINVPASWD, rule('auth', 'the password is invalid; check the channel credentials')],
  [S.ESME_RINVSYSID, rule('auth', 'the system_id is invalid; check the channel credentials')],
  [S.ESME_RMSGQFUL, rule('queue-full', "the provider's message queue is full")],
  [S.ESME_RINVSERTYP, rule('fix', 'the service_type is invalid')],
  [S.ESME_RINVESMCLASS, rule('fix', 'the esm_class is invalid')],
  [S.ESME_RSUBMITFAIL, rule('permanent', 'the submit failed at the provider')],
  [S.ESME_RINVSRCTON, rule('fix', 'the source address TON is invalid')],
  [S.ESME_RINVSRCNPI, rule('fix', 'the source address NPI is invalid')],
  [S.ESME_RINVDSTTON, rule('fix', 'the destination address TON is invalid')],
  [S.ESME_RINVDSTNPI, rule('fix', 'the destination address NPI is invalid')],
  [S.ESME_RTHROTTLED, rule('throttled', 'throttled by the provider')],
  [S.ESME_RINVSCHED, rule('fix', 'the schedule_delivery_time is invalid')],
  [S.ESME_RINVEXPIRY, rule('fix', 'the validity_period is invalid')],
  [S.ESME_RX_T_APPN, rule('transient', 'temporary error at the recipient application')],
  [S.ESME_RX_P_APPN, rule('permanent', 'permanent error at the recipient application')],
  [S.ESME_RX_R_APPN, rule('permanent', 'the recipient application rejected the message')],
  [S.ESME_RINVTLVSTREAM, rule('fix', 'the optional parameters are malformed')],
  [S.ESME_RTLVNOTALLWD, rule('fix', 'an optional parameter is not allowed')],
  [S.ESME_RINVTLVLEN, rule('fix', 'an optional parameter has an invalid length')],
  [S.ESME_RMISSINGTLV, rule('fix', 'a required optional parameter is missing')],
  [S.ESME_RINVTLVVAL, rule('fix', 'an optional parameter has an invalid value')],
  [S.ESME_RUNKNOWNERR, rule('permanent', 'unknown error at the provider')],
  [S.ESME_RINVDCS, rule('fix', 'the data_coding is invalid')],
]);

const vendorRule = rule(
  'permanent',
  "vendor-specific status; classify it in the channel's status table if it should be retried",
);
const unknownRule = rule('permanent', 'unknown status');

/**
 * A new table: `base` with `overrides` on top (e.g. a provider whose vendor status 0x0401 means
 * throttled). Throws `InvalidOptions` for a status that is not a 32-bit unsigned integer or a rule
 * with an unknown class.
 */
export function extendStatusTable(
  base: StatusTable,
  overrides: Readonly<Record<number, StatusRule>> | Iterable<readonly [number, StatusRule]>,
): StatusTable {
  const table = new Map(base);
  const entries: Iterable<readonly [number | string, StatusRule]> =
    Symbol.iterator in overrides ? overrides : Object.entries(overrides);
  for (const [key, value] of entries) {
    const status = typeof key === 'number' ? key : Number(key);
    if (!(Number.isInteger(status) && status >= 0 && status <= 0xffffffff)) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `Status table: ${String(key)} is not a command_status; use an integer from 0 to 0xFFFFFFFF`,
      );
    }
    if (!statusClasses.has(value?.class)) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `Status table: the rule for ${describeStatus(status)} has class ${JSON.stringify(value?.class)}; ` +
          `use one of ${[...statusClasses].join(', ')}`,
      );
    }
    table.set(status, Object.freeze({ ...value }));
  }
  return table;
}

/** The rule for a status: the table's, else `permanent` (vendor range 0x0400–0x04FF or unknown). */
export function classifyStatus(table: StatusTable, status: number): StatusRule {
  const found = table.get(status);
  if (found !== undefined) return found;
  return status >= 0x0400 && status <= 0x04ff ? vendorRule : unknownRule;
}

export interface StatusErrorContext {
  readonly table: StatusTable;
  readonly channel?: string;
  /** The refused command, for the message (`submit_sm`). */
  readonly command: string;
  /** The pause for `throttled` / `queue-full` rules without their own; default 1000 ms. */
  readonly defaultPauseMs?: number;
}

/**
 * The error for a refused request, e.g.
 * `submit_sm refused: ESME_RTHROTTLED (0x00000058): throttled by the provider`, with the retry
 * decision of its class and the raw status as `providerStatus`. Never ambiguous: the SMSC answered.
 */
export function statusToError(status: number, context: StatusErrorContext): TidingsError {
  const found = classifyStatus(context.table, status);
  const description = found.description === undefined ? '' : `: ${found.description}`;
  const message =
    found.class === 'ok'
      ? `${context.command}: ${describeStatus(status)} is a success, not an error (a bug in the caller)`
      : `${context.command} refused: ${describeStatus(status)}${description}`;
  const pauseMs = found.pauseMs ?? context.defaultPauseMs ?? 1000;
  const [code, retry] = errorFor(found, pauseMs);
  return new TidingsError(code, message, {
    retry,
    providerStatus: status,
    ...(context.channel === undefined ? {} : { channel: context.channel }),
    details: { command: context.command, statusClass: found.class },
  });
}

function errorFor(found: StatusRule, pauseMs: number): [ErrorCode, RetryDecision] {
  switch (found.class) {
    case 'permanent':
      return [ErrorCode.Rejected, RetryDecision.never()];
    case 'fix':
      return [ErrorCode.Rejected, RetryDecision.fix()];
    case 'transient':
      return [ErrorCode.Rejected, RetryDecision.retry(found.retryAfterMs)];
    case 'throttled':
    case 'queue-full':
      return [ErrorCode.Throttled, RetryDecision.pause(pauseMs)];
    case 'auth':
      return [ErrorCode.AuthFailed, RetryDecision.never()];
    case 'session':
      return [ErrorCode.ConnectionLost, RetryDecision.retry()];
    case 'ok':
      return [ErrorCode.Internal, RetryDecision.never()];
  }
}

/** Whether a bind response's status means the credentials were refused (0x0D, 0x0E, 0x0F by default). */
export function isAuthFailureStatus(status: number, table: StatusTable = defaultStatusTable): boolean {
  return classifyStatus(table, status).class === 'auth';
}
