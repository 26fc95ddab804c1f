/**
 * The de-facto delivery receipt text of SMPP 3.4 Appendix B:
 * `id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:…`
 */

/** The fields of a receipt text, as written (only `stat` is normalised to upper case). */
export interface ReceiptTextFields {
  readonly id?: string;
  readonly sub?: string;
  readonly dlvrd?: string;
  /** `YYMMDDhhmm` or `YYMMDDhhmmss`, unparsed (see {@link parseReceiptDate}). */
  readonly submitDate?: string;
  readonly doneDate?: string;
  /** Upper-cased (`DELIVRD`, `UNDELIV`, …). */
  readonly stat?: string;
  readonly err?: string;
  /** Everything after `text:` up to the end of the line, colons included. */
  readonly text?: string;
  /** Fields this parser does not know, by lower-cased label. */
  readonly extra: Readonly<Record<string, string>>;
}

type MutableFields = { -readonly [K in keyof ReceiptTextFields]: ReceiptTextFields[K] };
type KnownField = Exclude<keyof ReceiptTextFields, 'extra' | 'text'>;

/**
 * The field a label (any case) names, `text` for `text:`, or undefined for a label this parser
 * does not know. Compared in place, without a lower-cased copy: this runs for every receipt.
 * `submit_date` and `submitdate` (and `done_…`) are spellings seen in the wild; `submit date`
 * with a space is handled apart.
 */
function labelAt(text: string, start: number, end: number): KnownField | 'text' | undefined {
  switch (end - start) {
    case 2:
      return labelIs(text, start, 'id') ? 'id' : undefined;
    case 3:
      if (labelIs(text, start, 'sub')) return 'sub';
      return labelIs(text, start, 'err') ? 'err' : undefined;
    case 4:
      if (labelIs(text, start, 'stat')) return 'stat';
      return labelIs(text, start, 'text') ? 'text' : undefined;
    case 5:
      return labelIs(text, start, 'dlvrd') ? 'dlvrd' : undefined;
    case 8:
      return labelIs(text, start, 'donedate') ? 'doneDate' : undefined;
    case 9:
      return labelIs(text, start, 'done_date') ? 'doneDate' : undefined;
    case 10:
      return labelIs(text, start, 'submitdate') ? 'submitDate' : undefined;
    case 11:
      return labelIs(text, start, 'submit_date') ? 'submitDate' : undefined;
    default:
      return undefined;
  }
}

/** Whether `text` has `label` (lower case) at `pos`, ASCII letters compared in any case. */
function labelIs(text: string, pos: number, label: string): boolean {
  for (let i = 0; i < label.length; i++) {
    const code = text.charCodeAt(pos + i);
    // What toLowerCase would give for a label that can match: only A–Z change.
    if ((code >= 0x41 && code <= 0x5a ? code | 0x20 : code) !== label.charCodeAt(i)) return false;
  }
  return true;
}

const COLON = 0x3a;

/** Space, tab, CR, LF and NUL (some SMSCs leave a C-string terminator in the text). */
function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a || code === 0x00;
}

function isLineEnd(code: number): boolean {
  return code === 0x0d || code === 0x0a || code === 0x00;
}

/**
 * Parses a receipt text tolerantly: labels in any case and order, missing and unknown fields,
 * values after a space (`id: 123`), `text:` last and taking the rest of the line. Returns
 * `undefined` when the text has neither `id:` nor `stat:` (it is not a receipt).
 */
export function parseReceiptText(text: string): ReceiptTextFields | undefined {
  const fields: MutableFields = { extra: noExtra };
  /** A label is open: its value is being read. */
  let open = false;
  /** The open label's field, or undefined for an unknown label… */
  let field: KnownField | undefined;
  /** …whose lower-cased name is this. */
  let label = '';
  let value = '';
  const length = text.length;
  let pos = 0;

  while (pos < length) {
    while (pos < length && isSpace(text.charCodeAt(pos))) pos++;
    if (pos >= length) break;
    const start = pos;
    let colon = -1;
    while (pos < length) {
      const code = text.charCodeAt(pos);
      if (isSpace(code)) break;
      if (code === COLON && colon < 0) colon = pos;
      pos++;
    }

    // `submit date:` / `done date:` are the only labels with a space in them.
    if (colon < 0 && isDateLabelStart(text, start, pos)) {
      const next = skipSpaces(text, pos);
      if (startsWithIgnoreCase(text, next, 'date:')) {
        if (open) store(fields, field, label, value);
        open = true;
        field = pos - start === 6 ? 'submitDate' : 'doneDate';
        const valueStart = next + 5;
        pos = valueStart;
        while (pos < length && !isSpace(text.charCodeAt(pos))) pos++;
        value = text.slice(valueStart, pos);
        continue;
      }
    }

    if (colon < 0) {
      // A word without a label continues the previous value (`id: 123`, a spaced extra value).
      if (open) value = value === '' ? text.slice(start, pos) : `${value} ${text.slice(start, pos)}`;
      continue;
    }

    if (open) store(fields, field, label, value);
    const known = labelAt(text, start, colon);
    if (known === 'text') {
      let end = colon + 1;
      while (end < length && !isLineEnd(text.charCodeAt(end))) end++;
      fields.text = text.slice(colon + 1, end);
      open = false;
      break;
    }
    open = true;
    field = known;
    label = known === undefined ? text.slice(start, colon).toLowerCase() : '';
    value = text.slice(colon + 1, pos);
  }
  if (open) store(fields, field, label, value);

  if (fields.id === undefined && fields.stat === undefined) return undefined;
  return fields as ReceiptTextFields;
}

/** Most receipts have no unknown labels: they share one empty, frozen `extra`. */
const noExtra: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

function store(fields: MutableFields, field: KnownField | undefined, label: string, value: string): void {
  if (field === undefined) {
    if (label === '') return;
    // No prototype: a label such as `__proto__:` must stay data.
    if (fields.extra === noExtra) fields.extra = Object.create(null);
    (fields.extra as Record<string, string>)[label] = value;
    return;
  }
  // An empty value (`err: text:`) says nothing; keep the field absent.
  if (value === '') return;
  fields[field] = field === 'stat' ? value.toUpperCase() : value;
}

function isDateLabelStart(text: string, start: number, end: number): boolean {
  const length = end - start;
  return (
    (length === 6 && startsWithIgnoreCase(text, start, 'submit')) ||
    (length === 4 && startsWithIgnoreCase(text, start, 'done'))
  );
}

function skipSpaces(text: string, pos: number): number {
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  return pos;
}

/** `prefix` must be lower case. */
function startsWithIgnoreCase(text: string, pos: number, prefix: string): boolean {
  if (pos + prefix.length > text.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    // ASCII letters only: OR-ing 0x20 lower-cases them and leaves ':' and digits alone.
    if ((text.charCodeAt(pos + i) | 0x20) !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * `YYMMDDhhmm` or `YYMMDDhhmmss` → epoch ms. The text carries no zone: `utcOffsetMinutes` is the
 * SMSC's offset from UTC (e.g. 120 for UTC+2). Years 00–99 are 2000–2099. Returns `undefined` for
 * anything else, including impossible dates (month 13, 31 February).
 */
export function parseReceiptDate(value: string, utcOffsetMinutes = 0): number | undefined {
  const text = value.trim();
  if (text.length !== 10 && text.length !== 12) return undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return undefined;
  }
  const year = 2000 + twoDigits(text, 0);
  const month = twoDigits(text, 2);
  const day = twoDigits(text, 4);
  const hour = twoDigits(text, 6);
  const minute = twoDigits(text, 8);
  const second = text.length === 12 ? twoDigits(text, 10) : 0;
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  // Date.UTC would roll 31 February over into March: the day must exist in its month.
  if (day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) - utcOffsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function twoDigits(text: string, pos: number): number {
  return (text.charCodeAt(pos) - 0x30) * 10 + (text.charCodeAt(pos + 1) - 0x30);
}

export interface ReceiptTextInput {
  readonly id: string;
  /** Default 1. */
  readonly sub?: number;
  /** Default 1 when `stat` is `DELIVRD`, else 0. */
  readonly dlvrd?: number;
  readonly submitDate: Date | number;
  readonly doneDate: Date | number;
  readonly stat: string;
  /** A number is written as three digits (`err:000`); a string as is. Default `000`. */
  readonly err?: string | number;
  /** Default empty. Written as given: SMSCs usually put the first 20 characters of the message. */
  readonly text?: string;
}

export interface ReceiptTextFormatOptions {
  /** Write dates as `YYMMDDhhmmss` instead of `YYMMDDhhmm`. */
  readonly seconds?: boolean;
  /** `Text` as some SMSCs write it; default `text`. */
  readonly textLabel?: 'text' | 'Text';
  /** Labels to leave out, as written (`sub`, `submit date`) or as field names (`submitDate`). */
  readonly omit?: readonly string[];
  /** The offset from UTC the dates are written in; default 0 (UTC). */
  readonly utcOffsetMinutes?: number;
}

/**
 * Writes a receipt text in the Appendix B layout, with the variants seen in the wild as options
 * (the simulator uses it to emit each of them).
 */
export function formatReceiptText(fields: ReceiptTextInput, options: ReceiptTextFormatOptions = {}): string {
  const omit = options.omit;
  const keep = (label: string, name: string): boolean =>
    omit === undefined || !(omit.includes(label) || omit.includes(name));
  const seconds = options.seconds ?? false;
  const offset = options.utcOffsetMinutes ?? 0;
  const stat = fields.stat;
  const parts: string[] = [];

  if (keep('id', 'id')) parts.push(`id:${fields.id}`);
  if (keep('sub', 'sub')) parts.push(`sub:${threeDigits(fields.sub ?? 1)}`);
  if (keep('dlvrd', 'dlvrd')) parts.push(`dlvrd:${threeDigits(fields.dlvrd ?? (stat === 'DELIVRD' ? 1 : 0))}`);
  if (keep('submit date', 'submitDate'))
    parts.push(`submit date:${formatReceiptDate(fields.submitDate, seconds, offset)}`);
  if (keep('done date', 'doneDate')) parts.push(`done date:${formatReceiptDate(fields.doneDate, seconds, offset)}`);
  if (keep('stat', 'stat')) parts.push(`stat:${stat}`);
  if (keep('err', 'err')) {
    const err = fields.err ?? 0;
    parts.push(`err:${typeof err === 'number' ? threeDigits(err) : err}`);
  }
  if (keep('text', 'text')) parts.push(`${options.textLabel ?? 'text'}:${fields.text ?? ''}`);
  return parts.join(' ');
}

function threeDigits(value: number): string {
  return String(value).padStart(3, '0');
}

/** `YYMMDDhhmm[ss]` in the given offset from UTC. */
function formatReceiptDate(date: Date | number, seconds: boolean, utcOffsetMinutes: number): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  const local = new Date(ms + utcOffsetMinutes * 60_000);
  const text =
    pad2(local.getUTCFullYear() % 100) +
    pad2(local.getUTCMonth() + 1) +
    pad2(local.getUTCDate()) +
    pad2(local.getUTCHours()) +
    pad2(local.getUTCMinutes());
  return seconds ? text + pad2(local.getUTCSeconds()) : text;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
