import type { CommandName, SmppEncodingPolicy } from '@tidings/transport-smpp';

/**
 * The facts of smsorg.ru's SMPP page in one place, shared by the channel and its simulator
 * profile. Search a term of the page (`XXXX.X`, `8056`, `Text:`) to find where it is applied.
 */

/** `lcab.smsorg.ru` : `8056`. */
export const SMSORG_HOST = 'lcab.smsorg.ru';
export const SMSORG_PORT = 8056;

/** `system_id`: the registered user name, of the form `XXXX.X`. */
export const SYSTEM_ID_PATTERN = /^[A-Za-z0-9]{4}\.[A-Za-z0-9]$/;

/** Bind deadline: the server closes a connection that has not sent its bind 10 s after the TCP connect. */
export const BIND_DEADLINE_MS = 10_000;

/** Response deadline: every server PDU answered within 1 minute, else the server closes without `unbind`. */
export const RESPONSE_DEADLINE_MS = 60_000;

/** The requests the server takes; any other gets `generic_nack` / `ESME_RINVCMDID`. */
export const SMSORG_COMMANDS: readonly CommandName[] = [
  'bind_transmitter',
  'bind_transceiver',
  'submit_sm',
  'query_sm',
  'enquire_link',
  'generic_nack',
  'unbind',
];

/** `bind_transmitter` or `bind_transceiver`: there is no `bind_receiver`. */
export const SMSORG_BIND_MODES = ['transmitter', 'transceiver'] as const;

/** `source_addr_ton` / `source_addr_npi` of a numeric sender (international number). */
export const NUMERIC_SENDER = Object.freeze({ ton: 0x01, npi: 0x01 });
/** `source_addr_ton` / `source_addr_npi` of an alphanumeric sender name. */
export const ALPHANUMERIC_SENDER = Object.freeze({ ton: 0x05, npi: 0x00 });
/** `dest_addr_ton` / `dest_addr_npi`: always an international number. */
export const DESTINATION = Object.freeze({ ton: 0x01, npi: 0x01 });

/** `data_coding`: `0x01` ASCII (IA5) or `0x08` UCS2; nothing else. */
export const DATA_CODING_ASCII = 0x01;
export const DATA_CODING_UCS2 = 0x08;

/** `esm_class`: `0x00`, or `0x40` when the message carries a UDH (concatenation). */
export const ESM_CLASS_UDHI = 0x40;

/** How texts travel: ASCII (0x01) when they can, else UCS2 (0x08); long ones in UDH parts (8-bit reference). */
export const SMSORG_ENCODING: SmppEncodingPolicy = Object.freeze({
  allowed: Object.freeze(['ascii', 'ucs2'] as const),
  concatenation: 'udh8',
});
