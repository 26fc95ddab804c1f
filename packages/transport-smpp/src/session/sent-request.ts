import type { Cancellation, TidingsError } from '@tidings/core';
import type { Pdu } from '../pdu/pdu.js';
import type { PendingRequest } from './request-window.js';

/**
 * Where the answer to a request goes: a promise's two functions, or an object of the caller's
 * that settles its own promise (the client's fast path: no second promise per request).
 * Called synchronously while the response frame is being read.
 */
export interface RequestReply {
  resolve(response: Pdu): void;
  reject(error: TidingsError): void;
}

/**
 * A request handed to the socket and not answered yet. Settling it stops listening on the
 * caller's cancellation: one object with methods, where wrapping `resolve` and `reject` in
 * closures cost two more allocations per request.
 */
export class SentRequest implements PendingRequest {
  written = false;
  abandoned = false;
  /** Listens on `cancellation` until the request settles. */
  onAbort: (() => void) | undefined;

  constructor(
    readonly sequence: number,
    readonly command: string,
    readonly deadline: number,
    readonly windowed: boolean,
    private readonly reply: RequestReply,
    private readonly cancellation: Cancellation | undefined,
  ) {}

  resolve(response: Pdu): void {
    this.#stopListening();
    this.reply.resolve(response);
  }

  reject(error: TidingsError): void {
    this.#stopListening();
    this.reply.reject(error);
  }

  #stopListening(): void {
    if (this.onAbort !== undefined) this.cancellation?.removeEventListener('abort', this.onAbort);
  }
}
