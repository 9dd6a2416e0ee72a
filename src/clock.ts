/** A timer a `Clock` started, to cancel it by. */
export type Timer = { readonly timer: unique symbol } | ReturnType<typeof setTimeout>;

/**
 * Time as the code that waits sees it: pollers, retries' deadlines, leases and the circuit
 * breaker take one, so their tests run on fake timers and count exactly.
 */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Calls `callback` once, `ms` from now. */
  setTimeout(callback: () => void, ms: number): Timer;
  clearTimeout(timer: Timer | undefined): void;
}

/**
 * The process's own time. Each call goes to the global timers as they are at that moment, so
 * `vi.useFakeTimers()` drives code given this clock too.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout> | undefined),
};
