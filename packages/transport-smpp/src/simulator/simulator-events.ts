import type { TidingsError } from '@tidings/core';
import { EventEmitter } from 'eventemitter3';
import { Observable } from 'rxjs';
import type { DeliverSm } from '../pdu/pdu.js';
import type { BindMode } from '../session/session-options.js';
import type { ReceivedPdu } from './pdu-recorder.js';
import type { SubmitRequest } from './receipt-builder.js';
import type { SimulatorSessionInfo } from './simulator-session.js';

/** What happened in the simulator, as one union on `type`. */
export type SimulatorEvent =
  | { readonly type: 'connect'; readonly session: SimulatorSessionInfo }
  | {
      readonly type: 'bind';
      readonly session: SimulatorSessionInfo;
      readonly systemId: string;
      readonly mode: BindMode;
    }
  | {
      readonly type: 'bindRefused';
      readonly session: SimulatorSessionInfo;
      readonly systemId: string;
      /** The bind response status, or `closed` when the socket was closed instead. */
      readonly status: number | 'closed';
    }
  | { readonly type: 'pdu'; readonly record: ReceivedPdu }
  | {
      readonly type: 'submit';
      readonly session: SimulatorSessionInfo;
      readonly pdu: SubmitRequest;
      /** The response status; undefined when the submit was swallowed or the connection dropped. */
      readonly status: number | undefined;
      /** The id given when accepted, else empty. */
      readonly messageId: string;
    }
  | {
      readonly type: 'receipt';
      readonly session: SimulatorSessionInfo;
      readonly pdu: DeliverSm;
      readonly messageId: string;
    }
  | { readonly type: 'mo'; readonly session: SimulatorSessionInfo; readonly pdus: readonly DeliverSm[] }
  | { readonly type: 'protocolError'; readonly session: SimulatorSessionInfo; readonly error: TidingsError }
  | { readonly type: 'close'; readonly session: SimulatorSessionInfo };

export type SimulatorEventType = SimulatorEvent['type'];

export type SimulatorEventOf<T extends SimulatorEventType> = Extract<SimulatorEvent, { readonly type: T }>;

const SIMULATOR_EVENT_TYPES: readonly SimulatorEventType[] = [
  'connect',
  'bind',
  'bindRefused',
  'pdu',
  'submit',
  'receipt',
  'mo',
  'protocolError',
  'close',
];

/**
 * The simulator's events: eventemitter3 inside (an event object is built only when someone listens
 * to its type), an Observable of all of them outside, completed on stop.
 */
export class SimulatorEventHub {
  readonly #emitter = new EventEmitter();
  readonly #completers = new Set<() => void>();
  #completed = false;

  /** Every event, hot. */
  readonly events$: Observable<SimulatorEvent> = new Observable<SimulatorEvent>((subscriber) => {
    if (this.#completed) {
      subscriber.complete();
      return;
    }
    const next = (event: SimulatorEvent): void => subscriber.next(event);
    const complete = (): void => subscriber.complete();
    for (const type of SIMULATOR_EVENT_TYPES) this.#emitter.on(type, next);
    this.#completers.add(complete);
    return () => {
      for (const type of SIMULATOR_EVENT_TYPES) this.#emitter.off(type, next);
      this.#completers.delete(complete);
    };
  });

  /** Whether anyone listens to `type`: check before building the event. */
  wants(type: SimulatorEventType): boolean {
    return this.#emitter.listenerCount(type) > 0;
  }

  emit(event: SimulatorEvent): void {
    this.#emitter.emit(event.type, event);
  }

  on<T extends SimulatorEventType>(type: T, listener: (event: SimulatorEventOf<T>) => void): () => void {
    this.#emitter.on(type, listener);
    return () => {
      this.#emitter.off(type, listener);
    };
  }

  /** Completes `events$` for every subscriber, present and future. */
  complete(): void {
    this.#completed = true;
    for (const complete of this.#completers) complete();
    this.#completers.clear();
  }
}
