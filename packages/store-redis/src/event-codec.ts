import { type DeliveryReport, type MessageEvent, TidingsError, type TidingsErrorOptions } from '@tidings/core';

/** Events cross processes as JSON; their errors come back as {@link TidingsError}s (without `cause`). */
export function encodeEvent(event: MessageEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(json: string): MessageEvent {
  const event = JSON.parse(json) as Record<string, unknown>;
  if ('error' in event) event.error = decodeError(event.error);
  if ('reason' in event) event.reason = decodeError(event.reason);
  return event as unknown as MessageEvent;
}

export function decodeError(value: unknown): TidingsError {
  const json = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const options: { -readonly [K in keyof TidingsErrorOptions]: TidingsErrorOptions[K] } = {};
  if (json.retry !== undefined) options.retry = json.retry as NonNullable<TidingsErrorOptions['retry']>;
  if (json.providerStatus !== undefined) options.providerStatus = json.providerStatus as string | number;
  if (typeof json.channel === 'string') options.channel = json.channel;
  if (typeof json.ambiguous === 'boolean') options.ambiguous = json.ambiguous;
  if (json.details !== undefined) options.details = json.details as Record<string, unknown>;
  return new TidingsError(String(json.code ?? 'TIDINGS_INTERNAL'), String(json.message ?? ''), options);
}

/** A receipt forwarded to another process. */
export interface ForwardedReceipt {
  readonly channel: string;
  readonly report: DeliveryReport;
}

export function encodeReceipt(receipt: ForwardedReceipt): string {
  return JSON.stringify(receipt);
}

export function decodeReceipt(json: string): ForwardedReceipt {
  return JSON.parse(json) as ForwardedReceipt;
}
