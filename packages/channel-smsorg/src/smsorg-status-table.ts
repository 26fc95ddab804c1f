import { CommandStatus, defaultStatusTable, extendStatusTable, type StatusTable } from '@tidings/transport-smpp';

/** The page names no pause after throttling: the transport's 1 s. */
export const DEFAULT_THROTTLE_PAUSE_MS = 1_000;

/**
 * How the channel reads smsorg's `command_status` values: SMPP's defaults, plus what the provider
 * page says. The page lists no vendor statuses of its own.
 *
 * | status | class | why |
 * | --- | --- | --- |
 * | `ESME_RINVCMDID` (0x03) | permanent | smsorg answers commands it does not support with `generic_nack` / `ESME_RINVCMDID` |
 * | `ESME_RINVDCS` (0x104) | fix | smsorg takes `data_coding` 0x01 (ASCII) and 0x08 (UCS2) only |
 * | `ESME_RQUERYFAIL` (0x67) | transient | a `query_sm` the server could not answer (unknown id or sender, state not known yet); active polling asks again |
 * | `ESME_RTHROTTLED` (0x58), `ESME_RMSGQFUL` (0x14) | throttled, queue-full | the channel holds its submits `throttlePauseMs` (default 1 000 ms), then sends slower |
 * | every other | as `defaultStatusTable` | auth stops reconnecting, … |
 */
export const smsorgStatusTable: StatusTable = statusTableWith(DEFAULT_THROTTLE_PAUSE_MS);

/** The table with the `throttlePauseMs` option's pause on throttling. */
export function statusTableWith(pauseMs: number): StatusTable {
  return extendStatusTable(defaultStatusTable, {
    [CommandStatus.ESME_RINVCMDID]: {
      class: 'permanent',
      description: 'smsorg does not support this command (generic_nack)',
    },
    [CommandStatus.ESME_RINVDCS]: {
      class: 'fix',
      description: 'smsorg takes data_coding 0x01 (ASCII) or 0x08 (UCS2) only',
    },
    [CommandStatus.ESME_RQUERYFAIL]: {
      class: 'transient',
      description: 'the server could not answer query_sm (an unknown message id or sender, or a state not known yet)',
    },
    [CommandStatus.ESME_RTHROTTLED]: { class: 'throttled', pauseMs, description: 'throttled by smsorg' },
    [CommandStatus.ESME_RMSGQFUL]: { class: 'queue-full', pauseMs, description: "smsorg's message queue is full" },
  });
}
