import { ErrorCode, TidingsError } from '@tidings/core';
import { CommandStatus } from '../pdu/command-status.js';

/** Refuse submits for a while: `true` until cleared, or for a number of submits and/or a duration. */
export interface FlowControlFault {
  /** Refuse this many submits, then recover. */
  readonly submits?: number;
  /** Refuse for this long after the fault is set, then recover. */
  readonly durationMs?: number;
}

/**
 * Misbehaviours the simulator can be told to show, at start or at run time (`sim.faults.set`).
 * Counting faults count submits from the moment they are set. Faults are applied before the
 * profile's decision.
 */
export interface SimulatorFaults {
  /** Answer every `n`th submit with `status`. */
  readonly rejectEveryNth?: { readonly n: number; readonly status: number };
  /** Answer submits with ESME_RMSGQFUL. */
  readonly queueFull?: true | FlowControlFault;
  /** Answer submits with ESME_RTHROTTLED. */
  readonly throttle?: true | FlowControlFault;
  /** Hold every submit response this long. */
  readonly responseDelayMs?: number;
  /** Swallow submits (never answer them): all, or every `everyNth`. */
  readonly noResponse?: true | { readonly everyNth: number };
  /**
   * After `submits` submits on a connection, the next one is left unanswered and the connection is
   * closed (`close`, a FIN after the answers already queued) or reset (`reset`, an RST). `times`
   * connections are dropped, then the fault clears itself; default: every connection until cleared.
   */
  readonly dropAfter?: { readonly submits: number; readonly mode?: 'close' | 'reset'; readonly times?: number };
  /** Refuse every bind with this status. */
  readonly bindFailure?: number;
  /** On a wrong system_id or password, close the socket without a bind response (EngageLab). */
  readonly silentCloseOnBadCredentials?: boolean;
  /**
   * Write garbage to clients: `true` now to every session, or once after the `afterSubmits`th submit
   * to the session that sent it. Default bytes: a frame whose command_length (8) is shorter than a header.
   */
  readonly garbage?: true | { readonly afterSubmits?: number; readonly bytes?: Uint8Array };
  /** Send `unbind` to every bound session now (an action; not kept as state). */
  readonly serverUnbind?: true;
  /** Send `enquire_link` to every bound session now (`true`) or every `everyMs` until cleared. */
  readonly serverEnquireLink?: true | { readonly everyMs: number };
  /** Stop reading the sockets (`socket.pause()`): the clients' writes back up. */
  readonly stopReading?: boolean;
  /** Never answer `enquire_link`: the client must take the server for dead. */
  readonly ignoreEnquireLink?: boolean;
  /** Accept connections, read every PDU, answer none (not even the bind): a black hole. */
  readonly blackHole?: boolean;
  /**
   * Answer submits with `generic_nack` instead of `submit_sm_resp`: all (`true`) or every `everyNth`.
   * `withoutSequence` sends sequence_number 0, as a server that could not read the header would.
   * Default status ESME_RSYSERR.
   */
  readonly genericNack?:
    | true
    | { readonly everyNth?: number; readonly status?: number; readonly withoutSequence?: boolean };
  /** Neither answer the client's `unbind` nor close: the client must close on its own deadline. */
  readonly ignoreUnbind?: boolean;
  /** Send a `deliver_sm` (an MO) before each bind response: the client gets it while still binding. */
  readonly deliverBeforeBind?: boolean;
}

export type FaultName = keyof SimulatorFaults;

/** The run-time switch of faults, as `sim.faults`. */
export interface FaultSwitch {
  /** Adds or replaces the given faults (their counters restart); runs the action faults now. */
  set(faults: SimulatorFaults): void;
  /** Removes the named faults, or every fault when none is named. */
  clear(...names: FaultName[]): void;
  /** The faults in force. */
  readonly active: SimulatorFaults;
}

/**
 * What the faults say about one submit: nothing (`undefined`), a status, swallow it, answer
 * `generic_nack` (`nack`, see {@link FaultController.genericNack}), or drop the connection.
 */
export type SubmitFault = undefined | number | 'swallow' | 'nack' | 'close' | 'reset';

/** What the fault switch asks of the simulator. */
export interface FaultActions {
  unbindAll(): void;
  enquireLinkAll(): void;
  writeToAll(bytes: Uint8Array): void;
  setReading(reading: boolean): void;
}

/** command_length 8 cannot hold the 16-byte header: every reader must refuse it. */
export const DEFAULT_GARBAGE: Uint8Array = Uint8Array.of(0x00, 0x00, 0x00, 0x08, 0xde, 0xad, 0xbe, 0xef);

interface FlowState {
  readonly status: number;
  remaining: number;
  readonly until: number;
}

interface EveryNth {
  readonly n: number;
  seen: number;
}

interface DropState {
  readonly submits: number;
  readonly mode: 'close' | 'reset';
  dropsLeft: number;
  readonly perConnection: WeakMap<object, number>;
}

interface GarbageState {
  readonly after: number;
  readonly bytes: Uint8Array;
  seen: number;
}

/** Keeps the faults in force and decides, per submit, what they do. */
export class FaultController implements FaultSwitch {
  readonly #actions: FaultActions;
  #active: SimulatorFaults = {};
  #rejectEveryNth: (EveryNth & { readonly status: number }) | undefined;
  #queueFull: FlowState | undefined;
  #throttle: FlowState | undefined;
  #noResponse: EveryNth | undefined;
  #drop: DropState | undefined;
  #garbage: GarbageState | undefined;
  #genericNack: (EveryNth & { readonly status: number; readonly sequence: 'request' | 'zero' }) | undefined;
  #enquireTimer: NodeJS.Timeout | undefined;

  constructor(actions: FaultActions, initial: SimulatorFaults = {}) {
    this.#actions = actions;
    this.set(initial);
  }

  get active(): SimulatorFaults {
    return this.#active;
  }

  get responseDelayMs(): number {
    return this.#active.responseDelayMs ?? 0;
  }

  get bindFailure(): number | undefined {
    return this.#active.bindFailure;
  }

  get silentCloseOnBadCredentials(): boolean {
    return this.#active.silentCloseOnBadCredentials ?? false;
  }

  get ignoreEnquireLink(): boolean {
    return this.#active.ignoreEnquireLink ?? false;
  }

  get blackHole(): boolean {
    return this.#active.blackHole ?? false;
  }

  get ignoreUnbind(): boolean {
    return this.#active.ignoreUnbind ?? false;
  }

  get deliverBeforeBind(): boolean {
    return this.#active.deliverBeforeBind ?? false;
  }

  /** The status and sequence_number of the `generic_nack` a `nack` submit fault answers. */
  get genericNack(): { readonly status: number; readonly sequence: 'request' | 'zero' } {
    return this.#genericNack ?? { status: CommandStatus.ESME_RSYSERR, sequence: 'request' };
  }

  get reading(): boolean {
    return !(this.#active.stopReading ?? false);
  }

  set(faults: SimulatorFaults): void {
    validateFaults(faults);
    const { serverUnbind, serverEnquireLink, garbage, ...kept } = faults;
    const next: Record<string, unknown> = { ...this.#active, ...kept };
    const now = Date.now();

    if (faults.rejectEveryNth) this.#rejectEveryNth = { ...faults.rejectEveryNth, seen: 0 };
    if (faults.queueFull) this.#queueFull = flowState(faults.queueFull, CommandStatus.ESME_RMSGQFUL, now);
    if (faults.throttle) this.#throttle = flowState(faults.throttle, CommandStatus.ESME_RTHROTTLED, now);
    if (faults.noResponse)
      this.#noResponse = { n: faults.noResponse === true ? 1 : faults.noResponse.everyNth, seen: 0 };
    if (faults.genericNack) {
      const options = faults.genericNack === true ? {} : faults.genericNack;
      this.#genericNack = {
        n: options.everyNth ?? 1,
        seen: 0,
        status: options.status ?? CommandStatus.ESME_RSYSERR,
        sequence: options.withoutSequence === true ? 'zero' : 'request',
      };
    }
    if (faults.dropAfter) {
      const { submits, mode = 'close', times = Number.POSITIVE_INFINITY } = faults.dropAfter;
      this.#drop = { submits, mode, dropsLeft: times, perConnection: new WeakMap() };
    }
    if (garbage !== undefined && garbage !== true && garbage.afterSubmits !== undefined) {
      this.#garbage = { after: garbage.afterSubmits, bytes: garbage.bytes ?? DEFAULT_GARBAGE, seen: 0 };
      next.garbage = garbage;
    }
    if (serverEnquireLink !== undefined && serverEnquireLink !== true) {
      this.#startEnquireLinks(serverEnquireLink.everyMs);
      next.serverEnquireLink = serverEnquireLink;
    }
    const readingBefore = this.reading;
    this.#active = next as SimulatorFaults;

    if (this.reading !== readingBefore) this.#actions.setReading(this.reading);
    if (serverUnbind) this.#actions.unbindAll();
    if (serverEnquireLink === true) this.#actions.enquireLinkAll();
    if (garbage === true || (garbage !== undefined && garbage.afterSubmits === undefined)) {
      this.#actions.writeToAll(garbage === true ? DEFAULT_GARBAGE : (garbage.bytes ?? DEFAULT_GARBAGE));
    }
  }

  clear(...names: FaultName[]): void {
    const readingBefore = this.reading;
    const all = names.length === 0;
    const next: Record<string, unknown> = { ...this.#active };
    for (const name of all ? (Object.keys(next) as FaultName[]) : names) {
      delete next[name];
      this.#forget(name);
    }
    this.#active = next as SimulatorFaults;
    if (this.reading !== readingBefore) this.#actions.setReading(this.reading);
  }

  /** Decides one submit from `connection` (any object identifying the connection). */
  onSubmit(connection: object): SubmitFault {
    const drop = this.#drop;
    if (drop !== undefined) {
      const count = (drop.perConnection.get(connection) ?? 0) + 1;
      drop.perConnection.set(connection, count);
      if (count > drop.submits) {
        if (--drop.dropsLeft <= 0) this.clear('dropAfter');
        return drop.mode;
      }
    }
    const nack = this.#genericNack;
    if (nack !== undefined && ++nack.seen % nack.n === 0) return 'nack';
    const noResponse = this.#noResponse;
    if (noResponse !== undefined && ++noResponse.seen % noResponse.n === 0) return 'swallow';
    if (this.#queueFull !== undefined) {
      const status = this.#takeFlow(this.#queueFull, 'queueFull');
      if (status !== undefined) return status;
    }
    if (this.#throttle !== undefined) {
      const status = this.#takeFlow(this.#throttle, 'throttle');
      if (status !== undefined) return status;
    }
    const reject = this.#rejectEveryNth;
    if (reject !== undefined && ++reject.seen % reject.n === 0) return reject.status;
    return undefined;
  }

  /** Garbage to write after answering a submit, once `garbage.afterSubmits` submits were seen. */
  garbageAfterSubmit(): Uint8Array | undefined {
    const garbage = this.#garbage;
    if (garbage === undefined || ++garbage.seen < garbage.after) return undefined;
    this.clear('garbage');
    return garbage.bytes;
  }

  /** Stops the timers; the controller is done. */
  dispose(): void {
    this.#stopEnquireLinks();
  }

  #takeFlow(state: FlowState, name: 'queueFull' | 'throttle'): number | undefined {
    if (state.remaining <= 0 || (state.until !== Number.POSITIVE_INFINITY && Date.now() >= state.until)) {
      this.clear(name);
      return undefined;
    }
    state.remaining--;
    return state.status;
  }

  #forget(name: FaultName): void {
    switch (name) {
      case 'rejectEveryNth':
        this.#rejectEveryNth = undefined;
        break;
      case 'queueFull':
        this.#queueFull = undefined;
        break;
      case 'throttle':
        this.#throttle = undefined;
        break;
      case 'noResponse':
        this.#noResponse = undefined;
        break;
      case 'dropAfter':
        this.#drop = undefined;
        break;
      case 'garbage':
        this.#garbage = undefined;
        break;
      case 'genericNack':
        this.#genericNack = undefined;
        break;
      case 'serverEnquireLink':
        this.#stopEnquireLinks();
        break;
      default:
        break;
    }
  }

  #startEnquireLinks(everyMs: number): void {
    this.#stopEnquireLinks();
    this.#enquireTimer = setInterval(this.#actions.enquireLinkAll, everyMs);
    this.#enquireTimer.unref();
  }

  #stopEnquireLinks(): void {
    if (this.#enquireTimer !== undefined) clearInterval(this.#enquireTimer);
    this.#enquireTimer = undefined;
  }
}

function flowState(fault: true | FlowControlFault, status: number, now: number): FlowState {
  const options = fault === true ? {} : fault;
  return {
    status,
    remaining: options.submits ?? Number.POSITIVE_INFINITY,
    until: options.durationMs === undefined ? Number.POSITIVE_INFINITY : now + options.durationMs,
  };
}

function validateFaults(faults: SimulatorFaults): void {
  const problems: string[] = [];
  const positive = (value: number | undefined, name: string): void => {
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      problems.push(`${name} must be a positive integer`);
  };
  const notNegative = (value: number | undefined, name: string): void => {
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) problems.push(`${name} must be a number >= 0`);
  };
  positive(faults.rejectEveryNth?.n, 'rejectEveryNth.n');
  if (faults.noResponse !== undefined && faults.noResponse !== true)
    positive(faults.noResponse.everyNth, 'noResponse.everyNth');
  notNegative(faults.responseDelayMs, 'responseDelayMs');
  notNegative(faults.dropAfter?.submits, 'dropAfter.submits');
  positive(faults.dropAfter?.times, 'dropAfter.times');
  for (const name of ['queueFull', 'throttle'] as const) {
    const fault = faults[name];
    if (fault !== undefined && fault !== true) {
      notNegative(fault.submits, `${name}.submits`);
      notNegative(fault.durationMs, `${name}.durationMs`);
    }
  }
  if (faults.genericNack !== undefined && faults.genericNack !== true)
    positive(faults.genericNack.everyNth, 'genericNack.everyNth');
  if (faults.garbage !== undefined && faults.garbage !== true)
    positive(faults.garbage.afterSubmits, 'garbage.afterSubmits');
  if (faults.serverEnquireLink !== undefined && faults.serverEnquireLink !== true) {
    positive(faults.serverEnquireLink.everyMs, 'serverEnquireLink.everyMs');
  }
  if (problems.length > 0) {
    throw new TidingsError(ErrorCode.InvalidOptions, `Invalid simulator faults: ${problems.join('; ')}.`, {
      details: { problems },
    });
  }
}
