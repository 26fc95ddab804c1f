/**
 * How the story looks in a terminal: pure functions from events and summaries to lines. Colours
 * come from picocolors, switched on or off once (`palette(color)`), so plain output is the same
 * text without escape codes.
 */
import type { InboundMessage, MessageEvent } from '@tidings/core';
import picocolors from 'picocolors';
import type { MessageSummary } from './message-log.js';

export type Palette = ReturnType<typeof picocolors.createColors>;
type Paint = Palette['reset'];
/** A colour or style of the palette, or the terminal's own colour. */
type Style = Exclude<keyof Palette, 'isColorSupported'> | 'plain';

/** Colours when `color` is true, the same text without escape codes otherwise. */
export function palette(color: boolean): Palette {
  return picocolors.createColors(color);
}

/**
 * Colours only for a terminal, and never when `NO_COLOR` is set to something (https://no-color.org).
 * `FORCE_COLOR` is not honoured: piped output stays plain, as CI logs want it.
 */
export function wantsColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  // FORCE_COLOR (as the CLI and most tools honour it) colours a pipe too; FORCE_COLOR=0 turns colour off.
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0';
  return stream.isTTY === true;
}

const channelColors: Readonly<Record<string, Style>> = {
  telegram: 'cyan',
  smsc: 'magenta',
  engagelab: 'blue',
  smsorg: 'yellow',
};

/** `plain`: the terminal's own colour (white would vanish on a light background). */
const eventColors: Readonly<Record<MessageEvent['type'], Style>> = {
  queued: 'dim',
  submitted: 'plain',
  accepted: 'blue',
  retrying: 'yellow',
  rejected: 'red',
  fallback: 'magenta',
  delivered: 'green',
  undelivered: 'red',
  expired: 'red',
  failed: 'red',
};

const columns = { time: 8, channel: 11, ref: 18, type: 11 } as const;

/** A column of at least `width` characters, always followed by a space. */
function cell(text: string, width: number): string {
  return `${text.padEnd(width - 1)} `;
}

function paint(colors: Palette, style: Style): Paint {
  return style === 'plain' ? String : colors[style];
}

/** `+1.234s`: the time since the demo started. */
export function offset(ms: number): string {
  return `+${(Math.max(0, ms) / 1000).toFixed(3)}s`;
}

/** `0x58`: SMPP statuses and PDU fields as the providers' pages write them. */
export function hex(value: number | string | undefined): string {
  if (typeof value !== 'number') return String(value ?? '-');
  return `0x${value.toString(16).toUpperCase().padStart(2, '0')}`;
}

function timeCell(colors: Palette, sinceStartMs: number): string {
  return `  ${colors.dim(offset(sinceStartMs).padStart(columns.time))}  `;
}

function channelCell(colors: Palette, channel: string): string {
  return paint(colors, channelColors[channel] ?? 'plain')(cell(channel, columns.channel));
}

/** One event as one line: time, channel, message, event type, what it says. */
export function formatEvent(colors: Palette, event: MessageEvent, sinceStartMs: number): string {
  const ref = cell(event.clientRef ?? event.messageId.slice(0, 8), columns.ref);
  const type = paint(colors, eventColors[event.type])(cell(event.type, columns.type));
  const final = event.terminal ? colors.dim('  ■ final') : '';
  return `${timeCell(colors, sinceStartMs)}${channelCell(colors, event.channel)}${ref}${type}${describeEvent(event)}${final}`.trimEnd();
}

/** The short detail of an event. */
export function describeEvent(event: MessageEvent): string {
  switch (event.type) {
    case 'queued':
      return '';
    case 'submitted':
      return `attempt ${event.attempt}`;
    case 'accepted':
      return `provider id ${event.providerMessageId} · ${plural(event.parts, 'part')}`;
    case 'retrying':
      return event.channelPaused
        ? `status ${hex(event.error.providerStatus)}: channel paused ${event.delayMs} ms, then this message again`
        : `status ${hex(event.error.providerStatus)}: again in ${event.delayMs} ms`;
    case 'rejected':
      return `status ${hex(event.error.providerStatus)}: ${meaning(event.error.message)}`;
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

/**
 * What a refusal means, without the status the line already shows (`submit_sm refused:
 * ESME_RINVDSTADR (0x0000000b): `) and cut at its first `;` (the rest, what to do, is for logs).
 */
function meaning(message: string): string {
  const text = message.replace(/^.*?\(0x[0-9a-f]+\):\s*/i, '');
  const cut = text.indexOf(';');
  return cut > 0 ? text.slice(0, cut) : text;
}

/** A mobile-originated message as one line. */
export function formatInbound(colors: Palette, message: InboundMessage, sinceStartMs: number): string {
  const type = colors.green(cell('inbound', columns.type));
  return `${timeCell(colors, sinceStartMs)}${channelCell(colors, message.channel)}${cell(`from ${message.from}`, columns.ref)}${type}to ${message.to}: ${JSON.stringify(message.text)}`;
}

/** A channel's queue held or released by the runtime (throttling, queue full). */
export function formatPause(colors: Palette, channel: string, paused: boolean, sinceStartMs: number): string {
  const what = paused
    ? colors.yellow('⏸ paused: the provider asked to slow down, every message of this channel waits')
    : colors.green('▶ resumed');
  return `${timeCell(colors, sinceStartMs)}${channelCell(colors, channel)}${what}`;
}

/** A numbered section title. */
export function formatHeading(colors: Palette, number: number, title: string): string {
  return `\n${colors.bold(`${number}. ${title}`)}`;
}

/** A line of narration under a heading. */
export function formatNote(colors: Palette, text: string): string {
  return `  ${colors.dim(text)}`;
}

/** The summary: one row per message (message, channel(s), final state, attempts, parts, time). */
export function formatSummary(colors: Palette, messages: readonly MessageSummary[]): string[] {
  const header = ['message', 'channel(s)', 'final state', 'attempts', 'parts', 'time'];
  const rows = messages.map((message) => [
    message.ref,
    message.channels.join(' → ') || '-',
    message.errorCode === undefined ? message.final : `${message.final} (${message.errorCode})`,
    String(message.attempts),
    message.parts === undefined ? '-' : String(message.parts),
    message.durationMs === undefined ? '-' : `${(message.durationMs / 1000).toFixed(2)} s`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  // Numbers read best right-aligned.
  const right = new Set([3, 4, 5]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    `  ${colors.bold(line(header))}`,
    `  ${colors.dim(widths.map((width) => '─'.repeat(width)).join('  '))}`,
    ...rows.map((row, i) => `  ${(messages[i]?.success ? colors.green : colors.red)(line(row))}`),
  ];
}

/** The last line: did every step end as the story expects? */
export function formatVerdict(colors: Palette, problems: readonly string[], elapsedMs: number): string[] {
  const took = `${(elapsedMs / 1000).toFixed(1)} s`;
  if (problems.length === 0) {
    return [`\n${colors.green(colors.bold('✔'))} ${colors.bold('Every step ended as the story expects')} (${took}).`];
  }
  return [
    `\n${colors.red(colors.bold('✘'))} ${colors.bold(`Not as the story expects (${plural(problems.length, 'problem')}):`)}`,
    ...problems.map((problem) => `  ${colors.red('•')} ${problem}`),
  ];
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
