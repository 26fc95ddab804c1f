/**
 * SMSC reads connection flags from `system_type`, comma separated (`"ISO,SINGLE"`):
 * - `MCON1`..`MCON9`: that many simultaneous connections for the login (set on every connection);
 *   without it a new bind with the same login terminates the older connection.
 * - `ISO`: `coding = 1` (data_coding 4) is ISO-8859-1 instead of GSM.
 * - `SINGLE`: a status and a distinct id per SMS part; by default one status and the same id for
 *   every part of a long message.
 */
export interface SmscSystemTypeFlags {
  /** `MCONn`: simultaneous connections allowed for the login, 1 to 9. */
  readonly mcon?: number | undefined;
  readonly iso?: boolean | undefined;
  readonly single?: boolean | undefined;
}

/** The `system_type` for these flags, e.g. `MCON2,ISO,SINGLE`; empty without flags (the reference `system-type = ""`). */
export function buildSystemType(flags: SmscSystemTypeFlags): string {
  const parts: string[] = [];
  if (flags.mcon !== undefined) {
    if (!(Number.isInteger(flags.mcon) && flags.mcon >= 1 && flags.mcon <= 9)) {
      throw new RangeError(`MCON takes 1 to 9 connections (got ${flags.mcon})`);
    }
    parts.push(`MCON${flags.mcon}`);
  }
  if (flags.iso) parts.push('ISO');
  if (flags.single) parts.push('SINGLE');
  return parts.join(',');
}

/** The flags a `system_type` carries; unknown words are ignored, as the server does with what it does not know. */
export function parseSystemType(systemType: string | undefined): {
  readonly mcon: number | undefined;
  readonly iso: boolean;
  readonly single: boolean;
} {
  let mcon: number | undefined;
  let iso = false;
  let single = false;
  for (const raw of (systemType ?? '').split(',')) {
    const word = raw.trim().toUpperCase();
    const match = /^MCON([1-9])$/.exec(word);
    if (match) mcon = Number(match[1]);
    else if (word === 'ISO') iso = true;
    else if (word === 'SINGLE') single = true;
  }
  return { mcon, iso, single };
}
