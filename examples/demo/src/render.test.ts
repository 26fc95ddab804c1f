import { stripVTControlCharacters } from 'node:util';
import { ErrorCode, type MessageEvent, RetryDecision, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import type { MessageSummary } from './message-log.js';
import { formatEvent, formatSummary, formatVerdict, hex, palette, wantsColor } from './render.js';

const base = { messageId: 'm-1', channel: 'telegram', attempt: 1, timestamp: 0, clientRef: 'otp-1' } as const;
const ansi = '\u001b[';

describe('wantsColor', () => {
  it('colours a terminal only, and never with NO_COLOR set', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    // no-color.org: an empty NO_COLOR does not count.
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  it('honours FORCE_COLOR on a pipe, unless NO_COLOR says otherwise', () => {
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(wantsColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false);
    expect(wantsColor({ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});

describe('formatEvent', () => {
  const rejected: MessageEvent = {
    ...base,
    type: 'rejected',
    terminal: false,
    error: new TidingsError(
      ErrorCode.Rejected,
      'submit_sm refused: ESME_RINVDSTADR (0x0000000b): invalid recipient number; never resend',
      { providerStatus: 0x0b, retry: RetryDecision.never() },
    ),
  };

  it('writes time, channel, message, type and detail, without escape codes when plain', () => {
    const line = formatEvent(palette(false), rejected, 1_234);
    expect(line).toBe('   +1.234s  telegram   otp-1             rejected   status 0x0B: invalid recipient number');
  });

  it('marks the terminal event', () => {
    const delivered: MessageEvent = {
      ...base,
      type: 'delivered',
      terminal: true,
      providerMessageId: '42',
      report: { providerMessageId: '42', state: 'delivered' },
    };
    expect(formatEvent(palette(false), delivered, 0)).toMatch(/delivered {2}receipt: delivered {2}■ final$/);
  });

  it('colours with escape codes when asked, around the same text', () => {
    const line = formatEvent(palette(true), rejected, 1_234);
    expect(line).toContain(ansi);
    expect(stripVTControlCharacters(line)).toBe(formatEvent(palette(false), rejected, 1_234));
  });
});

describe('formatSummary', () => {
  const message = (ref: string, overrides: Partial<MessageSummary> = {}): MessageSummary => ({
    ref,
    step: 'step',
    channels: ['telegram'],
    events: ['queued', 'submitted', 'accepted', 'delivered'],
    final: 'delivered',
    success: true,
    attempts: 1,
    parts: 1,
    durationMs: 120,
    ...overrides,
  });

  it('aligns the columns, numbers to the right, and names a failure', () => {
    const lines = formatSummary(palette(false), [
      message('otp-1'),
      message('login-fallback', { channels: ['telegram', 'smsc'], attempts: 12, parts: 3, durationMs: 2_500 }),
      message('lost', { final: 'failed', success: false, errorCode: 'TIDINGS_TIMEOUT', parts: undefined }),
    ]);
    expect(lines).toEqual([
      '  message         channel(s)       final state               attempts  parts    time',
      '  ──────────────  ───────────────  ────────────────────────  ────────  ─────  ──────',
      '  otp-1           telegram         delivered                        1      1  0.12 s',
      '  login-fallback  telegram → smsc  delivered                       12      3  2.50 s',
      '  lost            telegram         failed (TIDINGS_TIMEOUT)         1      -  0.12 s',
    ]);
  });
});

describe('formatVerdict', () => {
  it('lists every problem', () => {
    expect(formatVerdict(palette(false), ['a: went wrong', 'b: too'], 1_500)).toEqual([
      '\n✘ Not as the story expects (2 problems):',
      '  • a: went wrong',
      '  • b: too',
    ]);
    expect(formatVerdict(palette(false), [], 1_500)).toEqual(['\n✔ Every step ended as the story expects (1.5 s).']);
  });
});

describe('hex', () => {
  it('writes statuses as the provider pages do', () => {
    expect([hex(0x58), hex(0x0b), hex(0x500), hex(undefined), hex('USER_NOT_FOUND')]).toEqual([
      '0x58',
      '0x0B',
      '0x500',
      '-',
      'USER_NOT_FOUND',
    ]);
  });
});
