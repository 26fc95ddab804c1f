import {
  defaultStatusTable,
  extendStatusTable,
  type StatusClass,
  type StatusRule,
  type StatusTable,
} from '@tidings/transport-smpp';

/** One row of the provider's `submit_sm_resp` status table. */
export interface TelegramStatusInfo {
  /** The `command_status`. */
  readonly status: number;
  /** What the provider says it means. */
  readonly meaning: string;
  /** What the page tells the partner to do, and what this channel does about it. */
  readonly action: string;
  /** How the channel classifies it: the retry decision follows from it. */
  readonly class: StatusClass;
}

/** The page's 5 s pause on `0x14` (queue full) and `0x58` (rate limit exceeded). */
export const defaultThrottlePauseMs = 5_000;

/** `0x14` more than this many times in a row: stop and escalate. */
export const maxQueueFullInARow = 5;

const row = (status: number, statusClass: StatusClass, meaning: string, action: string): TelegramStatusInfo =>
  Object.freeze({ status, class: statusClass, meaning, action });

/**
 * Telegram Gateway's `submit_sm_resp` statuses, as its page lists them, with the action it asks
 * for. `class` decides the retry: `ok` nothing; `permanent` never resend; `fix` not resent, the
 * host may fix and send anew; `transient` retried with backoff, then given up; `queue-full` and
 * `throttled` pause the whole channel (5 s), then retry.
 */
export const telegramStatuses: ReadonlyMap<number, TelegramStatusInfo> = new Map(
  [
    row(0x00, 'ok', 'the packet was received successfully', 'nothing to do'),
    row(
      0x01,
      'fix',
      'the message text length is exceeded',
      'shorten the text (at most 2000 characters, 2048 octets in message_payload), then send it again',
    ),
    row(
      0x03,
      'permanent',
      'the provider does not support this PDU type',
      'never resent: the request cannot succeed at this provider; fix the client',
    ),
    row(
      0x08,
      'transient',
      'system error on the provider server',
      "retried with backoff; if it persists, stop and contact the provider's Technical Support with the conditions of the error",
    ),
    row(
      0x0a,
      'fix',
      'invalid sender name: sending from this source_addr is not allowed',
      'set option sender (or message.from) to the service name agreed with the provider, then resend',
    ),
    row(
      0x0b,
      'permanent',
      'invalid recipient number: sending to this number is not allowed',
      "never resend; ask the provider's manager whether this number can receive messages",
    ),
    row(
      0x0c,
      'fix',
      'invalid ptag TLV value (0x1411)',
      'fix ptag (1 to 50 characters of 0-9 a-z A-Z - .), then resend',
    ),
    row(
      0x14,
      'queue-full',
      "the partner's message queue at the provider has reached its maximum",
      `submits pause for 5 s, then the failed ones are retried; more than ${maxQueueFullInARow} times in a row, the channel stops retrying: contact the provider's Technical Support`,
    ),
    row(
      0x45,
      'permanent',
      'the trial period is over or its message quota is used up',
      'never resend; contact the provider about the account',
    ),
    row(
      0x55,
      'permanent',
      'the limit of reply messages in request-response or mixed mode is exceeded',
      "not resent now: wait for the subscriber's next incoming message, then send anew",
    ),
    row(
      0x58,
      'throttled',
      "the partner's rate limit is exceeded",
      'submits pause for 5 s, resume below the limit (set option maxPerSecond to the agreed rate) and the failed ones are retried',
    ),
    row(
      0x62,
      'fix',
      'transaction duration limit exceeded: schedule_delivery_time is out of range',
      'fix the time, then resend',
    ),
    row(
      0xab,
      'permanent',
      'duplicate message: the same text to the same number within 24 hours while duplicate blocking is on',
      'never resend',
    ),
    row(
      0xc4,
      'fix',
      'an incorrect value in one of the TLV parameters',
      'fix the optional parameters (ptag, message_payload), then resend',
    ),
    row(
      0x500,
      'fix',
      'concatenation method mismatch: the account concatenates via UDH only or via TLV only',
      "stop, switch option concatenation ('payload' is TLV, 'udh' is UDH) and resend; if it repeats, contact the provider's Technical Support (or ask for \"Detect automatically\")",
    ),
  ].map((info) => [info.status, info]),
);

/**
 * The status table the channel runs on: SMPP's defaults with Telegram Gateway's rows on top.
 * `throttlePauseMs` is how long `0x14` and `0x58` hold the channel; change it only in tests.
 */
export function buildTelegramStatusTable(throttlePauseMs: number = defaultThrottlePauseMs): StatusTable {
  const rules: Array<[number, StatusRule]> = [];
  for (const info of telegramStatuses.values()) {
    const flowControl = info.class === 'queue-full' || info.class === 'throttled';
    rules.push([
      info.status,
      {
        class: info.class,
        description: `${info.meaning}; ${info.action}`,
        ...(flowControl ? { pauseMs: throttlePauseMs } : {}),
      },
    ]);
  }
  return extendStatusTable(defaultStatusTable, rules);
}

/** Telegram Gateway's status table, as the channel runs it by default (`0x14` and `0x58` pause 5 s). */
export const telegramStatusTable: StatusTable = buildTelegramStatusTable();
