/**
 * C0 and C1 control characters, DEL, and the Unicode line separators and bidi controls: what
 * could end a line, move the cursor, clear the screen or reorder what a terminal shows.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const named: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text from outside (an inbound SMS, a provider's id or message, a line of a recipients file) made
 * safe for one human-readable terminal line: control characters are shown escaped (`\n`,
 * `\x1B`, `\u202E`), so a message cannot forge a second line or send escape sequences to the
 * terminal. JSON output needs none of this: JSON escapes them itself.
 */
export function printable(text: string | number): string {
  return String(text).replace(unsafe, (char) => {
    const known = named[char];
    if (known !== undefined) return known;
    const code = char.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`
      : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}
