import type { MessageBase, MessageEventType, MessageRecord } from '@tidings/core';

/**
 * A record as a Redis hash: short field names (a bulk sender keeps many), numbers as strings.
 * `o` (the owning process) and `msg` (the message, for a takeover) are written by this package only.
 */
const fieldOf = {
  channels: 'ch',
  channel: 'c',
  status: 's',
  attempt: 'a',
  terminal: 't',
  providerMessageId: 'p',
  idempotencyKey: 'k',
  clientRef: 'r',
  createdAt: 'ca',
  updatedAt: 'ua',
} as const satisfies Record<Exclude<keyof MessageRecord, 'id' | 'message'>, string>;

type Patch = Partial<Omit<MessageRecord, 'id' | 'createdAt'>>;

function encode(field: keyof typeof fieldOf, value: unknown): string {
  if (field === 'channels') return JSON.stringify(value);
  if (field === 'terminal') return value ? '1' : '0';
  return String(value);
}

/** Field/value pairs of a whole record (without its id, kept in the key). */
export function recordFields(record: MessageRecord, owner: string | undefined): string[] {
  const pairs = ['id', record.id];
  for (const [name, field] of Object.entries(fieldOf) as [keyof typeof fieldOf, string][]) {
    const value = record[name];
    if (value !== undefined) pairs.push(field, encode(name, value));
  }
  if (owner !== undefined) pairs.push('o', owner);
  if (record.message !== undefined) pairs.push('msg', JSON.stringify(record.message));
  return pairs;
}

/** A patch as fields to delete (set to undefined) and field/value pairs to set. */
export function patchFields(patch: Patch): { readonly deletes: string[]; readonly sets: string[] } {
  const deletes: string[] = [];
  const sets: string[] = [];
  for (const [name, field] of Object.entries(fieldOf) as [keyof typeof fieldOf, string][]) {
    if (!(name in patch) || name === 'createdAt') continue;
    const value = (patch as Record<string, unknown>)[name];
    if (value === undefined) deletes.push(field);
    else sets.push(field, encode(name, value));
  }
  return { deletes, sets };
}

/** A record back from `HGETALL`; undefined for a missing (empty) hash. */
export function recordFrom(hash: Record<string, string>): MessageRecord | undefined {
  if (hash.id === undefined) return undefined;
  const record: { -readonly [K in keyof MessageRecord]: MessageRecord[K] } = {
    id: hash.id,
    channels: JSON.parse(hash.ch ?? '[]') as string[],
    channel: hash.c ?? '',
    status: (hash.s ?? 'queued') as MessageEventType,
    attempt: Number(hash.a ?? 0),
    terminal: hash.t === '1',
    createdAt: Number(hash.ca ?? 0),
    updatedAt: Number(hash.ua ?? 0),
  };
  if (hash.p !== undefined) record.providerMessageId = hash.p;
  if (hash.k !== undefined) record.idempotencyKey = hash.k;
  if (hash.r !== undefined) record.clientRef = hash.r;
  return record;
}

/** The message kept for a takeover, if any. */
export function messageFrom(hash: Record<string, string>): MessageBase | undefined {
  return hash.msg === undefined ? undefined : (JSON.parse(hash.msg) as MessageBase);
}
