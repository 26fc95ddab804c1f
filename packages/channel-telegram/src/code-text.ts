/** The placeholder a text template carries for the code: `"Your code: {code}"`. */
export const codePlaceholder = '{code}';

/** A code Telegram Gateway delivers: four to eight digits. */
const codeFormat = /^[0-9]{4,8}$/;

export function isCode(value: unknown): value is string {
  return typeof value === 'string' && codeFormat.test(value);
}

/** The text sent: the template with every `{code}` replaced, or the code alone without a template. */
export function renderText(code: string, template: string | undefined): string {
  return template === undefined ? code : template.split(codePlaceholder).join(code);
}

/**
 * Whether `text` carries `code` as a number of its own: `1234` is in `"Code 1234."` but not in
 * `"Order 512345"`, where the provider would read another code.
 */
export function containsCode(text: string, code: string): boolean {
  for (let at = text.indexOf(code); at >= 0; at = text.indexOf(code, at + 1)) {
    const before = text.charCodeAt(at - 1);
    const after = text.charCodeAt(at + code.length);
    if (!isDigit(before) && !isDigit(after)) return true;
  }
  return false;
}

// A number that could be read as a code: 4 to 8 digits with no digit on either side.
const codeLike = /(?<![0-9])[0-9]{4,8}(?![0-9])/g;

/**
 * Whether `text` has a number of 4 to 8 digits other than `code`: the provider reads the code
 * from the text, and with two candidates could show the user the wrong one.
 */
export function hasOtherCodeLikeNumber(text: string, code: string): boolean {
  for (const match of text.matchAll(codeLike)) if (match[0] !== code) return true;
  return false;
}

/** Characters as a reader counts them: code points, so an emoji is one. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
