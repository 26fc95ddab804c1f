/** Counters since the simulator started. */
export interface SimulatorStats {
  readonly connections: number;
  readonly binds: number;
  readonly bindsRefused: number;
  /** submit_sm and data_sm received from bound sessions. */
  readonly submits: number;
  /** submit_sm_resp / data_sm_resp sent, by command_status. */
  readonly submitResponses: ReadonlyMap<number, number>;
  /** Receipt deliver_sm written (a duplicate counts twice). */
  readonly receiptsSent: number;
  /** MO messages whose every part the client answered. */
  readonly moSent: number;
  readonly queries: number;
  /** enquire_link received. */
  readonly enquireLinks: number;
  /** Corrupt streams and undecodable frames. */
  readonly protocolErrors: number;
}

/** The live counters behind `sim.stats`. */
export class StatsCounter {
  connections = 0;
  binds = 0;
  bindsRefused = 0;
  submits = 0;
  receiptsSent = 0;
  moSent = 0;
  queries = 0;
  enquireLinks = 0;
  protocolErrors = 0;
  readonly #submitResponses = new Map<number, number>();

  countSubmitResponse(status: number): void {
    this.#submitResponses.set(status, (this.#submitResponses.get(status) ?? 0) + 1);
  }

  snapshot(): SimulatorStats {
    return {
      connections: this.connections,
      binds: this.binds,
      bindsRefused: this.bindsRefused,
      submits: this.submits,
      submitResponses: new Map(this.#submitResponses),
      receiptsSent: this.receiptsSent,
      moSent: this.moSent,
      queries: this.queries,
      enquireLinks: this.enquireLinks,
      protocolErrors: this.protocolErrors,
    };
  }
}
