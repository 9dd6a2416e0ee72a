import type { AttemptTrace } from '../telemetry/tracing-hooks.js';

/** Why a call ended early: its deadline passed, or the request that wanted it went away. */
export type AbortReason = 'timeout' | 'cancelled';

/**
 * Ends upstream calls early. One per GraphQL request (its client went away) and one per call
 * (deadline, or the request's). A callback list rather than an `AbortController`: creating
 * those and their listeners on every request and call cost measurably (bench/RESULTS.md).
 */
export class Abort {
  /**
   * With tracing on, the trace of the call this abort ends and the attempt it is on, set by the
   * call's policy before each attempt: the upstream call's span goes there.
   */
  trace: AttemptTrace | undefined;
  private current: AbortReason | undefined;
  private listeners: Set<(reason: AbortReason) => void> | undefined;

  /** An abort that fires with `timeout` after `ms`, for calls no request owns. */
  static timeout(ms: number): Abort {
    const abort = new Abort();
    setTimeout(() => abort.abort('timeout'), ms).unref();
    return abort;
  }

  /** Undefined until aborted; then the first reason given. */
  get reason(): AbortReason | undefined {
    return this.current;
  }

  /** Calls `listener` once when aborted (at once if already); returns what stops it. */
  listen(listener: (reason: AbortReason) => void): () => void {
    if (this.current) {
      listener(this.current);
      return noop;
    }
    this.listeners ??= new Set();
    this.listeners.add(listener);
    return () => this.listeners?.delete(listener);
  }

  abort(reason: AbortReason): void {
    if (this.current) return;
    this.current = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    listeners?.forEach((listener) => listener(reason));
  }
}

function noop(): void {}
