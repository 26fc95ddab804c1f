import { ErrorCode, TidingsError } from '@tidings/core';
import type { SmppEncodingPolicy, SubmitPlan } from '@tidings/transport-smpp';
import { type EngageLabDataCoding, engagelabBody, MAX_BODY_OCTETS } from './engagelab-body.js';
import { type EngageLabMessage, type EngageLabServiceType, engagelabServiceTypes } from './engagelab-message.js';
import { engagelabRecipient } from './engagelab-recipient.js';

export interface EngageLabSubmitOptions {
  readonly dataCoding: EngageLabDataCoding;
  readonly normalizeRecipients: boolean;
  /** The `source_addr` of a message without `from`. */
  readonly sender: string;
}

// International number (TON 1) in E.164 (NPI 1): the page's `+6598765432`.
const TON_INTERNATIONAL = 1;
const NPI_E164 = 1;
/** `registered_delivery` 1: a delivery report for every message, success or failure. */
const RECEIPT_ALWAYS = 1;
const MAX_SOURCE_ADDR = 20;

/**
 * One `short_message` of up to 254 octets, never split into SMS parts (the server parses each
 * `submit_sm` as JSON on its own), in UCS2 (0x08) or ASCII labelled 0x00. `payload` is what lets
 * one PDU carry more than an SMS (140 octets); `engagelabBody` refuses bodies over 254 octets
 * first, so no `message_payload` is ever written.
 */
const ENCODING: Readonly<Record<EngageLabDataCoding, SmppEncodingPolicy>> = {
  ucs2: {
    pinned: 'ucs2',
    concatenation: 'payload',
    maxShortMessageBytes: MAX_BODY_OCTETS,
    maxPayloadBytes: MAX_BODY_OCTETS,
  },
  default: {
    pinned: 'ascii',
    dataCodings: { ascii: 0x00 },
    concatenation: 'payload',
    maxShortMessageBytes: MAX_BODY_OCTETS,
    maxPayloadBytes: MAX_BODY_OCTETS,
  },
};

const invalid = (field: string, rule: string): TidingsError =>
  new TidingsError(ErrorCode.InvalidMessage, `message.${field} ${rule}`, { details: { field } });

/**
 * What EngageLab gets for a message: one `submit_sm` with `service_type`, the `+` recipient and
 * the provider's JSON. Runs the provider's rules first and throws `TIDINGS_INVALID_MESSAGE`
 * naming the field; expects the common rules (`validateMessageBase`) to have passed.
 */
export function engagelabSubmitPlan(message: EngageLabMessage, options: EngageLabSubmitOptions): SubmitPlan {
  const serviceType = serviceTypeOf(message);
  const { template } = message;
  if (template === undefined) {
    throw invalid(
      'template',
      "is required: EngageLab sends template messages only ({ id, language?, params? }); the text of the message is the template's",
    );
  }
  if (template.language !== undefined && template.language.trim() === '') {
    throw invalid('template.language', 'must not be empty (leave it out for "default")');
  }
  if (serviceType === 'CODE' && message.code === undefined) {
    throw invalid('code', 'is required with serviceType "CODE" (the verification code the template shows)');
  }
  if (serviceType !== 'CODE' && message.code !== undefined) {
    throw invalid(
      'code',
      `is only sent with serviceType "CODE" (EngageLab ignores it for "${serviceType}"): set serviceType "CODE", or pass the value in template.params`,
    );
  }
  const from = message.from ?? options.sender;
  if (from.length > MAX_SOURCE_ADDR || !/^[\x20-\x7e]*$/.test(from)) {
    throw invalid('from', `must be printable ASCII of at most ${MAX_SOURCE_ADDR} characters (source_addr)`);
  }
  const text = engagelabBody(
    {
      serviceType,
      templateId: template.id,
      language: template.language,
      code: message.code,
      params: template.params,
    },
    options.dataCoding,
  );
  return {
    text,
    // "Can be left empty, currently not used in OTP."
    source: { addr: from, ton: 0, npi: 0 },
    destination: {
      addr: engagelabRecipient(message.to, options.normalizeRecipients),
      ton: TON_INTERNATIONAL,
      npi: NPI_E164,
    },
    fields: { service_type: serviceType, registered_delivery: RECEIPT_ALWAYS },
    encoding: ENCODING[options.dataCoding],
  };
}

function serviceTypeOf(message: EngageLabMessage): EngageLabServiceType {
  const serviceType: unknown = message.serviceType ?? 'MSG';
  if (engagelabServiceTypes.includes(serviceType as EngageLabServiceType)) {
    return serviceType as EngageLabServiceType;
  }
  throw invalid(
    'serviceType',
    `must be one of ${engagelabServiceTypes.join(', ')} (got ${JSON.stringify(serviceType)})`,
  );
}
