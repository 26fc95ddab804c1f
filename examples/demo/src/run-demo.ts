import type { InboundMessage, MessageHandle, TerminalEvent } from '@tidings/core';
import type { Subscription } from 'rxjs';
import { MessageLog, type MessageSummary } from './message-log.js';
import {
  channelNames,
  type DemoSimulators,
  type DemoTidings,
  profileNames,
  startRuntime,
  startSimulators,
  stopSimulators,
} from './providers.js';
import {
  formatEvent,
  formatHeading,
  formatInbound,
  formatNote,
  formatPause,
  formatSummary,
  formatVerdict,
  palette,
  plural,
} from './render.js';
import type { PauseChange, Step, StepContext } from './step.js';
import { story } from './story.js';

/** Where the demo writes: `process.stdout`, or anything with `write` (tests capture it). */
export interface Writer {
  write(text: string): unknown;
}

export interface DemoOptions {
  readonly out: Writer;
  /** ANSI colours; `main.ts` turns them on for a terminal without `NO_COLOR`. */
  readonly color: boolean;
  /** The sections to run. Default: the whole story. */
  readonly steps?: readonly Step[];
  /** The longest wait for any one outcome before the demo reports it missing. Default 10 s. */
  readonly waitMs?: number;
}

export interface DemoResult {
  /** True when every step ended as the story expects: `main.ts` exits 0 only then. */
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly messages: readonly MessageSummary[];
  readonly inbound: readonly InboundMessage[];
}

/**
 * The demo: four simulated providers, the four channel plugins in one runtime, the story's steps
 * one after the other with every event printed as it happens, then a summary table. Never throws:
 * whatever goes wrong is a problem in the result (and on screen), and everything started is stopped.
 */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const colors = palette(options.color);
  const write = (line: string): void => {
    options.out.write(`${line}\n`);
  };
  const waitMs = options.waitMs ?? 10_000;
  const startedAt = Date.now();
  const problems: string[] = [];
  const log = new MessageLog();
  const inbound: InboundMessage[] = [];
  const pauses: PauseChange[] = [];
  const subscriptions: Subscription[] = [];
  let sims: DemoSimulators | undefined;
  let tidings: DemoTidings | undefined;

  write(colors.bold('Tidings demo: four channel plugins, four simulated providers on 127.0.0.1'));
  write(colors.dim('No credentials, no network: each provider is an embedded SMSC simulator running its profile.'));
  try {
    sims = await startSimulators();
    for (const name of channelNames) {
      write(`  ${name.padEnd(11)}${profileNames[name].padEnd(22)}${colors.dim(`smpp://${sims[name].address}`)}`);
    }
    tidings = await startRuntime(sims);
    const live = tidings;
    const since = (timestamp: number): number => timestamp - startedAt;
    subscriptions.push(
      live.events$.subscribe((event) => {
        log.record(event);
        write(formatEvent(colors, event, since(event.timestamp)));
      }),
      live.inbound$.subscribe((message) => {
        inbound.push(message);
        write(formatInbound(colors, message, since(message.receivedAt)));
      }),
      ...channelNames.map((channel) => {
        let paused = false;
        return live.state$(channel).subscribe((state) => {
          if (state.paused === paused) return;
          paused = state.paused;
          pauses.push({ channel, paused });
          write(formatPause(colors, channel, paused, since(Date.now())));
        });
      }),
    );

    const within = <T>(promise: Promise<T>, what: string): Promise<T> => deadline(promise, waitMs, what);
    for (const [index, step] of (options.steps ?? story).entries()) {
      write(formatHeading(colors, index + 1, step.title));
      write(formatNote(colors, step.intro));
      const context: StepContext = {
        tidings: live,
        sims,
        log,
        inbound,
        pauses,
        track: (ref: string, handle: MessageHandle): MessageHandle => {
          log.track(handle.id, ref, step.title);
          return handle;
        },
        settled: (handle: MessageHandle): Promise<TerminalEvent> => within(handle.settled, `the end of ${handle.id}`),
        within,
        note: (text) => write(formatNote(colors, text)),
        expect: (condition, problem) => {
          if (!condition) problems.push(`${step.title}: ${problem}`);
        },
      };
      try {
        await step.run(context);
      } catch (error) {
        problems.push(`${step.title}: ${describe(error)}`);
      }
    }
  } catch (error) {
    problems.push(`could not start: ${describe(error)}`);
  } finally {
    // Drains what is in flight and completes every stream, then closes the simulators.
    await tidings?.stop({ timeoutMs: 2_000 }).catch((error: unknown) => problems.push(`stop: ${describe(error)}`));
    for (const subscription of subscriptions) subscription.unsubscribe();
    if (sims !== undefined) await stopSimulators(Object.values(sims));
  }

  const messages = log.summaries();
  // The runtime's promise: one terminal event per message, whatever happened.
  for (const message of messages) {
    if (message.final === 'pending') problems.push(`${message.ref}: no terminal event`);
  }
  write(`\n${colors.bold('Summary')}`);
  for (const line of formatSummary(colors, messages)) write(line);
  const succeeded = messages.filter((message) => message.success).length;
  write(
    formatNote(
      colors,
      `${plural(messages.length, 'message')}, ${succeeded} delivered; ${plural(inbound.length, 'inbound message')}: ${inbound
        .map((message) => `${message.channel} from ${message.from}`)
        .join(', ')}`,
    ),
  );
  for (const line of formatVerdict(colors, problems, Date.now() - startedAt)) write(line);
  return { ok: problems.length === 0, problems, messages, inbound };
}

/** `promise`, or a rejection naming `what` after `ms`. */
function deadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not come within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
