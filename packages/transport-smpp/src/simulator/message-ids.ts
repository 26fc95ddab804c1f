import { randomUUID } from 'node:crypto';
import { canonicalMessageId } from '../receipt/message-id.js';

/** How the simulator writes the `message_id` of an accepted submit. */
export type MessageIdScheme = 'decimal' | 'hex' | 'uuid' | ((sequence: number) => string);

/**
 * How a receipt writes the id it reports: as the submit response did (`same`), or converted, as some
 * SMSCs do (decimal in `submit_sm_resp`, hex in the receipt, or the other way round).
 */
export type ReceiptIdFormat = 'same' | 'hex' | 'decimal';

// Built-in ids start high so their decimal and hex spellings differ (1 is "1" in both).
const ID_BASE = 1_000_000_000;

/** The id generator for a scheme; `sequence` counts accepted messages from 1. */
export function messageIdGenerator(scheme: MessageIdScheme): (sequence: number) => string {
  if (typeof scheme === 'function') return scheme;
  switch (scheme) {
    case 'decimal':
      return (sequence) => String(ID_BASE + sequence);
    case 'hex':
      return (sequence) => (ID_BASE + sequence).toString(16);
    case 'uuid':
      return () => randomUUID();
  }
}

/**
 * The id as a receipt spells it. `hex` reads `id` as decimal, `decimal` reads it as hex; an id that
 * does not parse that way (a UUID) is returned unchanged.
 */
export function convertMessageId(id: string, to: ReceiptIdFormat): string {
  if (to === 'same' || id === '') return id;
  if (to === 'decimal') return canonicalMessageId(id, 'hex');
  return isDecimal(id) ? BigInt(id).toString(16) : id;
}

function isDecimal(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}
