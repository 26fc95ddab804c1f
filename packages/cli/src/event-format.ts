import type { DeliveryReport, InboundMessage, MessageEvent, TidingsError } from '@tidings/core';
import type pc from 'picocolors';
import { printable } from './printable.js';

/** The colour functions in use: picocolors' own, or identity when colours are off. */
export type Palette = ReturnType<typeof pc.createColors>;

/** A JSON line: `JSON.stringify` with bytes as hex and bigints as strings, so any event serialises. */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, inner: unknown) {
    // The value before toJSON: a Buffer would already be { type: 'Buffer', data: [...] }.
    const original = this[key];
    if (original instanceof Uint8Array) return Buffer.from(original).toString('hex');
    if (typeof inner === 'bigint') return inner.toString();
    if (inner instanceof Error && !('toJSON' in inner)) return { name: inner.name, message: inner.message };
    return inner;
  });
}

/** Human lines show times in UTC (`HH:MM:SS.mmm`), as the provider's receipts do. */
const time = (timestamp: number): string => new Date(timestamp).toISOString().slice(11, 23);

/** `0x0000000B` for an SMPP status, the value as is otherwise. */
export function formatProviderStatus(status: number | string | undefined): string | undefined {
  if (status === undefined) return undefined;
  return typeof status === 'number' ? `0x${status.toString(16).toUpperCase().padStart(8, '0')}` : status;
}

/** `TIDINGS_REJECTED: refused … (provider status 0x0000000B)`. */
export function describeError(error: TidingsError): string {
  const status = formatProviderStatus(error.providerStatus);
  return `${error.code}: ${error.message}${status === undefined ? '' : ` (provider status ${status})`}`;
}

/** {@link describeError} for a human line: provider text escaped by {@link printable}. */
const errorText = (error: TidingsError): string => printable(describeError(error));

/** One readable line per lifecycle event; provider data escaped by {@link printable}. */
export function formatEvent(event: MessageEvent, c: Palette): string {
  const head = `${c.dim(time(event.timestamp))} ${event.channel}`;
  const label = (text: string, colour: (s: string) => string): string => colour(text.padEnd(11));
  switch (event.type) {
    case 'queued':
      return `${head} ${label('queued', c.dim)} message ${event.messageId}${event.clientRef ? ` (ref ${printable(event.clientRef)})` : ''}`;
    case 'submitted':
      return `${head} ${label('submitted', c.dim)} attempt ${event.attempt}`;
    case 'accepted':
      return `${head} ${label('accepted', c.green)} provider id ${printable(event.providerMessageId)}, ${event.parts} part${event.parts === 1 ? '' : 's'}${event.terminal ? ' (no receipt expected)' : ''}`;
    case 'retrying':
      return `${head} ${label('retrying', c.yellow)} in ${event.delayMs} ms${event.channelPaused ? ' (channel paused)' : ''}: ${errorText(event.error)}`;
    case 'rejected':
      return `${head} ${label('rejected', c.red)} ${errorText(event.error)}`;
    case 'delivered':
      return `${head} ${label('delivered', c.green)} provider id ${printable(event.providerMessageId)}${reportDetail(event.report)}`;
    case 'undelivered':
    case 'expired':
      return `${head} ${label(event.type, c.red)} provider id ${printable(event.providerMessageId)}: ${errorText(event.error)}`;
    case 'failed':
      return `${head} ${label('failed', c.red)} ${errorText(event.error)}`;
    case 'fallback':
      return `${head} ${label('fallback', c.yellow)} to ${printable(event.to)}: ${errorText(event.reason)}`;
  }
}

function reportDetail(report: DeliveryReport): string {
  return report.doneAt === undefined ? '' : ` at ${new Date(report.doneAt).toISOString()}`;
}

/** A delivery receipt as `watch` shows it. */
export function formatReceipt(channel: string, report: DeliveryReport, at: number, c: Palette): string {
  const state =
    report.state === 'delivered'
      ? c.green(report.state)
      : report.state === 'enroute' || report.state === 'accepted'
        ? report.state
        : c.red(report.state);
  const error = report.errorCode === undefined ? '' : ` err ${printable(report.errorCode)}`;
  return `${c.dim(time(at))} ${channel} ${c.cyan('receipt'.padEnd(11))} provider id ${printable(report.providerMessageId)} ${state}${error}`;
}

/** An inbound (MO) message as `watch` shows it: anyone can send one, so it is escaped. */
export function formatInbound(message: InboundMessage, c: Palette): string {
  return `${c.dim(time(message.receivedAt))} ${message.channel} ${c.cyan('inbound'.padEnd(11))} from ${printable(message.from)} to ${printable(message.to)}: ${printable(message.text)}`;
}
