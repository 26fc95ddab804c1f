import type { BindReceiver, BindTransceiver, BindTransmitter, CommandName, QuerySm, Tlv } from '../pdu/pdu.js';
import type { TlvDefinition, TlvRegistry } from '../pdu/tlv-registry.js';
import type { BindMode } from '../session/session-options.js';
import type { MessageIdScheme } from './message-ids.js';
import type { StoredMessage } from './message-ledger.js';
import type { ReceiptOptions, SubmitRequest } from './receipt-builder.js';
import type { SimulatorSessionInfo } from './simulator-session.js';
import type { SmscSimulator } from './smsc-simulator.js';

export type BindRequest = BindTransmitter | BindReceiver | BindTransceiver;

/** What a profile hook gets besides the PDU. */
export interface ProfileContext {
  /** The session the PDU came on. */
  readonly session: SimulatorSessionInfo;
  /** The standard TLVs plus the profile's vendor TLVs: `ctx.tlvs.read(submit.tlvs, 'ptag')`. */
  readonly tlvs: TlvRegistry;
  /** The simulator, e.g. to look at other sessions or close them (`closeSession`). */
  readonly simulator: SmscSimulator;
}

/**
 * `close`: drop the connection without a response; a non-zero status refuses the bind. An accepted
 * bind may name the `system_id` of the response (some providers echo the client's).
 */
export type BindDecision = { readonly status?: number; readonly systemId?: string } | 'close' | undefined;

/**
 * `no-response`: swallow the submit. Otherwise a non-zero `status` refuses it; an accepted submit may
 * get its id and its receipt chosen here (`receipt: false` for none).
 */
export type SubmitDecision =
  | 'no-response'
  | {
      readonly status?: number;
      readonly messageId?: string;
      /** Merged over the simulator's receipt options for this message only. */
      readonly receipt?: ReceiptOptions | false;
      /** TLVs on the `submit_sm_resp`. */
      readonly responseTlvs?: readonly Tlv[];
    }
  | undefined;

/** Overrides of the `query_sm_resp`; a non-zero `status` refuses the query. */
export type QueryDecision =
  | {
      readonly status?: number;
      readonly messageState?: number;
      readonly errorCode?: number;
      readonly finalDate?: string;
    }
  | undefined;

/**
 * A provider's behaviour, so each channel package ships a simulator that acts like its provider.
 * Faults are applied first; then the profile decides. Every member is optional but `name`.
 */
export interface SimulatorProfile {
  readonly name: string;
  /** The provider's vendor TLVs (tags 0x1400–0x3FFF), for the hooks' `ctx.tlvs`. */
  readonly tlvs?: readonly TlvDefinition[];
  /**
   * The requests the provider answers (`bind_transceiver`, `submit_sm`…); any other request gets
   * `generic_nack` ESME_RINVCMDID. Responses need not be listed. Default: every request the simulator knows.
   */
  readonly commands?: readonly CommandName[];
  /** The bind modes the provider allows (an account may narrow them further). Default: all. */
  readonly bindModes?: readonly BindMode[];
  /** On a wrong system_id or password, close the socket without a bind response (EngageLab). */
  readonly silentCloseOnBadCredentials?: boolean;
  /** Close a connection that has not bound this long after connecting (smsorg: 10 s). */
  readonly bindTimeoutMs?: number;
  /** Close (without unbind) a session that leaves a server request unanswered this long (smsorg: 1 min). */
  readonly responseTimeoutMs?: number;
  /** Close a session with no traffic for this long (SMSC: 2 min). */
  readonly idleTimeoutMs?: number;
  /** The most submits a session may have unanswered; beyond, `overWindowStatus`. */
  readonly maxWindow?: number;
  /** Default ESME_RTHROTTLED. */
  readonly overWindowStatus?: number;
  /**
   * The account's rate: at most this many submits (`submit_sm`, `data_sm`) per `system_id`, over
   * all its sessions, in any one second (a sliding window on `now`); more get `overRateStatus`
   * before `onSubmit` sees them. A refused submit takes no place in the window. Default: no limit.
   */
  readonly maxPerSecond?: number;
  /** Default ESME_RTHROTTLED (0x58). */
  readonly overRateStatus?: number;
  /** The clock of `maxPerSecond`, in epoch ms: a test moves it instead of waiting. Default `Date.now`. */
  readonly now?: () => number;
  /** The provider's message ids; the simulator's `messageIds` option wins. */
  readonly messageIds?: MessageIdScheme;
  /** The provider's receipts; the simulator's `receipts` option is merged over them. */
  readonly receipts?: ReceiptOptions;
  /** After the credentials were checked. */
  onBind?(bind: BindRequest, ctx: ProfileContext): BindDecision | Promise<BindDecision>;
  /** For every `submit_sm` and `data_sm` the faults let through. */
  onSubmit?(submit: SubmitRequest, ctx: ProfileContext): SubmitDecision | Promise<SubmitDecision>;
  /** `message` is what the simulator stored for the queried id, if anything. */
  onQuery?(
    query: QuerySm,
    message: StoredMessage | undefined,
    ctx: ProfileContext,
  ): QueryDecision | Promise<QueryDecision>;
}

/** A plain SMSC: every command, every bind mode, decimal ids, standard receipts. */
export const defaultProfile: SimulatorProfile = Object.freeze({ name: 'default' });
