import { type SmscMessageCommon, smscMessage, smscVoices } from '@tidings/channel-smsc';
import type { MessageBase } from '@tidings/core';
import { CliError } from './cli-error.js';
import { ExitCode } from './exit-codes.js';
import type { PluginName } from './plugin-catalog.js';

/** The message flags of `send` and `bulk`, as commander parses them (camelCase). */
export interface MessageFlags {
  readonly text?: string;
  readonly code?: string;
  readonly sender?: string;
  readonly validity?: string;
  readonly priority?: string;
  readonly clientRef?: string;
  /** telegram: the `ptag` TLV. */
  readonly ptag?: string;
  /** smsc: the message kind (`__MAIL__`, `__TGM__`… text conventions). */
  readonly kind?: string;
  readonly subject?: string;
  readonly voice?: string;
  readonly bot?: string;
  readonly comment?: string;
  /** engagelab: template id, language, params, `service_type`; smsc `call`: the language. */
  readonly template?: string;
  readonly language?: string;
  readonly param?: readonly string[];
  readonly serviceType?: string;
}

/** The flags that only some plugins read, and which. */
const flagPlugins: Readonly<Record<string, readonly PluginName[]>> = {
  ptag: ['telegram'],
  kind: ['smsc'],
  subject: ['smsc'],
  voice: ['smsc'],
  bot: ['smsc'],
  comment: ['smsc'],
  template: ['engagelab'],
  language: ['engagelab', 'smsc'],
  param: ['engagelab'],
  serviceType: ['engagelab'],
};

export const smscKinds = [
  'sms',
  'mail',
  'mms',
  'call',
  'viber',
  'social',
  'telegram-code',
  'bot',
  'hlr',
  'ping',
] as const;

export const engagelabServiceTypes = ['MSG', 'CODE', 'MRKT'] as const;

const dashed = (flag: string): string => `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * Builds the channel's message from the flags. A flag the plugin does not read is a usage error
 * (a typo must not be dropped silently); what the message itself breaks (a bad number, a missing
 * code) is left to the channel's `validate`, which answers `TIDINGS_INVALID_MESSAGE`.
 */
export function buildMessage(plugin: PluginName, to: string, flags: MessageFlags): MessageBase {
  for (const [flag, allowed] of Object.entries(flagPlugins)) {
    if (flags[flag as keyof MessageFlags] !== undefined && !allowed.includes(plugin)) {
      throw new CliError(
        ExitCode.Usage,
        `${dashed(flag)} applies to ${allowed.join(' and ')} channels only (this channel is ${plugin})`,
      );
    }
  }
  const common = {
    to,
    ...(flags.sender === undefined ? {} : { from: flags.sender }),
    ...(flags.validity === undefined ? {} : { validitySeconds: integer(flags.validity, '--validity') }),
    ...(flags.priority === undefined ? {} : { priority: integer(flags.priority, '--priority') }),
    ...(flags.clientRef === undefined ? {} : { clientRef: flags.clientRef }),
  };
  const content = {
    ...(flags.text === undefined ? {} : { text: flags.text }),
    ...(flags.code === undefined ? {} : { code: flags.code }),
  };
  switch (plugin) {
    case 'telegram':
      return { ...common, ...content, ...(flags.ptag === undefined ? {} : { ptag: flags.ptag }) } as MessageBase;
    case 'smsc':
      return smscMessageOf(common, content, flags);
    case 'engagelab':
      return engagelabMessageOf(common, content, flags);
    case 'smsorg':
      return { ...common, ...content } as MessageBase;
  }
}

function smscMessageOf(
  common: SmscMessageCommon,
  content: { readonly text?: string; readonly code?: string },
  flags: MessageFlags,
): MessageBase {
  const kind = flags.kind;
  if (kind === undefined) {
    if (flags.subject ?? flags.voice ?? flags.bot ?? flags.language) {
      throw new CliError(ExitCode.Usage, '--subject, --voice, --bot and --language need --kind (mail, mms, call, bot)');
    }
    // A plain SMS; the channel reads a hand-written text by the same conventions.
    return flags.comment === undefined
      ? ({ ...common, ...content } as MessageBase)
      : smscMessage.sms({ ...common, text: need(content.text, '--text', 'sms'), comment: flags.comment });
  }
  const text = (): string => need(content.text, '--text', kind);
  switch (kind) {
    case 'sms':
      return smscMessage.sms({
        ...common,
        text: text(),
        ...(flags.comment === undefined ? {} : { comment: flags.comment }),
      });
    case 'mail':
    case 'mms':
      return smscMessage[kind]({ ...common, text: text(), subject: need(flags.subject, '--subject', kind) });
    case 'call': {
      const voice = flags.voice;
      if (voice !== undefined && !(smscVoices as readonly string[]).includes(voice)) {
        throw new CliError(ExitCode.Usage, `--voice must be one of ${smscVoices.join(', ')}`);
      }
      return smscMessage.call({
        ...common,
        text: text(),
        ...(voice === undefined ? {} : { voice: voice as (typeof smscVoices)[number] }),
        ...(flags.language === undefined ? {} : { language: flags.language }),
      });
    }
    case 'viber':
    case 'social':
      return smscMessage[kind]({ ...common, text: text() });
    case 'telegram-code':
      return smscMessage.telegramCode({ ...common, code: need(content.code, '--code', kind) });
    case 'bot':
      return smscMessage.bot({ ...common, text: text(), bot: need(flags.bot, '--bot', kind) });
    case 'hlr':
    case 'ping':
      return smscMessage[kind](common);
    default:
      throw new CliError(ExitCode.Usage, `--kind must be one of ${smscKinds.join(', ')} (got "${kind}")`);
  }
}

function engagelabMessageOf(
  common: SmscMessageCommon,
  content: { readonly text?: string; readonly code?: string },
  flags: MessageFlags,
): MessageBase {
  const serviceType = flags.serviceType ?? (content.code === undefined ? undefined : 'CODE');
  if (serviceType !== undefined && !(engagelabServiceTypes as readonly string[]).includes(serviceType)) {
    throw new CliError(ExitCode.Usage, `--service-type must be one of ${engagelabServiceTypes.join(', ')}`);
  }
  const params: Record<string, string> = {};
  for (const pair of flags.param ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError(ExitCode.Usage, `--param takes key=value (got "${pair}")`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const template =
    flags.template === undefined
      ? undefined
      : {
          id: flags.template,
          ...(flags.language === undefined ? {} : { language: flags.language }),
          ...(Object.keys(params).length === 0 ? {} : { params }),
        };
  if (template === undefined && (flags.language !== undefined || flags.param !== undefined)) {
    throw new CliError(ExitCode.Usage, '--language and --param need --template');
  }
  return {
    ...common,
    ...content,
    ...(template === undefined ? {} : { template }),
    ...(serviceType === undefined ? {} : { serviceType }),
  } as MessageBase;
}

function need(value: string | undefined, flag: string, kind: string): string {
  if (value === undefined) throw new CliError(ExitCode.Usage, `--kind ${kind} needs ${flag}`);
  return value;
}

function integer(value: string, flag: string): number {
  const number = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) {
    throw new CliError(ExitCode.Usage, `${flag} must be a whole number (got "${value}")`);
  }
  return number;
}
