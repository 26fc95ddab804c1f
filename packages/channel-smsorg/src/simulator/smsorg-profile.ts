import { CommandStatus } from '@tidings/transport-smpp';
import type { SimulatorProfile, SubmitDecision } from '@tidings/transport-smpp/simulator';
import { type SenderAddressing, senderKind, type TonNpi } from '../addresses.js';
import {
  ALPHANUMERIC_SENDER,
  BIND_DEADLINE_MS,
  DATA_CODING_ASCII,
  DATA_CODING_UCS2,
  DESTINATION,
  ESM_CLASS_UDHI,
  NUMERIC_SENDER,
  RESPONSE_DEADLINE_MS,
  SMSORG_BIND_MODES,
  SMSORG_COMMANDS,
} from '../smsorg-rules.js';

/** Options of {@link smsorgSimulatorProfile}; every one has the provider's value by default. */
export interface SmsorgSimulatorProfileOptions {
  /** Close a connection that has not sent its bind this long after connecting. Default 10 000 ms. */
  readonly bindDeadlineMs?: number | undefined;
  /** Close, without `unbind`, a session that leaves a server PDU unanswered this long. Default 60 000 ms. */
  readonly responseDeadlineMs?: number | undefined;
  /**
   * From the submit to the message's final state: the `deliver_sm` receipt is sent then, and
   * `query_sm` answers ENROUTE until then. Default 1 000 ms.
   */
  readonly deliveryDelayMs?: number | undefined;
  /**
   * The speed agreed with smsorg ("selectable sending speed"), in SMS parts (submit_sm) per second
   * per account: a valid submit beyond it in a one-second window gets ESME_RTHROTTLED. Default: no cap.
   */
  readonly maxPerSecond?: number | undefined;
  /** The clock of the `maxPerSecond` window (for tests). Default `Date.now`. */
  readonly now?: (() => number) | undefined;
  /** TON / NPI the server takes per sender kind. Default numeric 1/1, alphanumeric 5/0. */
  readonly senderAddressing?:
    | { readonly numeric?: TonNpi | undefined; readonly alphanumeric?: TonNpi | undefined }
    | undefined;
}

/**
 * The smsorg.ru SMPP gateway as the simulator's profile:
 * - only `bind_transmitter` / `bind_transceiver`, `submit_sm`, `query_sm`, `enquire_link`,
 *   `generic_nack` and `unbind`; anything else gets `generic_nack` / `ESME_RINVCMDID`;
 * - the bind deadline (10 s after the TCP connect) and the response deadline (every server PDU
 *   answered within 1 minute, else a close without `unbind`);
 * - `submit_sm` checked against the page: `data_coding` 0x01 or 0x08, `esm_class` 0x00 or 0x40,
 *   `registered_delivery` 0 or 1, destination TON/NPI 1/1, sender TON/NPI by sender kind;
 * - nine-digit message ids, receipts as the page writes them (`… err:E Text: …`, text only);
 * - with `maxPerSecond`, the agreed speed: submits beyond it get ESME_RTHROTTLED;
 * - `query_sm` answers ENROUTE until the delivery delay passes, then the final state, for the
 *   original sender only (SMPP: `query_sm` names the message by id and `source_addr`).
 *
 * ```ts
 * const sim = await SmscSimulator.start({
 *   profile: smsorgSimulatorProfile({ bindDeadlineMs: 200 }),
 *   accounts: [{ systemId: '1234.5', password: 'secret' }],
 * });
 * ```
 */
export function smsorgSimulatorProfile(options: SmsorgSimulatorProfileOptions = {}): SimulatorProfile {
  const addressing: SenderAddressing = {
    numeric: options.senderAddressing?.numeric ?? NUMERIC_SENDER,
    alphanumeric: options.senderAddressing?.alphanumeric ?? ALPHANUMERIC_SENDER,
  };
  const maxPerSecond = options.maxPerSecond;
  const now = options.now ?? Date.now;
  /** Accepted submit times of the last second, per system_id. */
  const sent = new Map<string, number[]>();
  const throttled = (account: string): boolean => {
    if (maxPerSecond === undefined) return false;
    const at = now();
    const times = (sent.get(account) ?? []).filter((time) => at - time < 1_000);
    const over = times.length >= maxPerSecond;
    if (!over) times.push(at);
    sent.set(account, times);
    return over;
  };
  return {
    name: 'smsorg',
    commands: SMSORG_COMMANDS,
    bindModes: SMSORG_BIND_MODES,
    bindTimeoutMs: options.bindDeadlineMs ?? BIND_DEADLINE_MS,
    responseTimeoutMs: options.responseDeadlineMs ?? RESPONSE_DEADLINE_MS,
    // id:IIIIIIIII
    messageIds: (sequence) => String(100_000_000 + sequence),
    receipts: {
      delayMs: options.deliveryDelayMs ?? 1_000,
      // `err:E`: one digit.
      err: '0',
      // The page documents the text only, with `Text:` capitalised.
      withTlvs: false,
      textVariant: { textLabel: 'Text' },
    },
    onSubmit(submit, ctx): SubmitDecision {
      if (submit.command !== 'submit_sm') return { status: CommandStatus.ESME_RINVCMDID };
      if (submit.data_coding !== DATA_CODING_ASCII && submit.data_coding !== DATA_CODING_UCS2) {
        return { status: CommandStatus.ESME_RINVDCS };
      }
      if (submit.esm_class !== 0x00 && submit.esm_class !== ESM_CLASS_UDHI) {
        return { status: CommandStatus.ESME_RINVESMCLASS };
      }
      if (submit.registered_delivery !== 0x00 && submit.registered_delivery !== 0x01) {
        return { status: CommandStatus.ESME_RINVREGDLVFLG };
      }
      if (submit.dest_addr_ton !== DESTINATION.ton) return { status: CommandStatus.ESME_RINVDSTTON };
      if (submit.dest_addr_npi !== DESTINATION.npi) return { status: CommandStatus.ESME_RINVDSTNPI };
      const kind = senderKind(submit.source_addr);
      if (kind === undefined) return { status: CommandStatus.ESME_RINVSRCADR };
      const expected = addressing[kind];
      if (submit.source_addr_ton !== expected.ton) return { status: CommandStatus.ESME_RINVSRCTON };
      if (submit.source_addr_npi !== expected.npi) return { status: CommandStatus.ESME_RINVSRCNPI };
      if (throttled(ctx.session.systemId ?? '')) return { status: CommandStatus.ESME_RTHROTTLED };
      return undefined;
    },
    onQuery(query, message) {
      if (message !== undefined && message.sourceAddr !== query.source_addr) {
        return { status: CommandStatus.ESME_RQUERYFAIL };
      }
      return undefined;
    },
  };
}
