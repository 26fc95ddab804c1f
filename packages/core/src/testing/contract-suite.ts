import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, TidingsError } from '../errors.js';
import type { MessageEvent } from '../events.js';
import type { MessageBase } from '../message.js';
import type { ChannelPlugin } from '../plugin.js';
import type { ChannelMap } from '../registry.js';
import { type ChannelStateView, createTidings, type Tidings } from '../tidings.js';
import { resolveChannel } from './resolve-channel.js';

export interface ChannelContractFixture<TMessage extends MessageBase> {
  readonly plugin: ChannelPlugin<string, TMessage>;
  /** Stops whatever `setup` started (a simulator). */
  readonly teardown?: () => Promise<void>;
}

export interface ChannelContractOptions<TMessage extends MessageBase> {
  /** A fresh plugin for one test, with whatever it talks to (a simulator) already running. */
  readonly setup: () => Promise<ChannelContractFixture<TMessage>> | ChannelContractFixture<TMessage>;
  /** A message the channel sends successfully; `index` makes each one distinct. */
  readonly validMessage: (index: number) => TMessage;
  /** Messages the channel must refuse before sending anything, each with a label for the test name. */
  readonly invalidMessages: ReadonlyArray<{ readonly label: string; readonly message: unknown }>;
  /** Messages sent at once in the exactly-once tests. Default 20. */
  readonly batchSize?: number;
  /** Per-test timeout in milliseconds. Default 20 000. */
  readonly timeoutMs?: number;
}

/**
 * The behaviour every channel owes the runtime, as a vitest suite a channel package runs against
 * itself (with its simulator profile): exactly one terminal event per message, validation before
 * sending, `stop()` drains, `state$` replays and de-duplicates.
 */
export function describeChannelContract<TMessage extends MessageBase>(
  title: string,
  options: ChannelContractOptions<TMessage>,
): void {
  const batch = options.batchSize ?? 20;
  const timeout = options.timeoutMs ?? 20_000;

  describe(`channel contract: ${title}`, () => {
    let cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
      cleanups = [];
    });

    async function start(): Promise<{ tidings: Tidings<ChannelMap>; name: string; events: MessageEvent[] }> {
      const fixture = await options.setup();
      if (fixture.teardown) cleanups.push(fixture.teardown);
      const tidings = (await createTidings({ plugins: [fixture.plugin] })) as unknown as Tidings<ChannelMap>;
      cleanups.push(() => tidings.stop({ timeoutMs: 1000 }));
      const events: MessageEvent[] = [];
      tidings.events$.subscribe((event) => events.push(event));
      return { tidings, name: fixture.plugin.name, events };
    }

    it('reports its state through state$: replayed to late subscribers, without repeats', { timeout }, async () => {
      const { tidings, name } = await start();
      const seen: ChannelStateView[] = [];
      const all = lastValueFrom(tidings.state$(name).pipe(toArray()));
      tidings.state$(name).subscribe((state) => seen.push(state));
      const current = await firstValueFrom(tidings.state$(name));
      expect(current.channel).toBe(name);
      expect(current.status).toBe('ready');
      await tidings.stop({ timeoutMs: 1000 });
      const history = await all;
      expect(history.at(-1)?.status).toBe('stopped');
      for (let i = 1; i < history.length; i++) {
        const [a, b] = [history[i - 1], history[i]];
        expect(a?.status === b?.status && a?.paused === b?.paused && a?.detail === b?.detail).toBe(false);
      }
      expect(seen.length).toBeGreaterThan(0);
    });

    it('ends every message in exactly one terminal event, always the last', { timeout }, async () => {
      const { tidings, name, events } = await start();
      const handles = await Promise.all(
        Array.from({ length: batch }, (_, i) => tidings.send(name, options.validMessage(i))),
      );
      const terminals = await Promise.all(handles.map((handle) => handle.settled));
      for (const [i, handle] of handles.entries()) {
        const own = events.filter((event) => event.messageId === handle.id);
        expect(own[0]?.type).toBe('queued');
        expect(own.filter((event) => event.terminal)).toHaveLength(1);
        expect(own.at(-1)).toBe(terminals[i]);
        const replayed = await lastValueFrom(handle.events$.pipe(toArray()));
        expect(replayed).toEqual(own);
      }
    });

    for (const { label, message } of options.invalidMessages) {
      it(`refuses an invalid message before sending anything: ${label}`, { timeout }, async () => {
        const fixture = await options.setup();
        if (fixture.teardown) cleanups.push(fixture.teardown);
        const channel = resolveChannel(fixture.plugin);
        const thrown = catchSync(() => channel.validate(message as TMessage));
        expect(TidingsError.is(thrown, ErrorCode.InvalidMessage)).toBe(true);

        const tidings = (await createTidings({ plugins: [fixture.plugin] })) as unknown as Tidings<ChannelMap>;
        cleanups.push(() => tidings.stop({ timeoutMs: 1000 }));
        const events: MessageEvent[] = [];
        tidings.events$.subscribe((event) => events.push(event));
        const error = await tidings.send(fixture.plugin.name, message as MessageBase).catch((e: unknown) => e);
        expect(TidingsError.is(error, ErrorCode.InvalidMessage)).toBe(true);
        expect(events).toEqual([]);
      });
    }

    it('stop() drains: messages sent just before it each end in exactly one terminal event', { timeout }, async () => {
      const { tidings, name, events } = await start();
      const handles = await Promise.all(
        Array.from({ length: batch }, (_, i) => tidings.send(name, options.validMessage(i))),
      );
      const completed = lastValueFrom(tidings.events$.pipe(toArray()));
      await tidings.stop({ timeoutMs: Math.floor(timeout / 4) });
      await completed;
      const terminals = await Promise.all(handles.map((handle) => handle.settled));
      for (const [i, handle] of handles.entries()) {
        const own = events.filter((event) => event.messageId === handle.id && event.terminal);
        expect(own).toEqual([terminals[i]]);
      }
      const refused = await tidings.send(name, options.validMessage(batch)).catch((e: unknown) => e);
      expect(TidingsError.is(refused, ErrorCode.Shutdown)).toBe(true);
    });
  });
}

function catchSync(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
