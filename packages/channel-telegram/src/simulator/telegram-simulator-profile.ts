import { CommandStatus, decodeText, EsmClass, parseUdh, secondsUntilSmppTime } from '@tidings/transport-smpp';
import type {
  ProfileContext,
  SimulatorProfile,
  SubmitDecision,
  SubmitRequest,
} from '@tidings/transport-smpp/simulator';
import { characterCount } from '../code-text.js';
import { isLifetime } from '../lifetime.js';
import { isPtag, ptagOf, ptagTlv } from '../ptag.js';
import { recipientNumber, recipientProblem } from '../recipient.js';
import { maxPayloadOctets, maxTextCharacters } from '../text-limits.js';
import { DuplicateBlocker } from './duplicate-blocker.js';
import { PartnerQueue } from './partner-queue.js';
import { RateLimiter } from './rate-limiter.js';

/** How the simulated Telegram Gateway account is set up; every field is optional. */
export interface TelegramSimulatorProfileOptions {
  /**
   * Service names the account may send from; any other `source_addr` gets `0x0A`. An empty
   * `source_addr` uses the account's default name. Default: any ASCII name of 1-20 characters.
   */
  readonly serviceNames?: readonly string[] | undefined;
  /**
   * Numbers the account may not send to (`0x0B`), in any accepted form: `79036550550` also blocks
   * `+79036550550`, `8-903-655-05-50` and `89036550550`.
   */
  readonly blockedRecipients?: readonly string[] | undefined;
  /** The partner's rate limit, in submits (SMS parts) per second: more in a clock second get `0x58`. Default: none. */
  readonly maxPerSecond?: number | undefined;
  /**
   * The partner's queue: while `max` accepted messages wait (each waits `drainMs`), submits get
   * `0x14`. The page's example is 100. Default: none.
   */
  readonly queue?: { readonly max: number; readonly drainMs: number } | undefined;
  /**
   * Duplicate blocking (off at the provider unless asked for): the same text to the same number
   * (in any accepted form) within 24 h of an accepted message gets `0xAB`.
   */
  readonly duplicateBlocking?: boolean | undefined;
  /** A trial account: this many messages are accepted, later ones get `0x45`. Default: no trial. */
  readonly trialMessages?: number | undefined;
  /**
   * The account's concatenation setting: `auto` ("Detect automatically", the default), `udh`
   * (`message_payload` or SAR get `0x500`) or `tlv` (UDH gets `0x500`).
   */
  readonly concatenation?: 'auto' | 'udh' | 'tlv' | undefined;
  /** What `data_coding` 0 means for the account: `gsm7` (default) or `ascii`. */
  readonly defaultAlphabet?: 'gsm7' | 'ascii' | undefined;
  /**
   * A text without a 4-8 digit code: the page names no status for it, so by default it is
   * accepted and its receipt says `REJECTD`; give a status to refuse it instead.
   */
  readonly missingCodeStatus?: number | undefined;
  /** Echo the `ptag` TLV in receipts. Default true. */
  readonly echoPtag?: boolean | undefined;
  /** Send every receipt twice, as the provider's "message reprocessing" does. Default false. */
  readonly reprocessReceipts?: boolean | undefined;
  /** The time for the rate limit, the queue, duplicates and absolute times. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

const S = CommandStatus;
/** The page's statuses, by what they answer. */
const TelegramStatus = {
  tooLong: 0x01,
  invalidSender: 0x0a,
  invalidRecipient: 0x0b,
  invalidPtag: 0x0c,
  queueFull: 0x14,
  trialOver: 0x45,
  rateLimit: 0x58,
  timeOutOfRange: 0x62,
  duplicate: 0xab,
  badTlv: 0xc4,
  concatenationMismatch: 0x500,
} as const;

const maxScheduleAheadSeconds = 24 * 60 * 60;
const codeInText = /(?<![0-9])[0-9]{4,8}(?![0-9])/;
const serviceNameFormat = /^[\x20-\x7e]{1,20}$/;

/**
 * Telegram Gateway as its page describes it, for `SmscSimulator.start({ profile })`: it checks
 * what the page requires of a `submit_sm` and answers with the page's statuses, sends receipts
 * (echoing `ptag`), and can enforce a rate limit (`0x58`), a queue limit (`0x14`), duplicate
 * blocking (`0xAB`), a trial quota (`0x45`) and a concatenation setting (`0x500`).
 *
 * Submits get, in order: `0x58` over the rate; `0xC4` with both `short_message` and
 * `message_payload`; `0x0A` for a sender not allowed; `0x0B` for a recipient over 25 characters,
 * in no accepted form, or blocked; `0x01` for a text over 2000 characters or a `message_payload`
 * over 2048 octets; `0x0C` for a malformed `ptag`; `0x62` for a `validity_period` outside
 * 30-3600 s or a `schedule_delivery_time` that is unreadable, past or more than 24 h ahead; `0x500` for a concatenation the account is not set to; then the missing
 * code, `0x45`, `0xAB` and `0x14`. Requests other than binds, `submit_sm`, `enquire_link` and
 * `unbind` get `generic_nack` `0x03`. Message ids are positive integers.
 */
export function telegramSimulatorProfile(options: TelegramSimulatorProfileOptions = {}): SimulatorProfile {
  const now = options.now ?? Date.now;
  const rate = options.maxPerSecond === undefined ? undefined : new RateLimiter(options.maxPerSecond, now);
  const queue =
    options.queue === undefined ? undefined : new PartnerQueue(options.queue.max, options.queue.drainMs, now);
  const duplicates = options.duplicateBlocking === true ? new DuplicateBlocker(now) : undefined;
  const serviceNames = options.serviceNames === undefined ? undefined : new Set(options.serviceNames);
  const blocked = new Set((options.blockedRecipients ?? []).map(recipientNumber));
  const concatenation = options.concatenation ?? 'auto';
  let accepted = 0;

  const refuse = (status: number): SubmitDecision => ({ status });

  function onSubmit(submit: SubmitRequest, ctx: ProfileContext): SubmitDecision {
    if (submit.command !== 'submit_sm') return refuse(S.ESME_RINVCMDID);
    if (rate !== undefined && !rate.take()) return refuse(TelegramStatus.rateLimit);

    const payload = ctx.tlvs.read(submit.tlvs, 'message_payload');
    const payloadBytes = payload instanceof Uint8Array ? payload : undefined;
    // "Simultaneous use of both fields is not allowed."
    if (submit.short_message.length > 0 && payloadBytes !== undefined && payloadBytes.length > 0) {
      return refuse(TelegramStatus.badTlv);
    }
    const source = submit.source_addr;
    if (
      source !== '' &&
      (!serviceNameFormat.test(source) || (serviceNames !== undefined && !serviceNames.has(source)))
    ) {
      return refuse(TelegramStatus.invalidSender);
    }
    const destination = submit.destination_addr;
    if (recipientProblem(destination) !== undefined || blocked.has(recipientNumber(destination))) {
      return refuse(TelegramStatus.invalidRecipient);
    }
    // short_message itself cannot exceed 254 octets: the codec refuses such a PDU.
    if ((payloadBytes?.length ?? 0) > maxPayloadOctets) return refuse(TelegramStatus.tooLong);
    const udh = (submit.esm_class & EsmClass.udhi) !== 0;
    const sar = ctx.tlvs.read(submit.tlvs, 'sar_total_segments') !== undefined;
    const text = textOf(submit, payloadBytes, udh, options.defaultAlphabet ?? 'gsm7');
    if (text !== undefined && characterCount(text) > maxTextCharacters) return refuse(TelegramStatus.tooLong);

    const rawPtag = ctx.tlvs.read(submit.tlvs, 'ptag');
    const ptag = ptagOf(rawPtag);
    if (rawPtag !== undefined && !isPtag(ptag)) return refuse(TelegramStatus.invalidPtag);
    if (!timesInRange(submit, now())) return refuse(TelegramStatus.timeOutOfRange);
    if (
      (concatenation === 'tlv' && udh) ||
      (concatenation === 'udh' && (sar || (payloadBytes !== undefined && payloadBytes.length > 0)))
    ) {
      return refuse(TelegramStatus.concatenationMismatch);
    }
    // Parts of a UDH or SAR message are checked as they come: the code may be in another part.
    const wholeMessage = !sar && !(udh && parseUdh(submit.short_message)?.concat !== undefined);
    const missingCode = wholeMessage && (text === undefined || !codeInText.test(text));
    if (missingCode && options.missingCodeStatus !== undefined) return refuse(options.missingCodeStatus);
    if (options.trialMessages !== undefined && accepted >= options.trialMessages)
      return refuse(TelegramStatus.trialOver);
    if (duplicates?.isDuplicate(destination, text ?? '') === true) return refuse(TelegramStatus.duplicate);
    // Last, as it takes a place in the queue: every check after it would leave that place taken.
    if (queue !== undefined && !queue.offer()) return refuse(TelegramStatus.queueFull);

    // Only an accepted message counts for duplicates: a refused one's retry is not a repeat.
    duplicates?.record(destination, text ?? '');
    accepted++;
    const echo = ptag !== undefined && options.echoPtag !== false ? [ctx.tlvs.encode('ptag', ptag)] : [];
    return { receipt: missingCode ? { stat: 'REJECTD', err: 0, tlvs: echo } : { tlvs: echo } };
  }

  return {
    name: 'telegram-gateway',
    tlvs: [ptagTlv],
    commands: ['bind_transmitter', 'bind_receiver', 'bind_transceiver', 'submit_sm', 'enquire_link', 'unbind'],
    messageIds: 'decimal',
    ...(options.reprocessReceipts === true ? { receipts: { duplicate: true } } : {}),
    onSubmit,
  };
}

/**
 * The text of a submit, as the provider reads it: `data_coding` 8 is UCS2, 0 the account's
 * default alphabet; any other coding is binary (undefined: no text, hence no code).
 */
function textOf(
  submit: SubmitRequest & { readonly command: 'submit_sm' },
  payload: Uint8Array | undefined,
  udh: boolean,
  defaultAlphabet: 'gsm7' | 'ascii',
): string | undefined {
  if (submit.data_coding !== 0 && submit.data_coding !== 8) return undefined;
  let bytes: Uint8Array = submit.short_message.length > 0 ? submit.short_message : (payload ?? new Uint8Array(0));
  if (udh && submit.short_message.length > 0) bytes = parseUdh(bytes)?.payload ?? bytes;
  return decodeText(bytes, submit.data_coding, { defaultAlphabet });
}

/** `validity_period` within the page's 30-3600 s; `schedule_delivery_time` readable and within a day. */
function timesInRange(submit: SubmitRequest & { readonly command: 'submit_sm' }, now: number): boolean {
  if (submit.validity_period !== '') {
    const seconds = secondsUntilSmppTime(submit.validity_period, now);
    if (!isLifetime(seconds)) return false;
  }
  if (submit.schedule_delivery_time !== '') {
    const seconds = secondsUntilSmppTime(submit.schedule_delivery_time, now);
    if (seconds === undefined || seconds < 0 || seconds > maxScheduleAheadSeconds) return false;
  }
  return true;
}
