import { ErrorCode, TidingsError } from '@tidings/core';

/**
 * SMSC carries every kind of message in `submit_sm`: the kind is a marker at the start of
 * `short_message` (`__MAIL__: …`), its fields on the lines after it. This module writes and reads
 * those texts, refusing what the provider would refuse or misread.
 */
export type SmscMessageKind =
  | 'sms'
  | 'mail'
  | 'mms'
  | 'call'
  | 'viber'
  | 'social'
  | 'telegram-code'
  | 'bot'
  | 'hlr'
  | 'ping';

/** Voices of a `__CALL__`: male `m`, `m2`, `m3` (the provider's default), `m4`; female `w`…`w4`. */
export const smscVoices = ['m', 'm2', 'm3', 'm4', 'w', 'w2', 'w3', 'w4'] as const;
export type SmscVoice = (typeof smscVoices)[number];

/**
 * `\n~~~\n` (line feed, three tildes, line feed): after it, an SMS carries a comment (kept in the
 * account history, not sent, not billed) and a `__CALL__` its `param`.
 */
export const COMMENT_SEPARATOR = '\n~~~\n';

/** A message's content, by kind: what the text conventions carry. */
export type SmscContent =
  | { readonly kind: 'sms'; readonly text: string; readonly comment?: string }
  | { readonly kind: 'mail' | 'mms'; readonly text: string; readonly subject: string }
  | {
      readonly kind: 'call';
      readonly text: string;
      readonly voice?: SmscVoice;
      /** Language of the text, e.g. `en`, `fr`, `de` (written `voice:w,fr`). */
      readonly language?: string;
      /** The call's `param`, as the provider's HTTP API describes it; written after `\n~~~\n`. */
      readonly params?: string;
    }
  | { readonly kind: 'viber' | 'social'; readonly text: string }
  | { readonly kind: 'telegram-code'; readonly code: string }
  | { readonly kind: 'bot'; readonly text: string; readonly bot: string }
  | { readonly kind: 'hlr' | 'ping' };

const markers = {
  mail: '__MAIL__',
  mms: '__MMS__',
  call: '__CALL__',
  viber: '__VIBER__',
  social: '__SOC__',
  'telegram-code': '__TGM__',
  bot: '__BOT__',
  hlr: '__HLR__',
  ping: '__PING__',
} as const satisfies Record<Exclude<SmscMessageKind, 'sms'>, string>;

const kindOfMarker: ReadonlyMap<string, Exclude<SmscMessageKind, 'sms'>> = new Map(
  Object.entries(markers).map(([kind, marker]) => [marker, kind as Exclude<SmscMessageKind, 'sms'>]),
);

const markerAtStart = /^__(MAIL|MMS|CALL|VIBER|SOC|TGM|BOT|HLR|PING)__/;
/** `__TGM__`: "only numeric codes with a length from 4 to 8 digits are accepted". */
const telegramCode = /^[0-9]{4,8}$/;
/** Telegram bot usernames: 5-32 letters, digits and underscores, ending in `bot`. */
const botName = /^[A-Za-z][A-Za-z0-9_]{1,28}[Bb][Oo][Tt]$/;
const language = /^[a-z]{2}$/;

function invalid(field: string, message: string): TidingsError {
  return new TidingsError(ErrorCode.InvalidMessage, `message.${field} ${message}`, { details: { field } });
}

function oneLine(value: string, field: string): void {
  if (value.includes('\n') || value.includes('\r')) throw invalid(field, 'must be a single line');
}

function nonEmpty(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'must be a non-empty string');
}

/** Checks a content's fields; throws `TIDINGS_INVALID_MESSAGE` naming the field. */
export function checkSmscContent(content: SmscContent): void {
  switch (content.kind) {
    case 'sms':
      nonEmpty(content.text, 'text');
      if (markerAtStart.test(content.text)) {
        throw invalid(
          'text',
          `starts with the provider's marker ${markerAtStart.exec(content.text)?.[0]}: build that kind with its smscMessage helper`,
        );
      }
      // SMSC would keep everything after "\n~~~\n" as an unsent comment: never silently.
      if (content.text.includes(COMMENT_SEPARATOR)) {
        throw invalid(
          'text',
          'contains the comment separator "\\n~~~\\n": SMSC would not send what follows it; pass a comment as `comment`',
        );
      }
      if (content.comment !== undefined) nonEmpty(content.comment, 'comment');
      return;
    case 'mail':
    case 'mms':
      nonEmpty(content.text, 'text');
      nonEmpty(content.subject, 'subject');
      oneLine(content.subject, 'subject');
      return;
    case 'call':
      nonEmpty(content.text, 'text');
      if (content.text.includes(COMMENT_SEPARATOR)) {
        throw invalid('text', 'contains "\\n~~~\\n", which starts the call\'s param: pass it as params');
      }
      if (content.voice !== undefined && !(smscVoices as readonly string[]).includes(content.voice)) {
        throw invalid('voice', `must be one of ${smscVoices.join(', ')} (got ${JSON.stringify(content.voice)})`);
      }
      if (
        content.language !== undefined &&
        !(typeof content.language === 'string' && language.test(content.language))
      ) {
        throw invalid(
          'language',
          `must be a two-letter language code such as en, fr, de (got ${JSON.stringify(content.language)})`,
        );
      }
      if (content.params !== undefined) {
        nonEmpty(content.params, 'params');
        oneLine(content.params, 'params');
      }
      return;
    case 'viber':
    case 'social':
      nonEmpty(content.text, 'text');
      return;
    case 'telegram-code':
      if (typeof content.code !== 'string' || !telegramCode.test(content.code)) {
        throw invalid('code', 'must be 4 to 8 digits for a Telegram code');
      }
      return;
    case 'bot': {
      nonEmpty(content.text, 'text');
      const name = typeof content.bot === 'string' ? content.bot.replace(/^@/, '') : content.bot;
      if (typeof name !== 'string' || !botName.test(name)) {
        throw invalid(
          'bot',
          `must be a Telegram bot username (5-32 letters, digits or _, ending in "bot"; got ${JSON.stringify(content.bot)})`,
        );
      }
      return;
    }
    case 'hlr':
    case 'ping':
      return;
  }
}

/** The `short_message` text of a content, in the provider's conventions. Throws on invalid content. */
export function formatSmscText(content: SmscContent): string {
  checkSmscContent(content);
  switch (content.kind) {
    case 'sms':
      return content.comment === undefined ? content.text : `${content.text}${COMMENT_SEPARATOR}${content.comment}`;
    case 'mail':
    case 'mms':
      return `${markers[content.kind]}: ${content.text}\nsubj:${content.subject}`;
    case 'call': {
      let text = `${markers.call}: ${content.text}`;
      if (content.voice !== undefined || content.language !== undefined) {
        // The language rides on the voice (`m,en`); m3 is the provider's default voice.
        text += `\nvoice:${content.voice ?? 'm3'}${content.language === undefined ? '' : `,${content.language}`}`;
      }
      return content.params === undefined ? text : `${text}${COMMENT_SEPARATOR}${content.params}`;
    }
    case 'viber':
    case 'social':
      return `${markers[content.kind]}: ${content.text}`;
    case 'telegram-code':
      return `${markers['telegram-code']}: ${content.code}`;
    case 'bot':
      return `${markers.bot}: ${content.text}\nbot:@${content.bot.replace(/^@/, '')}`;
    case 'hlr':
    case 'ping':
      return markers[content.kind];
  }
}

/**
 * Reads a `short_message` text back into its content, with the checks the `smscMessage` helpers
 * apply when they write one: a hand-written `__TGM__: abc` is refused before sending, like one
 * built by the helpers.
 */
export function parseSmscText(text: string): SmscContent {
  const marker = markerAtStart.exec(text)?.[0];
  const kind = marker === undefined ? undefined : kindOfMarker.get(marker);
  if (marker === undefined || kind === undefined) {
    const at = text.indexOf(COMMENT_SEPARATOR);
    const content: SmscContent =
      at < 0
        ? { kind: 'sms', text }
        : { kind: 'sms', text: text.slice(0, at), comment: text.slice(at + COMMENT_SEPARATOR.length) };
    checkSmscContent(content);
    return content;
  }
  if (kind === 'hlr' || kind === 'ping') {
    if (text !== marker)
      throw invalid('text', `must be exactly ${marker} for ${kind === 'hlr' ? 'an HLR request' : 'a ping SMS'}`);
    return { kind };
  }
  if (!text.startsWith(`${marker}: `)) {
    throw invalid('text', `must continue ${marker} with ": " (colon, space) and the message`);
  }
  const body = text.slice(marker.length + 2);
  let content: SmscContent;
  switch (kind) {
    case 'mail':
    case 'mms': {
      const at = body.lastIndexOf('\nsubj:');
      if (at < 0) throw invalid('text', `${marker} needs a last line "subj:<subject>"`);
      content = { kind, text: body.slice(0, at), subject: body.slice(at + 6) };
      break;
    }
    case 'call': {
      let rest = body;
      let params: string | undefined;
      const paramsAt = rest.indexOf(COMMENT_SEPARATOR);
      if (paramsAt >= 0) {
        params = rest.slice(paramsAt + COMMENT_SEPARATOR.length);
        rest = rest.slice(0, paramsAt);
      }
      const voiceAt = rest.lastIndexOf('\nvoice:');
      let voice: string | undefined;
      let lang: string | undefined;
      if (voiceAt >= 0) {
        [voice, lang] = rest.slice(voiceAt + 7).split(',', 2) as [string, string | undefined];
        rest = rest.slice(0, voiceAt);
      }
      content = {
        kind,
        text: rest,
        ...(voice === undefined ? {} : { voice: voice as SmscVoice }),
        ...(lang === undefined ? {} : { language: lang }),
        ...(params === undefined ? {} : { params }),
      };
      break;
    }
    case 'viber':
    case 'social':
      content = { kind, text: body };
      break;
    case 'telegram-code':
      content = { kind, code: body };
      break;
    case 'bot': {
      const at = body.lastIndexOf('\nbot:@');
      if (at < 0) throw invalid('text', `${marker} needs a last line "bot:@<bot_name>"`);
      content = { kind, text: body.slice(0, at), bot: body.slice(at + 6) };
      break;
    }
  }
  checkSmscContent(content);
  return content;
}
