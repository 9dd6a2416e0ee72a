import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IRetryBackoffContext,
  type RetryPolicy,
} from 'cockatiel';
import { systemClock, type Clock } from '../clock.js';
import { isApiError, type ApiError } from '../errors.js';
import type { CallTrace } from '../telemetry/tracing-hooks.js';
import { Abort } from './abort.js';
import { cancelledError, unavailableError } from './errors.js';

export interface PolicyOptions {
  /** The provider's name as errors show it. */
  provider: string;
  /** Total deadline of one call, every attempt and wait included. */
  timeoutMs: number;
  /** Default 2: retries after the first attempt (connection errors, 502, 503, 504, 429). */
  retries?: number;
  /** Default 5: consecutive failed calls (5xx, connection, timeout) that open the circuit. */
  breakerThreshold?: number;
  /** Default 10000: how long an open circuit fails fast before one probe call is let through. */
  breakerCooldownMs?: number;
  /** Default the system's: the clock deadlines, backoff and the breaker's cool-down run on. */
  clock?: Clock;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

const RETRY_STATUSES = new Set([502, 503, 504, 429]);
/** The answers that say a stop was not acted on: only these are sent again. */
const STOP_RETRY_STATUSES = new Set([503, 429]);

/** A failure worth another attempt, with when this call's deadline runs out. */
class RetryableFailure extends Error {
  constructor(
    readonly error: ApiError,
    readonly deadlineAt: number,
  ) {
    super(error.message);
  }
}

/**
 * One provider's call policy: a total deadline, retries with jittered exponential backoff that
 * honour `Retry-After` and never wait past the deadline, and a circuit breaker that fails fast
 * with `UPSTREAM_UNAVAILABLE` while the provider keeps failing, then probes it and recovers.
 * Retry, backoff and breaker are cockatiel's; which failures count is decided here.
 */
export class CallPolicy {
  private readonly provider: string;
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly retryPolicy: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly clock: Clock;
  private openedAt = 0;

  constructor(options: PolicyOptions) {
    this.provider = options.provider;
    const clock = options.clock ?? systemClock;
    this.clock = clock;
    this.timeoutMs = options.timeoutMs;
    this.cooldownMs = options.breakerCooldownMs ?? 10_000;
    const jitter = new ExponentialBackoff({ initialDelay: 50, maxDelay: 2_000 });
    this.retryPolicy = retry(
      handleWhen((error) => error instanceof RetryableFailure),
      {
        maxAttempts: options.retries ?? 2,
        backoff: new DelegateBackoff<IRetryBackoffContext<unknown>, IBackoff<unknown> | undefined>(
          (context, previous) => {
            const next = previous ? previous.next(context) : jitter.next();
            const failure = 'error' in context.result ? context.result.error : undefined;
            if (!(failure instanceof RetryableFailure))
              return { delay: next.duration, state: next };
            const wanted = Math.max(next.duration, failure.error.upstream?.retryAfterMs ?? 0);
            const left = Math.max(0, failure.deadlineAt - clock.now());
            return { delay: Math.min(wanted, left), state: next };
          },
        ),
      },
    );
    this.breaker = circuitBreaker(handleWhen(isOutage), {
      halfOpenAfter: this.cooldownMs,
      breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
    });
    this.breaker.onBreak(() => {
      this.openedAt = clock.now();
    });
  }

  get state(): BreakerState {
    switch (this.breaker.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  /**
   * Runs `attempt` under the policy. `attempt` gets the call's abort, which fires at the deadline
   * (`timeout`) or when `cancel` does (`cancelled`). A call that `acts` (a stop) is tried again
   * only after a 429 or 503, when the provider did not act; a read also after connection errors,
   * 502 and 504. With tracing on, `trace` is the call's: each attempt's span goes there.
   */
  async run<T>(
    attempt: (abort: Abort) => Promise<T>,
    cancel?: Abort,
    call: 'read' | 'stop' = 'read',
    trace?: CallTrace,
  ): Promise<T> {
    const abort = new Abort();
    const { clock } = this;
    const timer = clock.setTimeout(() => abort.abort('timeout'), this.timeoutMs);
    // The client went away: the call ends now, even while it waits to retry.
    let leave: ((error: unknown) => void) | undefined;
    const unlink = cancel?.listen(() => {
      abort.abort('cancelled');
      leave?.(cancelledError(this.provider));
    });
    const deadlineAt = clock.now() + this.timeoutMs;
    let attempts = 0;
    const once = () =>
      attempt(abort).catch((error: unknown) => {
        throw retryable(error, deadlineAt - clock.now(), call)
          ? new RetryableFailure(error, deadlineAt)
          : error;
      });
    const execution = this.breaker.execute(() =>
      this.retryPolicy.execute(() => {
        // A retry whose wait outlived its request makes no call.
        if (abort.reason === 'cancelled') return Promise.reject(cancelledError(this.provider));
        attempts += 1;
        if (trace) abort.trace = { ...trace, attempt: attempts };
        return once();
      }),
    );
    try {
      return await new Promise<T>((resolve, reject) => {
        leave = reject;
        execution.then(resolve, reject);
      });
    } catch (error) {
      if (error instanceof RetryableFailure) throw error.error;
      if (error instanceof BrokenCircuitError) {
        const left = this.openedAt + this.cooldownMs - clock.now();
        throw unavailableError(this.provider, Math.max(1, Math.ceil(left / 1000)));
      }
      throw error;
    } finally {
      clock.clearTimeout(timer);
      unlink?.();
    }
  }
}

/**
 * Connection errors and 502/503/504/429 for a read, only 429/503 for a stop, when the provider's
 * Retry-After still fits the `leftMs` before the deadline.
 */
function retryable(error: unknown, leftMs: number, call: 'read' | 'stop'): error is ApiError {
  if (!isApiError(error) || !error.upstream) return false;
  const { kind, status, retryAfterMs } = error.upstream;
  const statuses = call === 'stop' ? STOP_RETRY_STATUSES : RETRY_STATUSES;
  if (kind === 'connection') return call === 'read';
  if (kind !== 'status' || status === undefined || !statuses.has(status)) return false;
  return retryAfterMs === undefined || retryAfterMs < leftMs;
}

/** What says the provider is down: 5xx, connection failures and timeouts, after retries. */
function isOutage(error: unknown): boolean {
  const failure =
    error instanceof RetryableFailure
      ? error.error.upstream
      : isApiError(error)
        ? error.upstream
        : undefined;
  if (!failure) return false;
  return (
    failure.kind === 'connection' ||
    failure.kind === 'timeout' ||
    (failure.kind === 'status' && (failure.status ?? 0) >= 500)
  );
}
