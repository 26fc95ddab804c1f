import { defaultStatusTable, extendStatusTable, type StatusRule, type StatusTable } from '@tidings/transport-smpp';

/** The page's pause after `0x58` (throttled): one second. */
export const defaultThrottlePauseMs = 1_000;
/** The page's wait after `0x0404` (route busy) before resending: two seconds. */
export const defaultRouteBusyRetryMs = 2_000;

/** Acme's `command_status` values, by name, as its page lists them. */
export const AcmeStatus = {
  invalidSender: 0x0a,
  invalidRecipient: 0x0b,
  throttled: 0x58,
  invalidValidity: 0x62,
  invalidDataCoding: 0x104,
  unknownCampaign: 0x0401,
  noCredit: 0x0402,
  optedOut: 0x0403,
  routeBusy: 0x0404,
} as const;

/** How long the flow-control rows hold the channel; the page's values unless a test shortens them. */
export interface AcmeStatusTimings {
  readonly throttlePauseMs: number;
  readonly routeBusyRetryMs: number;
}

/**
 * Acme's `submit_sm_resp` statuses on top of SMPP's defaults. Each `class` decides the retry:
 * `fix` is not resent (the host fixes the message), `permanent` never, `transient` after
 * `retryAfterMs`, `throttled` pauses the whole channel for `pauseMs`.
 */
export function buildAcmeStatusTable(
  timings: AcmeStatusTimings = { throttlePauseMs: defaultThrottlePauseMs, routeBusyRetryMs: defaultRouteBusyRetryMs },
): StatusTable {
  const rows: Array<[number, StatusRule]> = [
    [
      AcmeStatus.invalidSender,
      { class: 'fix', description: 'the sender is not registered for this account: register it in the Acme portal' },
    ],
    [AcmeStatus.invalidRecipient, { class: 'permanent', description: 'the recipient number is not reachable' }],
    [
      AcmeStatus.throttled,
      { class: 'throttled', pauseMs: timings.throttlePauseMs, description: 'more than the account rate per second' },
    ],
    [
      AcmeStatus.unknownCampaign,
      { class: 'fix', description: 'the acme_campaign is unknown: create it in the portal' },
    ],
    [AcmeStatus.noCredit, { class: 'permanent', description: 'the account has no credit left: top it up' }],
    [AcmeStatus.optedOut, { class: 'permanent', description: 'the recipient opted out (replied STOP)' }],
    [
      AcmeStatus.routeBusy,
      { class: 'transient', retryAfterMs: timings.routeBusyRetryMs, description: 'the route is busy for a moment' },
    ],
  ];
  return extendStatusTable(defaultStatusTable, rows);
}

/** Acme's status table with the page's timings. */
export const acmeStatusTable: StatusTable = buildAcmeStatusTable();

/** Receipt `err:` codes (three digits) and what they mean, added to undelivered reports as `extras.reason`. */
export const acmeReceiptErrors: ReadonlyMap<number, string> = new Map([
  [1, 'absent subscriber'],
  [2, 'unknown subscriber'],
  [3, 'blocked by the operator'],
]);
