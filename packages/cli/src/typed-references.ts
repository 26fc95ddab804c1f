import { type ConfigPath, typedValue } from './env-substitution.js';
import type { OptionSchema, OptionSchemaResult } from './plugin-catalog.js';

/** The types a whole `${NAME}` may be turned into. */
const typedKinds = new Set(['number', 'int', 'boolean']);

/**
 * `"port": "${SMPP_PORT}"`: a string that was exactly one `${NAME}` becomes the number or boolean
 * it reads as, but only where the plugin's schema refuses it as a string — a password or login
 * of digits (`12345678`, smsorg's `1234.5`) stays the string it is. The conversion is kept when it
 * satisfies the schema, or when the schema asked for a number/boolean there (its message about
 * the value, "must be a TCP port", then reads right); otherwise the string stays, with its issue.
 */
export function typeReferences(
  schema: OptionSchema,
  options: Record<string, unknown>,
  name: string,
  wholeReferences: readonly ConfigPath[],
): Record<string, unknown> {
  if (wholeReferences.length === 0) return options;
  const first = validate(schema, options, name);
  if (first === undefined) return options;
  const candidates = wholeReferences.flatMap((path) => {
    const raw = valueAt(options, path);
    const typed = typeof raw === 'string' ? typedValue(raw) : undefined;
    return typed !== undefined && issuesAt(first, path).length > 0 ? [{ path, typed }] : [];
  });
  if (candidates.length === 0) return options;
  const second = validate(
    schema,
    candidates.reduce((out, c) => withValue(out, c.path, c.typed), options),
    name,
  );
  let out = options;
  for (const { path, typed } of candidates) {
    const wanted = issuesAt(first, path).some(
      (issue) => typeof issue.expected === 'string' && typedKinds.has(issue.expected),
    );
    if (wanted || second === undefined || issuesAt(second, path).length === 0) out = withValue(out, path, typed);
  }
  return out;
}

type Issue = { readonly path: readonly PropertyKey[]; readonly expected?: unknown };

/** The issues, paths as plain keys; undefined when the options are valid. */
function validate(schema: OptionSchema, options: Record<string, unknown>, name: string): Issue[] | undefined {
  const result: OptionSchemaResult | Promise<OptionSchemaResult> = schema['~standard'].validate({ ...options, name });
  if (result instanceof Promise || !result.issues) return undefined;
  return result.issues.map((issue) => ({
    path: (issue.path ?? []).map((segment) => (typeof segment === 'object' ? segment.key : segment)),
    expected: (issue as { readonly expected?: unknown }).expected,
  }));
}

function issuesAt(issues: readonly Issue[], path: ConfigPath): Issue[] {
  return issues.filter(
    (issue) => issue.path.length === path.length && issue.path.every((key, i) => String(key) === String(path[i])),
  );
}

function valueAt(value: unknown, path: ConfigPath): unknown {
  let at = value;
  for (const key of path) at = (at as Record<string | number, unknown> | undefined)?.[key];
  return at;
}

/** A copy of `value` with `path` set to `inner`. */
function withValue<T>(value: T, path: ConfigPath, inner: unknown): T {
  const [key, ...rest] = path;
  if (key === undefined) return inner as T;
  const node = value as Record<string | number, unknown>;
  const copy = (Array.isArray(value) ? [...value] : { ...node }) as Record<string | number, unknown>;
  copy[key] = withValue(node[key], rest, inner);
  return copy as T;
}
