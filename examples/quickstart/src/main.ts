/**
 * Tidings quickstart: a host application that composes two channels, sends a few messages and
 * prints every lifecycle event. Both channels are the in-memory fake from `@tidings/core/testing`,
 * scripted to show what real providers do: a transient failure, throttling, a refusal, silence.
 *
 * Run it with `pnpm demo` from the repository root.
 */
import { fileURLToPath } from 'node:url';
import { styleText } from 'node:util';
import {
  createTidings,
  ErrorCode,
  isSuccessEvent,
  type MessageBase,
  type MessageEvent,
  type MessageHandle,
  RetryDecision,
  type TerminalEvent,
  TidingsError,
} from '@tidings/core';
import { FakeOutcome, fakeChannel } from '@tidings/core/testing';

export interface QuickstartOptions {
  /** Where lines go. Default: `console.log`. */
  readonly write?: (line: string) => void;
  /** Colour the output. Default: only when stdout is a terminal. */
  readonly color?: boolean;
}

/** What happened to one message, from its own events. */
export interface MessageSummary {
  readonly ref: string;
  /** The channels that carried attempts, in order (two with a fallback). */
  readonly route: readonly string[];
  readonly attempts: number;
  readonly outcome: TerminalEvent['type'];
  readonly success: boolean;
  /** Error code of the terminal event, when it failed. */
  readonly code?: string;
}

export interface QuickstartResult {
  readonly messages: readonly MessageSummary[];
  readonly counts: {
    readonly sent: number;
    readonly succeeded: number;
    readonly failed: number;
    readonly retries: number;
    readonly pauses: number;
    readonly fallbacks: number;
    /** Terminal events seen on `events$`: one per message, always. */
    readonly terminalEvents: number;
  };
  /** Attempts each fake provider received. */
  readonly providerAttempts: { readonly telegram: number; readonly sms: number };
}

type Style = Parameters<typeof styleText>[0];

/** Each channel declares its message shape; `send` is checked against it at compile time. */
interface CodeMessage extends MessageBase {
  readonly code: string;
}
interface SmsMessage extends MessageBase {
  readonly text: string;
}

export async function main(options: QuickstartOptions = {}): Promise<QuickstartResult> {
  const write = options.write ?? ((line: string) => console.log(line));
  const color = options.color ?? (process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  const paint = (style: Style, text: string): string => (color ? styleText(style, text) : text);

  // A code-only channel in the style of Telegram Gateway. Its "provider" decides per message
  // (by clientRef) so the story stays the same however the attempts interleave.
  const telegram = fakeChannel<'telegram', CodeMessage>({
    name: 'telegram',
    kind: 'telegram-like',
    capabilities: { kinds: ['code'] },
    validate: (message) => {
      // The type already requires it; JavaScript callers get a typed error before anything is sent.
      if (typeof message.code !== 'string') {
        throw new TidingsError(ErrorCode.InvalidMessage, 'telegram: message.code is required', {
          details: { field: 'code' },
        });
      }
    },
    script: (message, context) => {
      switch (message.clientRef) {
        case 'login-bob':
          // Busy on the first attempt only: the runtime retries after the delay the channel asks for.
          return context.attempt === 1
            ? FakeOutcome.reject({ providerStatus: 0x08, retry: RetryDecision.retry(300), message: 'provider busy' })
            : FakeOutcome.accept({ receiptDelayMs: 100 });
        case 'login-carol':
          return FakeOutcome.reject({
            providerStatus: 'USER_NOT_FOUND',
            retry: RetryDecision.never(),
            message: 'recipient has no Telegram account',
          });
        case 'login-dan':
          // Never answers: the fallback deadline moves the message on.
          return FakeOutcome.hang();
        default:
          return FakeOutcome.accept({ receiptDelayMs: 100 });
      }
    },
  });

  // A plain SMS channel, one submit at a time so a throttling pause visibly holds its queue.
  const sms = fakeChannel<'sms', SmsMessage>({
    name: 'sms',
    kind: 'sms',
    settings: { maxInFlight: 1 },
    script: (message, context) => {
      if (message.clientRef === 'alert-1' && context.attempt === 1) return FakeOutcome.throttled(600);
      if (message.clientRef === 'alert-3') return FakeOutcome.accept({ receipt: 'undelivered', receiptErrorCode: 27 });
      return FakeOutcome.accept({ receiptDelayMs: 50 });
    },
  });

  const tidings = await createTidings({ plugins: [telegram, sms] });
  const started = Date.now();
  const allEvents: MessageEvent[] = [];

  // Every event of every message, as it happens. Events carry the host's clientRef.
  tidings.events$.subscribe((event) => {
    allEvents.push(event);
    write(formatEvent(event, Date.now() - started, paint));
  });
  let lastPaused = false;
  tidings.state$('sms').subscribe((state) => {
    if (state.paused === lastPaused) return;
    lastPaused = state.paused;
    write(paint('yellow', state.paused ? '    ⏸  sms paused: its queue waits' : '    ▶  sms resumed'));
  });

  const handles: { readonly ref: string; readonly handle: MessageHandle }[] = [];
  const track = (ref: string, handle: MessageHandle): MessageHandle => {
    handles.push({ ref, handle });
    return handle;
  };
  const heading = (title: string): void => write(`\n${paint('bold', title)}`);

  try {
    write(paint('bold', 'Tidings quickstart: two in-memory channels, "telegram" (codes) and "sms"'));

    heading('1. A login code over telegram: queued → submitted → accepted → delivered');
    const alice = track(
      'login-alice',
      await tidings.send('telegram', {
        to: '+15550100001',
        code: '482913',
        clientRef: 'login-alice',
        idempotencyKey: 'login-alice-1',
      }),
    );
    await alice.settled;

    heading('2. Idempotency: the same key again returns the same handle and sends nothing');
    const again = await tidings.send('telegram', {
      to: '+15550100001',
      code: '482913',
      clientRef: 'login-alice',
      idempotencyKey: 'login-alice-1',
    });
    write(`    same handle: ${again === alice}; attempts the provider saw: ${telegram.control.sends.length}`);

    heading('3. A transient failure, then a retry after the delay the channel asked for');
    const bob = track(
      'login-bob',
      await tidings.send('telegram', { to: '+15550100002', code: '105577', clientRef: 'login-bob' }),
    );
    await bob.settled;

    heading("4. Throttling: sms asks to slow down, and its whole queue waits (alert-3's phone is off)");
    const alerts = await Promise.all(
      [1, 2, 3].map(async (n) =>
        track(
          `alert-${n}`,
          await tidings.send('sms', {
            to: `+1555010010${n}`,
            text: `Your parcel ${n} is on its way`,
            clientRef: `alert-${n}`,
          }),
        ),
      ),
    );
    await Promise.all(alerts.map((handle) => handle.settled));

    // With a fallback list the message must fit every listed channel: a code for telegram, a text for sms.
    heading('5. Fallback after a rejection: telegram refuses, sms delivers');
    const carol = track(
      'login-carol',
      await tidings.send(['telegram', 'sms'], {
        to: '+15550100003',
        code: '731642',
        text: 'Your login code: 731642',
        clientRef: 'login-carol',
      }),
    );
    await carol.settled;

    heading('6. Fallback when too slow: no answer from telegram within 400 ms, sms delivers');
    const dan = track(
      'login-dan',
      await tidings.send(
        ['telegram', 'sms'],
        { to: '+15550100004', code: '290415', text: 'Your login code: 290415', clientRef: 'login-dan' },
        { fallbackAfterMs: 400 },
      ),
    );
    await dan.settled;
  } finally {
    // Always: drains what is in flight and completes every stream, even if a step above threw.
    await tidings.stop();
  }

  const messages = await Promise.all(
    handles.map(async ({ ref, handle }): Promise<MessageSummary> => {
      const terminal = await handle.settled;
      const own = allEvents.filter((event) => event.messageId === handle.id);
      const route = [...new Set(own.filter((event) => event.type === 'submitted').map((event) => event.channel))];
      const code = 'error' in terminal ? terminal.error.code : undefined;
      return {
        ref,
        route,
        attempts: terminal.attempt,
        outcome: terminal.type,
        success: isSuccessEvent(terminal),
        ...(code === undefined ? {} : { code }),
      };
    }),
  );
  const succeeded = messages.filter((message) => message.success).length;
  const result: QuickstartResult = {
    messages,
    counts: {
      sent: messages.length,
      succeeded,
      failed: messages.length - succeeded,
      retries: allEvents.filter((event) => event.type === 'retrying' && !event.channelPaused).length,
      pauses: allEvents.filter((event) => event.type === 'retrying' && event.channelPaused).length,
      fallbacks: allEvents.filter((event) => event.type === 'fallback').length,
      terminalEvents: allEvents.filter((event) => event.terminal).length,
    },
    providerAttempts: { telegram: telegram.control.sends.length, sms: sms.control.sends.length },
  };

  heading('Summary');
  for (const line of summaryTable(messages, paint)) write(`    ${line}`);
  const { counts } = result;
  write(
    `\n    ${plural(counts.sent, 'message')}: ${counts.succeeded} succeeded, ${counts.failed} failed; ` +
      `${plural(counts.retries, 'retry', 'retries')}, ${plural(counts.pauses, 'throttling pause')}, ` +
      `${plural(counts.fallbacks, 'fallback')}; ${plural(counts.terminalEvents, 'terminal event')} (one per message).`,
  );
  return result;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

const eventStyles: Record<MessageEvent['type'], Style> = {
  queued: 'gray',
  submitted: 'cyan',
  accepted: 'blue',
  retrying: 'yellow',
  rejected: 'red',
  fallback: 'magenta',
  delivered: 'green',
  undelivered: 'red',
  expired: 'red',
  failed: 'red',
};

function formatEvent(event: MessageEvent, elapsedMs: number, paint: (style: Style, text: string) => string): string {
  const ref = event.clientRef ?? event.messageId.slice(0, 8);
  const time = `+${(elapsedMs / 1000).toFixed(3)}s`;
  const type = paint(eventStyles[event.type], event.type.padEnd(11));
  const end = event.terminal ? paint('bold', '  ■ terminal') : '';
  return `    ${paint('gray', time)}  ${event.channel.padEnd(8)}  ${ref.padEnd(11)}  ${type} ${describeEvent(event)}${end}`.trimEnd();
}

function describeEvent(event: MessageEvent): string {
  switch (event.type) {
    case 'queued':
      return '';
    case 'submitted':
      return `attempt ${event.attempt}`;
    case 'accepted':
      return `provider id ${event.providerMessageId}`;
    case 'retrying':
      return event.channelPaused
        ? `channel paused ${event.delayMs} ms (${event.error.code})`
        : `again in ${event.delayMs} ms (${event.error.message})`;
    case 'rejected':
      return `${event.error.message} (status ${String(event.error.providerStatus)})`;
    case 'fallback':
      return `${event.from} → ${event.to} (${event.reason.code})`;
    case 'delivered':
      return `receipt: ${event.report.state}`;
    case 'undelivered':
    case 'expired':
      return `receipt: ${event.report.state}, error ${String(event.report.errorCode ?? '-')}`;
    case 'failed':
      return `${event.error.code}: ${event.error.message}`;
  }
}

function summaryTable(messages: readonly MessageSummary[], paint: (style: Style, text: string) => string): string[] {
  const rows = messages.map((message) => [
    message.ref,
    message.route.join(' → '),
    String(message.attempts),
    message.code === undefined ? message.outcome : `${message.outcome} (${message.code})`,
  ]);
  const header = ['message', 'route', 'attempts', 'outcome'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    paint('bold', line(header)),
    widths.map((width) => '─'.repeat(width)).join('  '),
    ...rows.map((row, i) => paint(messages[i]?.success ? 'green' : 'red', line(row))),
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
