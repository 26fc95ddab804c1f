import { CommandStatus, defaultStatusTable, extendStatusTable, type StatusTable } from '@tidings/transport-smpp';

/**
 * `command_status` values of EngageLab's `submit_sm_resp` (the page's "Failure Response" table).
 * `ESME_RINVPARAM` is EngageLab's own name for 0x32, not an SMPP 3.4 one.
 */
export const EngageLabStatus = {
  /** 0x00000032: invalid parameter; check the request format. */
  ESME_RINVPARAM: 0x32,
  /** 0x00000008: internal service error; try again later. */
  ESME_RSYSERR: CommandStatus.ESME_RSYSERR,
  /** 0x00000045: delivery failed, possibly a template problem. */
  ESME_RSUBMITFAIL: CommandStatus.ESME_RSUBMITFAIL,
  /** 0x00000055: the `short_message` content (the JSON) is malformed. */
  ESME_RINVNUMMSGS: CommandStatus.ESME_RINVNUMMSGS,
  /** 0x000000FF: unknown error; contact EngageLab technical support. */
  ESME_RUNKNOWNERR: CommandStatus.ESME_RUNKNOWNERR,
  /** 0x00000003: what `generic_nack` carries for a command EngageLab does not support. */
  ESME_RINVCMDID: CommandStatus.ESME_RINVCMDID,
} as const;

/**
 * EngageLab's statuses → retry decisions, over the SMPP defaults:
 *
 * | status | name | decision |
 * | --- | --- | --- |
 * | 0x08 | ESME_RSYSERR | retry later, with the retry policy's backoff |
 * | 0x32 | ESME_RINVPARAM | never as is: fix the request (`fix`) |
 * | 0x45 | ESME_RSUBMITFAIL | never as is: fix the template (`fix`) |
 * | 0x55 | ESME_RINVNUMMSGS | never as is: fix the JSON (`fix`) |
 * | 0xFF | ESME_RUNKNOWNERR | never: report to EngageLab support |
 * | 0x03 | ESME_RINVCMDID (`generic_nack`) | never: the command is not supported |
 */
export const engagelabStatusTable: StatusTable = extendStatusTable(defaultStatusTable, {
  [EngageLabStatus.ESME_RSYSERR]: {
    class: 'transient',
    description: "EngageLab internal service error: a transient failure on the provider's side",
  },
  [EngageLabStatus.ESME_RINVPARAM]: {
    class: 'fix',
    description:
      'ESME_RINVPARAM, invalid parameter: check the request format (service_type MSG/CODE/MRKT, destination_addr in international format with "+")',
  },
  [EngageLabStatus.ESME_RSUBMITFAIL]: {
    class: 'fix',
    description:
      'delivery failed at EngageLab, possibly a template problem: check that the template id exists, is approved, and that its language and params match',
  },
  [EngageLabStatus.ESME_RINVNUMMSGS]: {
    class: 'fix',
    description:
      'the short_message content is malformed: EngageLab wants the JSON {"id","language","code","params"} with string params (with data_coding 0x00, check that the route passes {} unchanged, or use UCS2)',
  },
  [EngageLabStatus.ESME_RUNKNOWNERR]: {
    class: 'permanent',
    description: 'unknown error at EngageLab: report it to EngageLab technical support with the message id and time',
  },
  [EngageLabStatus.ESME_RINVCMDID]: {
    class: 'permanent',
    description: 'EngageLab does not support this command (it answers anything else with generic_nack)',
  },
});
