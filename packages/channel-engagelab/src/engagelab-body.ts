import { ErrorCode, TidingsError } from '@tidings/core';
import type { EngageLabServiceType } from './engagelab-message.js';

/** How the JSON body is encoded: `ucs2` → `data_coding` 0x08, `default` → 0x00 (ASCII bytes). */
export type EngageLabDataCoding = 'ucs2' | 'default';

export interface EngageLabBodyInput {
  readonly serviceType: EngageLabServiceType;
  readonly templateId: string;
  readonly language: string | undefined;
  readonly code: string | undefined;
  readonly params: Readonly<Record<string, string>> | undefined;
}

/** SMPP's limit for `short_message`; the JSON is one PDU, never split (the server parses each PDU). */
export const MAX_BODY_OCTETS = 254;

/**
 * The provider's JSON, `{"id": …, "language": "default", "code": …, "params": {…}}`, as the text
 * to send in the given coding. `code` is written for `CODE` only (the page: "used only when
 * service_type is CODE"); `params` when given.
 *
 * For `default` (`data_coding` 0x00, the bytes as they are, for a route that passes `{}`
 * unchanged) every non-ASCII character becomes a JSON `\uXXXX` escape, which any JSON parser
 * reads back. Throws `TIDINGS_INVALID_MESSAGE` when the body does not fit one `short_message`.
 */
export function engagelabBody(input: EngageLabBodyInput, coding: EngageLabDataCoding): string {
  const body: Record<string, unknown> = { id: input.templateId, language: input.language ?? 'default' };
  if (input.serviceType === 'CODE') body.code = input.code;
  if (input.params !== undefined) body.params = input.params;
  const json = JSON.stringify(body);
  const text = coding === 'ucs2' ? json : escapeNonAscii(json);
  // UCS2 takes two octets per UTF-16 code unit; the escaped JSON one per character.
  const octets = coding === 'ucs2' ? text.length * 2 : text.length;
  if (octets > MAX_BODY_OCTETS) {
    const hint =
      coding === 'ucs2'
        ? 'shorten the template params (or use dataCoding "default" where the route passes {} unchanged: 1 octet per ASCII character)'
        : 'shorten the template params';
    throw new TidingsError(
      ErrorCode.InvalidMessage,
      `message.template must fit one short_message: the EngageLab JSON body takes ${octets} octets in ${coding === 'ucs2' ? 'UCS2' : 'data_coding 0x00'}, over the ${MAX_BODY_OCTETS} allowed: ${hint}`,
      { details: { field: 'template', octets, max: MAX_BODY_OCTETS } },
    );
  }
  return text;
}

function escapeNonAscii(json: string): string {
  // JSON.stringify already escapes control characters; DEL and everything above become \uXXXX
  // (a surrogate pair as two escapes, which JSON allows).
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
