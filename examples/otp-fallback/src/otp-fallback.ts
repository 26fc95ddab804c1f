/**
 * OTP with fallback: a login code goes to Telegram first; if Telegram has not delivered it within
 * `fallbackAfterMs`, the same code goes by SMS (SMSC). Two stories against the embedded
 * simulators: (1) Telegram delivers; (2) Telegram accepts the code but its receipt does not come
 * in time, so the SMS goes and is delivered — and Telegram's receipt, when it finally comes, is
 * ignored: the message keeps its one terminal event.
 */
import { randomInt } from 'node:crypto';
import { smscChannel } from '@tidings/channel-smsc';
import { telegramChannel } from '@tidings/channel-telegram';
import { createTidings, type LogFields, type Logger, type MessageEvent, type TerminalEvent } from '@tidings/core';
import { type Env, type Providers, startProviders } from './providers.js';

export interface OtpFallbackOptions {
  /** Where lines go. Default: stdout. */
  readonly write?: (line: string) => void;
  /** Default: `process.env` (see providers.ts for the variables that switch to real accounts). */
  readonly env?: Env;
  /**
   * How long Telegram has to deliver before the SMS goes. Default `OTP_FALLBACK_AFTER_MS`, else
   * 1 500 ms with the simulators and 30 000 ms with real providers.
   */
  readonly fallbackAfterMs?: number;
  /** Providers started by the caller (who then stops them). Default: from `env`. */
  readonly providers?: Providers;
}

/** One code sent, as its own events tell it. */
export interface OtpStory {
  readonly title: string;
  readonly to: string;
  readonly code: string;
  /** The channels that carried it, in order. */
  readonly route: readonly string[];
  readonly outcome: TerminalEvent;
  readonly events: readonly MessageEvent[];
}

export interface OtpFallbackResult {
  readonly stories: readonly OtpStory[];
  /** Story 2, simulators only: what became of Telegram's receipt that came after the fallback. */
  readonly lateReceipt?: {
    readonly providerMessageId: string;
    /** Tidings logged it as a receipt for a message already settled. */
    readonly ignored: boolean;
    /** Events of the message on `events$` after it settled: none. */
    readonly eventsAfterSettled: number;
  };
}

export async function runOtpFallback(options: OtpFallbackOptions = {}): Promise<OtpFallbackResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const env = options.env ?? process.env;
  const providers = options.providers ?? (await startProviders(env));
  const simulated = providers.simulated;
  const fallbackAfterMs =
    options.fallbackAfterMs ?? (Number(env.OTP_FALLBACK_AFTER_MS) || (simulated ? 1_500 : 30_000));

  // Core reports receipts it has no use for at debug level; this example watches for them.
  const ignoredReceipts = new DebugWatch('receipt for a settled message ignored');
  try {
    const tidings = await createTidings({
      plugins: [telegramChannel(providers.telegram), smscChannel(providers.smsc)],
      logger: ignoredReceipts,
    });
    const started = Date.now();
    const log = (event: MessageEvent): void => write(formatEvent(event, event.timestamp - started));

    /**
     * The part to copy: one message for both channels. Telegram takes the `code` (and this text
     * around it); the SMS carries the text with `{code}` filled in. With a list of channels, the
     * next one is tried when the current one refuses, fails, or has not delivered within
     * `fallbackAfterMs`.
     */
    const sendCode = async (title: string, to: string): Promise<OtpStory> => {
      write(`\n${title}`);
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const handle = await tidings.send(
        ['telegram', 'smsc'],
        { to, code, text: 'Your code: {code}', clientRef: `login-${to.slice(-4)}` },
        { fallbackAfterMs },
      );
      const events: MessageEvent[] = [];
      handle.events$.subscribe((event) => {
        events.push(event);
        log(event);
      });
      const outcome = await handle.settled;
      const route = [...new Set(events.filter((e) => e.type === 'submitted').map((e) => e.channel))];
      write(`  → ${outcome.type} by ${outcome.channel} (route: ${route.join(' → ')})`);
      return { title, to, code, route, outcome, events };
    };

    const stories: OtpStory[] = [];
    let lateReceipt: OtpFallbackResult['lateReceipt'];
    try {
      if (!simulated) {
        stories.push(await sendCode('A login code, Telegram first, SMS after', providers.recipient as string));
      } else {
        stories.push(await sendCode('1. Telegram delivers the code', simulated.fastRecipient));
        const slow = await sendCode(
          `2. Telegram accepts, but no receipt within ${fallbackAfterMs} ms: the SMS goes`,
          simulated.slowRecipient,
        );
        stories.push(slow);

        // Simulator only: the gateway's receipt finally comes, after the SMS was delivered.
        const accepted = slow.events.find((e) => e.type === 'accepted' && e.channel === 'telegram');
        if (accepted?.type === 'accepted') {
          const { providerMessageId } = accepted;
          let eventsAfterSettled = 0;
          const late = tidings.events$.subscribe((event) => {
            if (event.messageId === slow.outcome.messageId) eventsAfterSettled++;
          });
          const ignored = ignoredReceipts.next((fields) => fields.messageId === slow.outcome.messageId);
          await simulated.telegram.sendReceipt({ messageId: providerMessageId });
          const seen = await withTimeout(ignored, 5_000);
          late.unsubscribe();
          lateReceipt = { providerMessageId, ignored: seen, eventsAfterSettled };
          write(
            `\n  Telegram's receipt for ${providerMessageId} arrives late: ${seen ? 'ignored' : 'not seen'}; ` +
              `the message keeps its one terminal event (${slow.outcome.type} by ${slow.outcome.channel}).`,
          );
        }
      }
    } finally {
      await tidings.stop();
    }
    return lateReceipt === undefined ? { stories } : { stories, lateReceipt };
  } finally {
    if (options.providers === undefined) await providers.stop();
  }
}

/** A silent logger that resolves waiters when a debug line with this message is logged. */
class DebugWatch implements Logger {
  readonly #message: string;
  #waiters: { readonly match: (fields: LogFields) => boolean; readonly resolve: () => void }[] = [];

  constructor(message: string) {
    this.#message = message;
  }

  /** Resolves when a matching line is logged from now on. */
  next(match: (fields: LogFields) => boolean): Promise<void> {
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  debug(message: string, fields: LogFields = {}): void {
    if (message !== this.#message) return;
    const ready = this.#waiters.filter((waiter) => waiter.match(fields));
    this.#waiters = this.#waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve();
  }

  info(): void {}
  warn(): void {}
  error(): void {}
}

/** True when the promise settles within `ms`. */
async function withTimeout(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function formatEvent(event: MessageEvent, elapsedMs: number): string {
  const time = `+${(elapsedMs / 1000).toFixed(3)}s`;
  return `  ${time}  ${event.channel.padEnd(8)}  ${event.type.padEnd(9)}  ${describe(event)}`.trimEnd();
}

function describe(event: MessageEvent): string {
  switch (event.type) {
    case 'accepted':
      return `provider id ${event.providerMessageId}`;
    case 'fallback':
      return `${event.from} → ${event.to} (${event.reason.code})`;
    case 'delivered':
      return `receipt: ${event.report.state}`;
    case 'retrying':
      return `again in ${event.delayMs} ms (${event.error.code})`;
    case 'rejected':
    case 'failed':
    case 'undelivered':
    case 'expired':
      return `${event.error.code}${event.terminal ? '' : ' (not final: next channel)'}`;
    default:
      return event.type === 'submitted' ? `attempt ${event.attempt}` : '';
  }
}
