import { decodeText } from '@tidings/transport-smpp';
import type { SimulatorProfile, SubmitDecision, SubmitRequest } from '@tidings/transport-smpp/simulator';
import { EngageLabStatus } from '../engagelab-status-table.js';

/** How the simulated EngageLab behaves beyond the provider page's rules. */
export interface EngageLabSimulatorProfileOptions {
  /**
   * Template ids the account has; a `submit_sm` naming another gets `ESME_RSUBMITFAIL` (0x45),
   * "delivery failed, possibly due to template issues". Default: every id is known.
   */
  readonly templates?: readonly string[] | undefined;
  /**
   * What the route makes of `data_coding` 0x00: `ascii` passes `{}` unchanged (the default);
   * `gsm7` reads the bytes as GSM 03.38, where 0x7B is `ä`, so the JSON breaks and gets
   * `ESME_RINVNUMMSGS` (0x55) — why the page recommends UCS2.
   */
  readonly defaultCoding?: 'ascii' | 'gsm7' | undefined;
}

const SERVICE_TYPES: ReadonlySet<string> = new Set(['MSG', 'CODE', 'MRKT']);
const INTERNATIONAL = /^\+[1-9]\d{5,14}$/;
const UCS2 = 0x08;
const DEFAULT_CODING = 0x00;

/**
 * EngageLab's OTP SMPP front as its page describes it, for `SmscSimulator.start({ profile })`:
 *
 * - only `bind_transceiver`, `enquire_link`, `unbind`, `submit_sm` and `deliver_sm_resp`; anything
 *   else (`bind_transmitter`, `query_sm`, `data_sm`…) gets `generic_nack` (ESME_RINVCMDID);
 * - `bind_transceiver_resp` echoes the client's `system_id`; a wrong `system_id` or password:
 *   the TCP connection is closed, no bind response;
 * - `submit_sm` checked like the server: `service_type` MSG/CODE/MRKT (empty reads MSG),
 *   `destination_addr` with `+` (else 0x32 ESME_RINVPARAM), `short_message` the JSON
 *   `{"id","language","code","params"}` in UCS2 or 0x00 (else 0x55 ESME_RINVNUMMSGS), `code` for
 *   `CODE` (else 0x32), a known template (else 0x45 ESME_RSUBMITFAIL);
 * - delivery reports as `deliver_sm` with `service_type` `MSG`, empty `source_addr`, the
 *   submit's `destination_addr`, `data_coding` 0, `esm_class` 0 (not the usual 0x04), the
 *   receipt text, `receipted_message_id` and `message_state` (0x0427).
 *
 * 0x08 (ESME_RSYSERR) and 0xFF (ESME_RUNKNOWNERR) come from the simulator's faults
 * (`rejectEveryNth`), as they do not depend on the request.
 */
export function engagelabSimulatorProfile(options: EngageLabSimulatorProfileOptions = {}): SimulatorProfile {
  const templates = options.templates === undefined ? undefined : new Set(options.templates);
  const defaultAlphabet = options.defaultCoding ?? 'ascii';
  const refuse = (status: number): SubmitDecision => ({ status });
  return {
    name: 'engagelab',
    commands: ['bind_transceiver', 'enquire_link', 'unbind', 'submit_sm', 'deliver_sm_resp'],
    bindModes: ['transceiver'],
    silentCloseOnBadCredentials: true,
    receipts: { esmClass: 0, dataCoding: 0, withTlvs: true, fields: receiptFields() },
    // "Fill the system_id field with a value consistent with the received system_id field."
    onBind: (bind) => ({ systemId: bind.system_id }),
    onSubmit(submit: SubmitRequest): SubmitDecision {
      if (submit.command !== 'submit_sm') return refuse(EngageLabStatus.ESME_RINVCMDID);
      const serviceType = submit.service_type === '' ? 'MSG' : submit.service_type;
      if (!SERVICE_TYPES.has(serviceType)) return refuse(EngageLabStatus.ESME_RINVPARAM);
      if (!INTERNATIONAL.test(submit.destination_addr)) return refuse(EngageLabStatus.ESME_RINVPARAM);
      if (submit.data_coding !== UCS2 && submit.data_coding !== DEFAULT_CODING) {
        return refuse(EngageLabStatus.ESME_RINVPARAM);
      }
      const body = parseBody(decodeText(submit.short_message, submit.data_coding, { defaultAlphabet }));
      if (body === undefined) return refuse(EngageLabStatus.ESME_RINVNUMMSGS);
      if (serviceType === 'CODE' && body.code === undefined) return refuse(EngageLabStatus.ESME_RINVPARAM);
      if (templates !== undefined && !templates.has(body.id)) return refuse(EngageLabStatus.ESME_RSUBMITFAIL);
      return {
        receipt: {
          fields: receiptFields(submit),
        },
      };
    },
  };
}

interface Body {
  readonly id: string;
  readonly code: string | undefined;
}

/** The JSON of `short_message`, or undefined when it is not the page's shape. */
function parseBody(text: string): Body | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { id, language, code, params } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return undefined;
  if (language !== undefined && typeof language !== 'string') return undefined;
  if (code !== undefined && typeof code !== 'string') return undefined;
  if (params !== undefined) {
    // "val format is string"
    if (typeof params !== 'object' || params === null || Array.isArray(params)) return undefined;
    if (Object.values(params).some((v) => typeof v !== 'string')) return undefined;
  }
  return { id, code };
}

/** The page's delivery report: service_type MSG, empty source_addr, the submit's destination_addr. */
function receiptFields(submit?: SubmitRequest) {
  return {
    service_type: 'MSG',
    source_addr_ton: 0,
    source_addr_npi: 0,
    source_addr: '',
    ...(submit === undefined
      ? {}
      : {
          dest_addr_ton: submit.dest_addr_ton,
          dest_addr_npi: submit.dest_addr_npi,
          destination_addr: submit.destination_addr,
        }),
  };
}
