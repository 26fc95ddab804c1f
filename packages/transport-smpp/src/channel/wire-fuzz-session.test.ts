import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePdu } from '../pdu/codec.js';
import type { Pdu } from '../pdu/pdu.js';
import { deliverSm } from '../pdu/pdu-factory.js';
import { DEFAULT_GARBAGE } from '../simulator/index.js';
import { expectExactlyOneTerminal, sendMany, settleAll, startHarness } from './runtime.test-helper.js';

/**
 * Fuzzing a live session: the simulator writes mutated frames to a bound client over TCP. Whatever
 * the bytes, the client never crashes; a protocol error (or a stream that stops making sense)
 * closes the session and it binds again; every message sent meanwhile ends exactly once.
 */
const RUNS = Math.max(8, Math.floor(Number(process.env.FUZZ_RUNS ?? 0) / 100));
const TIMEOUT = process.env.FUZZ_RUNS === undefined ? 30_000 : 0;

const frames: readonly Pdu[] = [
  deliverSm(
    {
      source_addr: '15550001',
      destination_addr: 'Tidings',
      esm_class: 0x04,
      short_message: Buffer.from(
        'id:77 sub:001 dlvrd:001 submit date:2611221200 done date:2611221201 stat:DELIVRD err:000 text:',
      ),
    },
    900,
  ),
  deliverSm({ source_addr: '15550002', destination_addr: 'Tidings', short_message: Buffer.from('hello') }, 901),
  { command: 'enquire_link', command_status: 0, sequence_number: 902 },
  { command: 'submit_sm_resp', command_status: 0, sequence_number: 903, message_id: 'x' },
];

const mutatedBytes = fc
  .record({
    picks: fc.array(fc.integer({ min: 0, max: frames.length - 1 }), { minLength: 1, maxLength: 4 }),
    flips: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
    cutAt: fc.option(fc.nat(), { nil: undefined }),
  })
  .map(({ picks, flips, cutAt }) => {
    const stream = Buffer.concat(picks.map((pick) => encodePdu(frames[pick] as Pdu)));
    for (const { at, value } of flips) stream[at % stream.length] = value;
    return cutAt === undefined ? stream : stream.subarray(0, cutAt % (stream.length + 1));
  });

describe('wire fuzzing over a live session', () => {
  it(
    'mutated frames from the server: the client survives, re-binds when needed, every message ends once',
    async () => {
      const { sim, tidings, events } = await startHarness({
        connection: { enquireLinkIntervalMs: 30, enquireLinkTimeoutMs: 100, responseTimeoutMs: 200 },
      });
      let batch = 0;
      await fc.assert(
        fc.asyncProperty(mutatedBytes, async (bytes) => {
          const bound = sim.sessions.filter((session) => session.state === 'bound');
          for (const session of bound) sim.sendRaw(bytes, session.id);
          const handles = await sendMany(tidings, 3, 1000 * ++batch);
          await settleAll(handles);
          expectExactlyOneTerminal(handles, events);
        }),
        // The first case is a sure protocol error (command_length 8), so a re-bind is always exercised.
        { numRuns: RUNS, examples: [[Buffer.from(DEFAULT_GARBAGE)]] },
      );
      // Whatever happened, the channel still delivers.
      const last = await sendMany(tidings, 5, 999_000);
      expect((await settleAll(last)).map((end) => end.type)).toEqual(Array(5).fill('delivered'));
      expect(sim.stats.connections).toBeGreaterThanOrEqual(2);
    },
    TIMEOUT,
  );
});
