/** A cancellable timer returned by {@link Clock.setTimeout}. */
export interface Timer {
  cancel(): void;
}

/** Time as the runtime sees it. Injected so tests and simulations can drive time themselves. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Runs `callback` after `delayMs`. A `weak` timer does not keep the process alive on its own
   * (used for long deadlines such as receipt timeouts).
   */
  setTimeout(callback: () => void, delayMs: number, options?: { readonly weak?: boolean }): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, delayMs, options) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    if (options?.weak) handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
