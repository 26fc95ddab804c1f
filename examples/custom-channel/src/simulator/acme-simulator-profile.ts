import { CommandStatus, EsmClass, parseSmppTime, parseUdh } from '@tidings/transport-smpp';
import type {
  ProfileContext,
  SimulatorProfile,
  SubmitDecision,
  SubmitRequest,
} from '@tidings/transport-smpp/simulator';
import { recipientAddress, senderAddress } from '../acme-address.js';
import { maxValiditySeconds, minValiditySeconds } from '../acme-message.js';
import { AcmeStatus } from '../acme-statuses.js';
import { acmeTlvs, isCampaign } from '../acme-tlvs.js';

/** How the simulated Acme account is set up; every field is optional. */
export interface AcmeSimulatorProfileOptions {
  /** Registered senders; any other gets `0x0A`. Default: any sender in one of the page's forms. */
  readonly senders?: readonly string[] | undefined;
  /** Campaigns created in the portal; any other `acme_campaign` gets `0x0401`. Default: any well-formed one. */
  readonly campaigns?: readonly string[] | undefined;
  /** Numbers that replied STOP (`+` optional): submits to them get `0x0403`. */
  readonly optedOut?: readonly string[] | undefined;
  /** Parts the account can still pay for; later ones get `0x0402`. Default: no limit. */
  readonly credits?: number | undefined;
  /** The account rate: more submits than this within a second get `0x58`. Default 10; `Infinity` for none. */
  readonly maxPerSecond?: number | undefined;
  /** The first this many submits get `0x0404` (route busy). Default 0. */
  readonly routeBusySubmits?: number | undefined;
  /** Numbers whose receipts say `UNDELIV` with `err:001` (absent subscriber). */
  readonly undeliverable?: readonly string[] | undefined;
  /** The `acme_price` of each delivered part, in millicents. Default 4500 (4.5 euro cents). */
  readonly pricePerPart?: number | undefined;
  /** The clock of the rate limit (the simulator's one-second window). Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

const acceptedDataCodings: ReadonlySet<number> = new Set([0x00, 0x08, 0x10, 0x18]);
const serviceTypes: ReadonlySet<string> = new Set(['', 'OTP']);
const maxParts = 6;

/**
 * Acme SMS as the example's README describes it, for `SmscSimulator.start({ profile })`. A
 * `submit_sm` gets, in order: `0x58` over the rate; `0x104` for a `data_coding` other than GSM or
 * UCS2 (flash included); `0x0A` for a sender whose TON/NPI do not match its form, or not
 * registered; `0x0B` for a recipient that is not an international number; `0x15` for a
 * `service_type` other than empty or `OTP`; `0x62` for a `validity_period` that is not relative
 * or outside 60 s-72 h; `0x01` for a message of more than 6 UDH parts; `0x0401` for an
 * unknown campaign; `0x0403` for an opted-out number; `0x0402` without credit; `0x0404` while
 * the route is busy. Receipts write the id in hex in the text, without `receipted_message_id`,
 * with dates in UTC+1, and carry `acme_price` (and `acme_campaign` when the message had one).
 * Only transceiver binds; `data_sm` and the other requests get `generic_nack`.
 */
export function acmeSimulatorProfile(options: AcmeSimulatorProfileOptions = {}): SimulatorProfile {
  const senders = options.senders === undefined ? undefined : new Set(options.senders);
  const campaigns = options.campaigns === undefined ? undefined : new Set(options.campaigns);
  const optedOut = new Set((options.optedOut ?? []).map((number) => number.replace(/^\+/, '')));
  const undeliverable = new Set((options.undeliverable ?? []).map((number) => number.replace(/^\+/, '')));
  const pricePerPart = options.pricePerPart ?? 4500;
  let credits = options.credits ?? Number.POSITIVE_INFINITY;
  let routeBusy = options.routeBusySubmits ?? 0;

  const refuse = (status: number): SubmitDecision => ({ status });

  function onSubmit(submit: SubmitRequest, ctx: ProfileContext): SubmitDecision {
    if (submit.command !== 'submit_sm') return refuse(CommandStatus.ESME_RINVCMDID);
    if (!acceptedDataCodings.has(submit.data_coding)) return refuse(AcmeStatus.invalidDataCoding);

    const sender = senderAddress(submit.source_addr);
    if (
      sender === undefined ||
      sender.addr !== submit.source_addr ||
      sender.ton !== submit.source_addr_ton ||
      sender.npi !== submit.source_addr_npi ||
      (senders !== undefined && !senders.has(submit.source_addr))
    ) {
      return refuse(AcmeStatus.invalidSender);
    }
    const recipient = recipientAddress(submit.destination_addr);
    if (recipient === undefined || recipient.addr !== submit.destination_addr || submit.dest_addr_ton !== 1) {
      return refuse(AcmeStatus.invalidRecipient);
    }
    if (!serviceTypes.has(submit.service_type)) return refuse(CommandStatus.ESME_RINVSERTYP);
    if (submit.validity_period !== '') {
      // Relative times only: an absolute one (`…+`/`…-`) is refused like one out of range.
      const time = parseSmppTime(submit.validity_period);
      if (time?.kind !== 'relative' || time.seconds < minValiditySeconds || time.seconds > maxValiditySeconds) {
        return refuse(AcmeStatus.invalidValidity);
      }
    }
    if ((submit.esm_class & EsmClass.udhi) !== 0) {
      const total = parseUdh(submit.short_message)?.concat?.total ?? 1;
      if (total > maxParts) return refuse(CommandStatus.ESME_RINVMSGLEN);
    }
    const rawCampaign = ctx.tlvs.read(submit.tlvs, 'acme_campaign');
    if (
      rawCampaign !== undefined &&
      (!isCampaign(rawCampaign) || (campaigns !== undefined && !campaigns.has(rawCampaign)))
    ) {
      return refuse(AcmeStatus.unknownCampaign);
    }
    if (optedOut.has(submit.destination_addr)) return refuse(AcmeStatus.optedOut);
    if (credits < 1) return refuse(AcmeStatus.noCredit);
    if (routeBusy > 0) {
      routeBusy--;
      return refuse(AcmeStatus.routeBusy);
    }

    credits--;
    const failed = undeliverable.has(submit.destination_addr);
    const tlvs = [ctx.tlvs.encode('acme_price', failed ? 0 : pricePerPart)];
    if (typeof rawCampaign === 'string') tlvs.push(ctx.tlvs.encode('acme_campaign', rawCampaign));
    return { receipt: failed ? { stat: 'UNDELIV', err: 1, tlvs } : { tlvs } };
  }

  return {
    name: 'acme-sms',
    tlvs: acmeTlvs,
    // Other bind modes are refused with ESME_RBINDFAIL (`bindModes`), not generic_nack.
    commands: [
      'bind_transmitter',
      'bind_receiver',
      'bind_transceiver',
      'submit_sm',
      'query_sm',
      'enquire_link',
      'unbind',
    ],
    bindModes: ['transceiver'],
    maxWindow: 50,
    // The account rate, over a sliding one-second window the simulator keeps (before onSubmit).
    maxPerSecond: options.maxPerSecond ?? 10,
    overRateStatus: AcmeStatus.throttled,
    ...(options.now === undefined ? {} : { now: options.now }),
    messageIds: 'decimal',
    receipts: { idFormat: 'hex', withTlvs: false, textVariant: { utcOffsetMinutes: 60 } },
    onSubmit,
  };
}
