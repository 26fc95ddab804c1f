import { Buffer } from 'node:buffer';
import {
  CommandStatus,
  decodeText,
  EsmClass,
  parseUdh,
  type SubmitSm,
  type Tlv,
  type TlvRegistry,
} from '@tidings/transport-smpp';
import type { ReceiptOptions, SimulatorProfile, SubmitDecision } from '@tidings/transport-smpp/simulator';
import { formatHlrFields, type SmscHlrResult } from '../hlr-result.js';
import { parseSystemType } from '../system-type.js';
import { encodeSmscFlags, type SmscMessageType, smscVendorTlvs } from '../vendor-tlvs.js';

/** How the simulated SMSC behaves; every field has the provider's documented default. */
export interface SmscSimulatorProfileOptions {
  /** An identical request (same login, recipient and text) within this time is refused. Default 60 000 ms. */
  readonly duplicateWindowMs?: number | undefined;
  /** The `command_status` refusing a duplicate; the provider's page names none. Default ESME_RSUBMITFAIL. */
  readonly duplicateStatus?: number | undefined;
  /** More than `maxMessages` to one subscriber less than `minGapMs` apart get err 251. Default 50 / 30 000 ms. */
  readonly flood?: { readonly maxMessages?: number | undefined; readonly minGapMs?: number | undefined } | undefined;
  /** Parts of a long message must all arrive within this time of the first, else err 241. Default 60 000 ms. */
  readonly partsWithinMs?: number | undefined;
  /** SMS parts (submit_sm) per second per login; above it ESME_RTHROTTLED. Default 30. */
  readonly maxPerSecond?: number | undefined;
  /** A connection without traffic this long is dropped. Default 120 000 ms (2 minutes). */
  readonly idleTimeoutMs?: number | undefined;
  /** The cost of one SMS part, in receipts' 0x2000 (`" n.nnnn"`). Default 2.5. */
  readonly costPerPart?: number | undefined;
  /** The subscriber's `mccmnc` in receipts' 0x2003. Default `25002`. */
  readonly mccmnc?: string | undefined;
  /** What an `__HLR__` request finds. Default the provider's example subscriber. */
  readonly hlr?: SmscHlrResult | undefined;
  /** The first message id given. Default 854019. */
  readonly firstMessageId?: number | undefined;
}

const exampleHlr: SmscHlrResult = {
  imsi: '250023012345678',
  msc: '79232510066',
  mcc: '250',
  mnc: '02',
  country: 'Russian Federation',
  operator: 'MegaFON open Joint Stock Company',
  roamingCountry: '',
  roamingOperator: '',
};

/** Marker → the 0x2001 message type the server reports (Telegram kinds are not in its list: SMS). */
const typeOfMarker: ReadonlyMap<string, SmscMessageType> = new Map<string, SmscMessageType>([
  ['__HLR__', 'hlr'],
  ['__PING__', 'ping'],
  ['__MMS__', 'mms'],
  ['__CALL__', 'call'],
  ['__MAIL__', 'email'],
  ['__VIBER__', 'viber'],
  ['__SOC__', 'social'],
]);

interface GluedMessage {
  readonly id: string;
  readonly firstAt: number;
  readonly texts: string[];
  received: number;
  blocked: boolean;
}

/**
 * SMSC (smscentre.com / smsc.kz) as a simulator profile, for `SmscSimulator.start({ profile: smscSimulatorProfile() })`:
 * - one connection per login: a new bind ends the older one, unless `system_type` carries
 *   `MCONn` (then the newest n stay);
 * - `submit_sm` only (no `submit_multi`, no `data_sm`), ESME_RTHROTTLED above `maxPerSecond`;
 * - an identical request within a minute refused; more than 50 messages to one subscriber less
 *   than 30 s apart blocked with err 251; a long message whose parts take over a minute: err 241;
 * - by default one id and one receipt for all parts of a long message; with `SINGLE` an id and a
 *   receipt per part;
 * - receipts in SMSC's text with the vendor TLVs 0x2000–0x2003, HLR results for `__HLR__`;
 * - a connection idle for 2 minutes is dropped.
 *
 * The profile keeps state (ids, counters): give each simulator its own.
 */
export function smscSimulatorProfile(options: SmscSimulatorProfileOptions = {}): SimulatorProfile {
  const duplicateWindowMs = options.duplicateWindowMs ?? 60_000;
  const duplicateStatus = options.duplicateStatus ?? CommandStatus.ESME_RSUBMITFAIL;
  const maxMessages = options.flood?.maxMessages ?? 50;
  const minGapMs = options.flood?.minGapMs ?? 30_000;
  const partsWithinMs = options.partsWithinMs ?? 60_000;
  const maxPerSecond = options.maxPerSecond ?? 30;
  const costPerPart = options.costPerPart ?? 2.5;
  const mccmnc = options.mccmnc ?? '25002';
  const hlr = options.hlr ?? exampleHlr;
  let nextId = options.firstMessageId ?? 854_019;

  const recent = new Map<string, number>();
  const runs = new Map<string, { count: number; last: number }>();
  const glued = new Map<string, GluedMessage>();
  const sent = new Map<string, number[]>();

  /** Counts a message to `destination`; true when it makes the run longer than allowed. */
  const floods = (login: string, destination: string, now: number): boolean => {
    const key = `${login}\u0000${destination}`;
    const run = runs.get(key);
    const count = run !== undefined && now - run.last < minGapMs ? run.count + 1 : 1;
    runs.set(key, { count, last: now });
    return count > maxMessages;
  };

  const throttled = (login: string, now: number): boolean => {
    const times = (sent.get(login) ?? []).filter((at) => now - at < 1_000);
    if (times.length >= maxPerSecond) {
      sent.set(login, times);
      return true;
    }
    times.push(now);
    sent.set(login, times);
    return false;
  };

  const duplicate = (key: string, now: number): boolean => {
    for (const [old, at] of recent) {
      if (now - at < duplicateWindowMs) break;
      recent.delete(old);
    }
    if (recent.has(key)) return true;
    recent.set(key, now);
    return false;
  };

  const receipt = (
    tlvs: TlvRegistry,
    text: string,
    parts: number,
    outcome: { stat: string; err: number } | undefined,
  ): ReceiptOptions => {
    const marker = /^__[A-Z]+__/.exec(text)?.[0];
    const messageType = (marker === undefined ? undefined : typeOfMarker.get(marker)) ?? 'sms';
    const vendor: Tlv[] = [
      tlvs.encode('smsc_cost', ` ${(costPerPart * parts).toFixed(4)}`),
      tlvs.encode('smsc_flags', encodeSmscFlags({ messageType, secondBalance: false, template: false })),
      tlvs.encode('smsc_parts', parts),
      tlvs.encode('smsc_mccmnc', mccmnc),
    ];
    return {
      ...(outcome === undefined ? {} : outcome),
      tlvs: vendor,
      // SMSC's status text ends with err:, no text: field; an HLR result replaces sub…dates.
      textVariant:
        messageType === 'hlr'
          ? { omit: ['sub', 'dlvrd', 'submit date', 'done date', 'text'], extraFields: formatHlrFields(hlr) }
          : { omit: ['text'] },
    };
  };

  return {
    name: 'smsc',
    tlvs: smscVendorTlvs,
    commands: [
      'bind_transmitter',
      'bind_receiver',
      'bind_transceiver',
      'submit_sm',
      'query_sm',
      'enquire_link',
      'unbind',
    ],
    idleTimeoutMs: options.idleTimeoutMs ?? 120_000,

    onBind(bind, ctx) {
      // "When you reconnect, the previously connected connection with the same username will
      // automatically terminate", unless MCONn allows n at once: the oldest go.
      const allowed = parseSystemType(bind.system_type).mcon ?? 1;
      const others = ctx.simulator.sessions.filter(
        (session) => session.id !== ctx.session.id && session.state === 'bound' && session.systemId === bind.system_id,
      );
      for (const older of others.slice(0, Math.max(0, others.length + 1 - allowed))) {
        ctx.simulator.closeSession(older.id);
      }
      return undefined;
    },

    onSubmit(request, ctx): SubmitDecision {
      const submit = request as SubmitSm;
      const now = Date.now();
      const login = ctx.session.systemId ?? '';
      const flags = parseSystemType(ctx.session.systemType);
      if (throttled(login, now)) return { status: CommandStatus.ESME_RTHROTTLED };

      let payload = submit.short_message;
      let concat: { reference: number; total: number; sequence: number } | undefined;
      if ((submit.esm_class & EsmClass.udhi) !== 0) {
        const udh = parseUdh(payload);
        if (udh !== undefined) {
          payload = udh.payload;
          if (udh.concat !== undefined && udh.concat.total > 1) concat = udh.concat;
        }
      }
      if (payload.length === 0) {
        const carried = ctx.tlvs.read(submit.tlvs, 'message_payload');
        if (carried instanceof Uint8Array) payload = carried;
      }
      const text = decodeText(payload, submit.data_coding);
      const destination = submit.destination_addr;
      const identity = `${login}\u0000${destination}\u0000${submit.data_coding}\u0000${Buffer.from(payload).toString('hex')}\u0000${concat?.sequence ?? 1}/${concat?.total ?? 1}`;
      if (duplicateWindowMs > 0 && duplicate(identity, now)) return { status: duplicateStatus };

      if (concat === undefined || flags.single) {
        const blocked = concat === undefined || concat.sequence === 1 ? floods(login, destination, now) : false;
        return {
          messageId: String(nextId++),
          receipt: receipt(ctx.tlvs, text, 1, blocked ? { stat: 'UNDELIV', err: 251 } : undefined),
        };
      }
      // One id for every part of a long message, and one status once all parts are in.
      const key = `${login}\u0000${destination}\u0000${concat.reference}\u0000${concat.total}`;
      let message = glued.get(key);
      if (message === undefined) {
        message = { id: String(nextId++), firstAt: now, texts: [], received: 0, blocked: false };
        message.blocked = floods(login, destination, now);
        glued.set(key, message);
      }
      message.texts[concat.sequence - 1] = text;
      message.received++;
      if (message.received < concat.total) return { messageId: message.id, receipt: false };
      glued.delete(key);
      const late = now - message.firstAt > partsWithinMs;
      const outcome = message.blocked
        ? { stat: 'UNDELIV', err: 251 }
        : late
          ? { stat: 'UNDELIV', err: 241 }
          : undefined;
      return { messageId: message.id, receipt: receipt(ctx.tlvs, message.texts.join(''), concat.total, outcome) };
    },
  };
}
