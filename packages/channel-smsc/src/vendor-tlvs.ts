import type { TlvDefinition } from '@tidings/transport-smpp';

/**
 * SMSC's receipt TLVs (`deliver_sm`), known to this channel only:
 * 0x2000 cost `" n.nnnn"`, 0x2001 flags, 0x2002 SMS parts, 0x2003 subscriber `mccmnc`,
 * 0x2004 additional status (2 read, 4 link clicked).
 */
export const smscVendorTlvs: readonly TlvDefinition[] = Object.freeze([
  { tag: 0x2000, name: 'smsc_cost', type: 'cstring' },
  { tag: 0x2001, name: 'smsc_flags', type: 'uint16' },
  { tag: 0x2002, name: 'smsc_parts', type: 'uint16' },
  { tag: 0x2003, name: 'smsc_mccmnc', type: 'cstring' },
  { tag: 0x2004, name: 'smsc_status', type: 'uint16' },
]);

/** Bits 0-3 of the 0x2001 flags. */
export type SmscMessageType =
  | 'sms'
  | 'flash'
  | 'binary'
  | 'wap-push'
  | 'hlr'
  | 'ping'
  | 'mms'
  | 'call'
  | 'email'
  | 'viber'
  | 'social'
  | 'unknown';

/** Bits 10..9 of the 0x2001 flags, for a template message (bit 8). */
export type SmscTemplateType = 'service' | 'transactional' | 'authorization' | 'advertising';

const messageTypes: ReadonlyMap<number, SmscMessageType> = new Map<number, SmscMessageType>([
  [0, 'sms'],
  [1, 'flash'],
  [2, 'binary'],
  [3, 'wap-push'],
  [4, 'hlr'],
  [5, 'ping'],
  [6, 'mms'],
  [7, 'call'],
  [8, 'email'],
  [10, 'viber'],
  [12, 'social'],
]);
const templateTypes: readonly SmscTemplateType[] = ['service', 'transactional', 'authorization', 'advertising'];

/** The 0x2001 flags, decoded. */
export interface SmscFlags {
  readonly messageType: SmscMessageType;
  /** Bit 5: paid from the second balance. */
  readonly secondBalance: boolean;
  /** Bit 8: a template message. */
  readonly template: boolean;
  /** Bits 10..9, present for a template message. */
  readonly templateType?: SmscTemplateType;
}

export function decodeSmscFlags(flags: number): SmscFlags {
  const template = (flags & 0x100) !== 0;
  return {
    messageType: messageTypes.get(flags & 0x0f) ?? 'unknown',
    secondBalance: (flags & 0x20) !== 0,
    template,
    ...(template ? { templateType: templateTypes[(flags >> 9) & 0x03] as SmscTemplateType } : {}),
  };
}

export function encodeSmscFlags(
  flags: Omit<SmscFlags, 'messageType'> & { readonly messageType: SmscMessageType },
): number {
  let value = 0;
  for (const [bits, type] of messageTypes) if (type === flags.messageType) value = bits;
  if (flags.secondBalance) value |= 0x20;
  if (flags.template) value |= 0x100 | (templateTypes.indexOf(flags.templateType ?? 'service') << 9);
  return value;
}

/** 0x2004: what happened after delivery. */
export type SmscAdditionalStatus = 'read' | 'link-clicked';

export function decodeAdditionalStatus(value: number): SmscAdditionalStatus | undefined {
  return value === 2 ? 'read' : value === 4 ? 'link-clicked' : undefined;
}

/** 0x2000 `" n.nnnn"` → a number; undefined when it is not one. */
export function parseCost(value: string): number | undefined {
  const text = value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}
