import type { Alphabet } from '../encoding/alphabet.js';
import { segmentText } from '../encoding/segmenter.js';
import type { DeliverSm, Tlv } from '../pdu/pdu.js';
import type { TlvRegistry } from '../pdu/tlv-registry.js';

/** A mobile-originated message the simulator delivers to a bound receiver or transceiver. */
export interface MoMessage {
  /** The subscriber (`source_addr`). */
  readonly from: string;
  /** The service number (`destination_addr`). */
  readonly to: string;
  readonly text: string;
  /** Default: the cheapest alphabet that carries the text. */
  readonly alphabet?: Alphabet;
  /** How a long text travels. Default `udh8`. */
  readonly concatenation?: 'udh8' | 'udh16' | 'sar' | 'payload';
  /** Deliver to a session of this account. Default: any bound receiver or transceiver. */
  readonly systemId?: string;
  /** Deliver to this session. */
  readonly sessionId?: number;
  /** More TLVs on every part. */
  readonly tlvs?: readonly Tlv[];
}

/** Encodes and splits an MO into its deliver_sm parts, in order. */
export function buildMoParts(
  mo: MoMessage,
  reference: number,
  registry: TlvRegistry,
  nextSequence: () => number,
): DeliverSm[] {
  const segmented = segmentText(mo.text, {
    concatenation: mo.concatenation ?? 'udh8',
    reference,
    ...(mo.alphabet === undefined ? {} : { alphabet: mo.alphabet }),
  });
  const [sourceTon, sourceNpi] = addressType(mo.from);
  const [destTon, destNpi] = addressType(mo.to);
  return segmented.parts.map((part) => {
    const tlvs: Tlv[] = [];
    if (part.sar !== undefined) {
      tlvs.push(
        registry.encode('sar_msg_ref_num', part.sar.reference),
        registry.encode('sar_total_segments', part.sar.total),
        registry.encode('sar_segment_seqnum', part.sar.sequence),
      );
    }
    if (part.messagePayload !== undefined) tlvs.push(registry.encode('message_payload', part.messagePayload));
    if (mo.tlvs !== undefined) tlvs.push(...mo.tlvs);
    return {
      command: 'deliver_sm',
      command_status: 0,
      sequence_number: nextSequence(),
      service_type: '',
      source_addr_ton: sourceTon,
      source_addr_npi: sourceNpi,
      source_addr: mo.from,
      dest_addr_ton: destTon,
      dest_addr_npi: destNpi,
      destination_addr: mo.to,
      esm_class: part.esmClassFlags,
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: 0,
      replace_if_present_flag: 0,
      data_coding: segmented.dataCoding,
      sm_default_msg_id: 0,
      short_message: part.shortMessage,
      tlvs,
    } satisfies DeliverSm;
  });
}

/** TON/NPI of an address: digits (with an optional `+`) are international E.164, others alphanumeric. */
function addressType(address: string): [ton: number, npi: number] {
  const start = address.startsWith('+') ? 1 : 0;
  if (address.length === start) return [0, 0];
  for (let index = start; index < address.length; index++) {
    const code = address.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return [5, 0];
  }
  return [1, 1];
}
