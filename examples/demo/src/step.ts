import type { InboundMessage, MessageHandle, TerminalEvent } from '@tidings/core';
import type { MessageLog } from './message-log.js';
import type { DemoSimulators, DemoTidings } from './providers.js';

/** One section of the story. */
export interface Step {
  readonly title: string;
  /** One line under the title: what to watch for. */
  readonly intro: string;
  /** Sends, waits until every message it sent has ended, and checks the outcome with `ctx.expect`. */
  run(ctx: StepContext): Promise<void>;
}

/** A channel's queue held (`paused: true`) or released by the runtime. */
export interface PauseChange {
  readonly channel: string;
  readonly paused: boolean;
}

/** What a step works with. */
export interface StepContext {
  readonly tidings: DemoTidings;
  readonly sims: DemoSimulators;
  readonly log: MessageLog;
  /** Every inbound message so far. */
  readonly inbound: readonly InboundMessage[];
  /** Every pause and resume of a channel so far. */
  readonly pauses: readonly PauseChange[];
  /** Follows a message just sent, under the host's reference, for the log and the summary. */
  track(ref: string, handle: MessageHandle): MessageHandle;
  /** Waits for a message's terminal event, at most a few seconds (the demo must never hang). */
  settled(handle: MessageHandle): Promise<TerminalEvent>;
  /** Waits for a promise, at most a few seconds; `what` names it when it does not come. */
  within<T>(promise: Promise<T>, what: string): Promise<T>;
  /** A narration line. */
  note(text: string): void;
  /** Records a problem unless `condition` holds: the demo then ends with exit code 1. */
  expect(condition: boolean, problem: string): void;
}
