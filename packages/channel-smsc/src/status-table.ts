import { CommandStatus, defaultStatusTable, extendStatusTable, type StatusTable } from '@tidings/transport-smpp';

/**
 * SMSC's `command_status` rules over the SMPP defaults. Above the account's speed (30 SMS/s by
 * default) the server answers ESME_RTHROTTLED and "the client must repeat the sending, reducing
 * its speed": the channel pauses for `pauseMs`, lowers its rate, and climbs back while sends succeed.
 */
export function smscStatusTableWith(pauseMs: number): StatusTable {
  return extendStatusTable(defaultStatusTable, {
    [CommandStatus.ESME_RTHROTTLED]: {
      class: 'throttled',
      pauseMs,
      description: "above the account's speed limit (30 SMS/s by default): pausing, then sending slower",
    },
    [CommandStatus.ESME_RMSGQFUL]: { class: 'queue-full', pauseMs, description: "the provider's queue is full" },
    [CommandStatus.ESME_RBINDFAIL]: {
      class: 'auth',
      description:
        'the bind failed: check the login and the SMPP password, that SMPP is enabled in the account ("API settings") and that this IP address is allowed',
    },
  });
}

/** SMSC's status table with the default 1 s throttling pause. */
export const smscStatusTable: StatusTable = smscStatusTableWith(1_000);
