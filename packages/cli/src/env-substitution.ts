import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';

/** A path inside the config: `['channels', 'tg', 'backupHosts', 0, 'host']`. */
export type ConfigPath = readonly (string | number)[];

/** `$${` (a literal `${`, whatever follows) or `${NAME}`. */
const reference = /\$\$\{|\$\{([^}]*)\}/g;
const variableName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const wholeReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Replaces `${NAME}` in every string of a parsed config with the environment variable, so
 * secrets stay out of the file. The result holds strings only: a value from the environment is
 * text, whatever it looks like (`"password": "${PW}"` with `12345678` stays `"12345678"`).
 * `wholeReferences` collects the paths of strings that were exactly one `${NAME}`: the config
 * loader may turn those into the number or boolean the plugin's schema asks for
 * (`"port": "${SMPP_PORT}"`). An unset variable is an error naming the variable and where it is
 * used; its value is never shown.
 */
export function substituteEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  source: string,
  path: ConfigPath = [],
  wholeReferences: ConfigPath[] = [],
): unknown {
  if (typeof value === 'string') {
    if (wholeReference.test(value)) wholeReferences.push(path);
    return substituteString(value, env, source, path);
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => substituteEnv(item, env, source, [...path, i], wholeReferences));
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = substituteEnv(inner, env, source, [...path, key], wholeReferences);
    }
    return out;
  }
  return value;
}

function substituteString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  source: string,
  path: ConfigPath,
): string {
  return text.replace(reference, (match, name: string | undefined) => {
    if (name === undefined) return '${';
    if (!variableName.test(name)) {
      throw new CliError(
        ExitCode.Usage,
        `${source}: ${formatPath(path)} has "${match}": a variable name is letters, digits and "_" (write "$\${" for a literal "\${")`,
      );
    }
    const found = env[name];
    if (found === undefined) {
      throw new CliError(
        ExitCode.Usage,
        `${source}: ${formatPath(path)} uses \${${name}}, but the environment variable ${name} is not set`,
      );
    }
    return found;
  });
}

/**
 * The number or boolean a substituted string reads as (`"2775"`, `"-1.5"`, `"true"`), for an
 * option whose schema wants one; undefined when it reads as neither.
 */
export function typedValue(text: string): number | boolean | undefined {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return undefined;
}

/** `channels.tg.backupHosts[0].host`. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(top level)' : out;
}
