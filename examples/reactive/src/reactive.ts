/**
 * Reactive consumers of a Tidings runtime: per-channel delivery rates over a sliding window, an
 * alert when a channel fails too often, and an audit log with one JSON line per message. Traffic
 * goes through two channels, Telegram codes and SMSC text messages, with some failures on each.
 */
import { randomInt } from 'node:crypto';
import { smscChannel } from '@tidings/channel-smsc';
import { telegramChannel } from '@tidings/channel-telegram';
import { createTidings, type MessageEvent, type MessageHandle } from '@tidings/core';
import { type Observable, Subscription, share } from 'rxjs';
import { type AuditEntry, auditLog } from './audit-log.js';
import { type ChannelOutcome, channelOutcomes } from './channel-outcome.js';
import { type DeliveryRate, deliveryRates } from './delivery-rates.js';
import { type Alert, type AlertRule, failureAlerts } from './failure-alerts.js';
import { type Env, type Providers, startProviders } from './providers.js';

export interface ReactiveOptions {
  /** Where outcome, rate and alert lines go. Default: stdout. */
  readonly write?: (line: string) => void;
  /** Where audit lines (JSON) go. Default: stdout. */
  readonly audit?: (line: string) => void;
  /** Default: `process.env` (see providers.ts for the variables that switch to real accounts). */
  readonly env?: Env;
  /** The delivery-rate window. Default 60 000 ms. */
  readonly rateWindowMs?: number;
  /** Default: 3 failures on one channel within 60 000 ms. */
  readonly alertRule?: AlertRule;
  /** Providers started by the caller (who then stops them). Default: from `env`. */
  readonly providers?: Providers;
}

export interface ReactiveResult {
  /** The latest delivery rate of each channel. */
  readonly rates: Readonly<Record<string, DeliveryRate>>;
  readonly alerts: readonly Alert[];
  readonly audit: readonly AuditEntry[];
  /** Every line written, in order (outcomes, rates and alerts). */
  readonly timeline: readonly string[];
  /** What was sent: the codes, so a test can check that none reaches the audit log. */
  readonly sent: readonly { readonly messageId: string; readonly clientRef: string; readonly code?: string }[];
}

/** What the consumers report to; each is optional. */
export interface Sinks {
  readonly outcome?: (outcome: ChannelOutcome) => void;
  readonly rate?: (rate: DeliveryRate) => void;
  readonly alert?: (alert: Alert) => void;
  readonly audit?: (entry: AuditEntry) => void;
}

/**
 * The part to copy: the three consumers on a runtime's `events$`. Subscribe before sending (the
 * stream is hot); unsubscribe, or `stop()` the runtime, to end them.
 */
export function attachConsumers(
  events$: Observable<MessageEvent>,
  sinks: Sinks,
  options: { readonly rateWindowMs: number; readonly alertRule: AlertRule },
): Subscription {
  // One outcome stream for the three subscribers, in this order: outcome, rate, alert.
  const outcomes$ = events$.pipe(channelOutcomes(), share());
  const subscription = new Subscription();
  if (sinks.outcome) subscription.add(outcomes$.subscribe(sinks.outcome));
  if (sinks.rate) subscription.add(outcomes$.pipe(deliveryRates(options.rateWindowMs)).subscribe(sinks.rate));
  if (sinks.alert) subscription.add(outcomes$.pipe(failureAlerts(options.alertRule)).subscribe(sinks.alert));
  if (sinks.audit) subscription.add(events$.pipe(auditLog()).subscribe(sinks.audit));
  return subscription;
}

export async function runReactive(options: ReactiveOptions = {}): Promise<ReactiveResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  // Pure JSON lines when captured; labelled on the terminal, among the other lines.
  const writeAudit = options.audit ?? ((line: string) => process.stdout.write(`audit    ${line}\n`));
  const rateWindowMs = options.rateWindowMs ?? 60_000;
  const alertRule = options.alertRule ?? { failures: 3, windowMs: 60_000 };
  const providers = options.providers ?? (await startProviders(options.env ?? process.env));

  const timeline: string[] = [];
  const say = (line: string): void => {
    timeline.push(line);
    write(line);
  };
  const rates: Record<string, DeliveryRate> = {};
  const alerts: Alert[] = [];
  const audit: AuditEntry[] = [];
  const sent: { messageId: string; clientRef: string; code?: string }[] = [];

  try {
    const tidings = await createTidings({
      plugins: [telegramChannel(providers.telegram), smscChannel(providers.smsc)],
    });
    const seconds = (ms: number): string => `${ms / 1000} s`;
    attachConsumers(
      tidings.events$,
      {
        outcome: (o) => say(`outcome  ${o.channel.padEnd(8)}  ${o.type.padEnd(11)}  ${o.code ?? ''}`.trimEnd()),
        rate: (r) => {
          rates[r.channel] = r;
          const percent = Math.round(r.rate * 100);
          say(
            `rate     ${r.channel.padEnd(8)}  ${r.delivered}/${r.delivered + r.failed} delivered (${percent}%) in the last ${seconds(r.windowMs)}`,
          );
        },
        alert: (a) => {
          alerts.push(a);
          const codes = Object.entries(a.codes).map(([code, count]) => `${code} ×${count}`);
          say(`ALERT    ${a.channel}: ${a.failures} failures within ${seconds(a.windowMs)} (${codes.join(', ')})`);
        },
        audit: (entry) => {
          audit.push(entry);
          writeAudit(JSON.stringify(entry));
        },
      },
      { rateWindowMs, alertRule },
    );
    // No unsubscribe needed here: the runtime's stop() completes events$, which ends every consumer.

    // One message at a time, so the story reads in order; the consumers work the same with any concurrency.
    const settle = async (handle: MessageHandle, clientRef: string, code?: string): Promise<void> => {
      sent.push({ messageId: handle.id, clientRef, ...(code === undefined ? {} : { code }) });
      await handle.settled;
    };
    const loginCode = async (clientRef: string, to: string, orSms = false): Promise<void> => {
      const message = {
        to,
        code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
        text: 'Your code: {code}',
        clientRef,
      };
      const handle = orSms
        ? await tidings.send(['telegram', 'smsc'], message)
        : await tidings.send('telegram', message);
      await settle(handle, clientRef, message.code);
    };
    const parcelSms = async (clientRef: string, to: string, parcel: number): Promise<void> =>
      settle(await tidings.send('smsc', { to, text: `Parcel ${parcel} is on its way`, clientRef }), clientRef);

    try {
      if (providers.recipients) {
        for (const [i, to] of providers.recipients.entries()) await loginCode(`login-${i + 1}`, to, true);
      } else {
        await loginCode('login-u1', '+79030000001');
        await parcelSms('parcel-s1', '+79160000001', 1);
        await loginCode('login-u2', '+79030000002');
        await loginCode('login-u3', '+79030000003'); // blocked at the gateway: telegram failure 1
        await parcelSms('parcel-s2', '+79160000002', 2); // phone off: smsc failure 1
        await loginCode('login-u4', '+79030000004');
        await loginCode('login-u5', '+79030000005'); // telegram failure 2
        await parcelSms('parcel-s3', '+79160000003', 3);
        await loginCode('login-u6', '+79030000006'); // telegram failure 3: the alert
        await parcelSms('parcel-s4', '+79160000004', 4);
        // Telegram refuses, the SMS delivers: a failure for telegram, a success for smsc.
        await loginCode('login-u8', '+79030000008', true);
        await loginCode('login-u7', '+79030000007');
        await parcelSms('parcel-s5', '+79160000005', 5); // smsc failure 2: no alert
        await parcelSms('parcel-s6', '+79160000006', 6);
      }
    } finally {
      await tidings.stop();
    }
  } finally {
    if (options.providers === undefined) await providers.stop();
  }
  return { rates, alerts, audit, timeline, sent };
}
