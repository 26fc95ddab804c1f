import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ErrorCode, TidingsError } from './errors.js';

/**
 * Validates plugin options against any Standard Schema (zod, valibot, arktype…) when the plugin is
 * created, so a bad config fails at startup with a message naming the plugin and the option.
 *
 * @param owner how to name the plugin in messages, e.g. `telegram channel "tg"`.
 */
export function validateOptions<TSchema extends StandardSchemaV1>(
  schema: TSchema,
  input: unknown,
  owner: string,
): StandardSchemaV1.InferOutput<TSchema> {
  const result = schema['~standard'].validate(input);
  if (result instanceof Promise) {
    throw new TidingsError(ErrorCode.Internal, `${owner}: option schemas must validate synchronously`);
  }
  if (result.issues) {
    const lines = result.issues.map((issue) => {
      const path = formatPath(issue.path);
      return path ? `option "${path}": ${issue.message}` : issue.message;
    });
    throw new TidingsError(ErrorCode.InvalidOptions, `${owner}: invalid options\n  - ${lines.join('\n  - ')}`, {
      details: { options: result.issues.map((issue) => formatPath(issue.path)) },
    });
  }
  return result.value;
}

function formatPath(path: StandardSchemaV1.Issue['path']): string {
  if (!path) return '';
  return path
    .map((segment) => (typeof segment === 'object' ? segment.key : segment))
    .map((key) => (typeof key === 'number' ? `[${key}]` : String(key)))
    .join('.')
    .replace(/\.\[/g, '[');
}

// `key`/`privateKey`/`pfx` are TLS private keys (node's tls options); credentials are never logged.
const secretKeys = /pass(word)?|secret|token|api[-_]?key|private[-_]?key|^(key|pfx)$|credential/i;

/** A copy of `value` with every secret-looking field replaced by `***`, for logs and errors. */
export function redactSecrets<T>(value: T): T {
  return redact(value, new WeakMap()) as T;
}

/** `seen` maps objects already copied to their copy, so cycles and shared objects do not recurse forever. */
function redact(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const copied = seen.get(value);
  if (copied !== undefined) return copied;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redact(item, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [key, inner] of Object.entries(value)) {
    out[key] = secretKeys.test(key) && inner !== undefined ? '***' : redact(inner, seen);
  }
  return out;
}
