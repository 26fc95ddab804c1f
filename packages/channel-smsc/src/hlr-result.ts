/**
 * The result of an HLR request (`__HLR__`), from its delivery receipt:
 * `id:<id> stat:<status> err:<err> imsi:<imsi> msc:<msc> mcc:<mcc> mnc:<mnc> cn:<country>
 * net:<operator> rcn:<roaming country> rnet:<roaming operator>`; names are url-encoded.
 */
export interface SmscHlrResult {
  /** The SIM card's IMSI. */
  readonly imsi: string;
  /** The number of the operator's switching centre the subscriber is in. */
  readonly msc: string;
  readonly mcc: string;
  readonly mnc: string;
  /** Country of registration, e.g. `Russian Federation`. */
  readonly country: string;
  /** Operator of registration. */
  readonly operator: string;
  /** Country the subscriber roams in; empty at home. */
  readonly roamingCountry: string;
  /** Operator the subscriber roams on; empty at home. */
  readonly roamingOperator: string;
}

const fieldOf = {
  imsi: 'imsi',
  msc: 'msc',
  mcc: 'mcc',
  mnc: 'mnc',
  cn: 'country',
  net: 'operator',
  rcn: 'roamingCountry',
  rnet: 'roamingOperator',
} as const satisfies Record<string, keyof SmscHlrResult>;

/** PHP's urldecode: `+` is a space; a broken `%` escape is kept as written. */
export function urlDecode(value: string): string {
  const spaced = value.replaceAll('+', ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

/** PHP's urlencode, which the provider uses: spaces become `+`. */
export function urlEncode(value: string): string {
  return encodeURIComponent(value).replaceAll('%20', '+');
}

/** The HLR fields of a receipt text; undefined when it has no `imsi:` (not an HLR result). */
export function parseHlrResult(text: string): SmscHlrResult | undefined {
  const values = new Map<string, string>();
  for (const match of text.matchAll(/(?:^|\s)(imsi|msc|mcc|mnc|cn|net|rcn|rnet):(\S*)/g)) {
    values.set(match[1] as string, match[2] as string);
  }
  if (!values.has('imsi')) return undefined;
  const result: Record<string, string> = {};
  for (const [label, field] of Object.entries(fieldOf)) result[field] = urlDecode(values.get(label) ?? '');
  return result as unknown as SmscHlrResult;
}

/** The HLR part of a receipt text, as the provider writes it (the simulator uses it). */
export function formatHlrFields(result: SmscHlrResult): Record<string, string> {
  return {
    imsi: result.imsi,
    msc: result.msc,
    mcc: result.mcc,
    mnc: result.mnc,
    cn: urlEncode(result.country),
    net: urlEncode(result.operator),
    rcn: urlEncode(result.roamingCountry),
    rnet: urlEncode(result.roamingOperator),
  };
}
