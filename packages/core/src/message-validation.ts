import { ErrorCode, TidingsError } from './errors.js';
import type { MessageBase } from './message.js';

const invalid = (field: string, rule: string): TidingsError =>
  new TidingsError(ErrorCode.InvalidMessage, `message.${field} ${rule}`, { details: { field } });

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The rules every message follows whatever its channel; channels add their own. Written for
 * JavaScript callers too: wrong types get a clear error instead of a crash deeper down.
 */
export function validateMessageBase(message: unknown): asserts message is MessageBase {
  if (!isPlainObject(message)) {
    throw new TidingsError(ErrorCode.InvalidMessage, 'message must be an object', { details: { field: '' } });
  }
  const m = message as Partial<Record<keyof MessageBase, unknown>>;
  if (typeof m.to !== 'string' || m.to.trim() === '') throw invalid('to', 'must be a non-empty string (the recipient)');
  if (m.to.length > 64) throw invalid('to', `is too long (${m.to.length} characters; at most 64)`);
  if (m.text !== undefined && (typeof m.text !== 'string' || m.text === '')) {
    throw invalid('text', 'must be a non-empty string');
  }
  if (m.code !== undefined && (typeof m.code !== 'string' || m.code === '')) {
    throw invalid('code', 'must be a non-empty string');
  }
  if (m.template !== undefined) {
    if (!isPlainObject(m.template) || typeof m.template.id !== 'string' || m.template.id === '') {
      throw invalid('template', 'must be an object with a non-empty string "id"');
    }
    const { language, params } = m.template;
    if (language !== undefined && typeof language !== 'string') throw invalid('template.language', 'must be a string');
    if (params !== undefined) {
      if (!isPlainObject(params)) throw invalid('template.params', 'must be an object of strings');
      for (const [key, value] of Object.entries(params)) {
        if (typeof value !== 'string') throw invalid(`template.params.${key}`, 'must be a string');
      }
    }
  }
  if (m.text === undefined && m.code === undefined && m.template === undefined) {
    throw new TidingsError(ErrorCode.InvalidMessage, 'message needs content: "text", "code" or "template"', {
      details: { field: 'text' },
    });
  }
  if (m.from !== undefined && (typeof m.from !== 'string' || m.from === '')) {
    throw invalid('from', 'must be a non-empty string');
  }
  if (
    m.validitySeconds !== undefined &&
    !(typeof m.validitySeconds === 'number' && m.validitySeconds > 0 && Number.isFinite(m.validitySeconds))
  ) {
    throw invalid('validitySeconds', 'must be a positive number of seconds');
  }
  if (m.priority !== undefined && !(typeof m.priority === 'number' && Number.isInteger(m.priority))) {
    throw invalid('priority', 'must be an integer');
  }
  if (m.clientRef !== undefined && (typeof m.clientRef !== 'string' || m.clientRef.length > 256)) {
    throw invalid('clientRef', 'must be a string of at most 256 characters');
  }
  if (
    m.idempotencyKey !== undefined &&
    (typeof m.idempotencyKey !== 'string' || m.idempotencyKey === '' || m.idempotencyKey.length > 256)
  ) {
    throw invalid('idempotencyKey', 'must be a non-empty string of at most 256 characters');
  }
  if (m.metadata !== undefined && !isPlainObject(m.metadata)) throw invalid('metadata', 'must be a plain object');
}

/** In `text`, this stands for the message's `code` on every channel. */
export const codePlaceholder = '{code}';

/**
 * The message as channels see it: every `{code}` in `text` replaced by `code`, so one message
 * (`"Your code: {code}"`) reads the same on every channel of a fallback list. The same object when
 * there is nothing to replace. Throws `TIDINGS_INVALID_MESSAGE` for `{code}` without a `code`.
 */
export function withCodeInText<TMessage extends MessageBase>(message: TMessage): TMessage {
  const { text, code } = message;
  if (typeof text !== 'string' || !text.includes(codePlaceholder)) return message;
  if (typeof code !== 'string' || code === '') {
    throw invalid('text', `contains ${codePlaceholder} but message.code is not set`);
  }
  return { ...message, text: text.replaceAll(codePlaceholder, code) };
}
