import type { Cancellation, TidingsError } from '@tidings/core';
import type { Pdu } from '../pdu/pdu.js';
import type { PendingRequest } from './request-window.js';

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
    private readonly settle: (response: Pdu) => void,
    private readonly fail: (error: TidingsError) => void,
    private readonly cancellation: Cancellation | undefined,
  ) {}

  resolve(response: Pdu): void {
    this.#stopListening();
    this.settle(response);
  }

  reject(error: TidingsError): void {
    this.#stopListening();
    this.fail(error);
  }

  #stopListening(): void {
    if (this.onAbort !== undefined) this.cancellation?.removeEventListener('abort', this.onAbort);
  }
}
