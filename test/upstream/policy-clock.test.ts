import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { ApiError, isApiError } from '../../src/errors.js';
import { Abort } from '../../src/upstream/abort.js';
import { connectionError, errorFromResponse, timeoutError } from '../../src/upstream/errors.js';
import { CallPolicy, type PolicyOptions } from '../../src/upstream/policy.js';

// The call policy on fake timers: `systemClock` (the deadline, the backoff budget, the breaker's
// cool-down) and cockatiel's own retry delay and breaker (global setTimeout and Date) all run on
// vitest's fake time, so every count and every instant below is exact. The end-to-end tests over
// HTTP and the simulators are in policy.test.ts.

const P = 'PROVIDER';
const START = 1_700_000_000_000;

beforeEach(() => void vi.useFakeTimers({ now: START }));
afterEach(() => void vi.useRealTimers());

/** Milliseconds of fake time since the test began. */
const elapsed = () => Date.now() - START;

function policy(options: Partial<PolicyOptions> = {}): CallPolicy {
  return new CallPolicy({ provider: P, timeoutMs: 10_000, clock: systemClock, ...options });
}

/** The provider's answer to an HTTP status, as the upstream client builds it (Retry-After in s). */
function status(code: number, retryAfterSeconds?: number): ApiError {
  const headers =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return errorFromResponse(P, code, headers, '', 'such execution');
}

const refused = () => connectionError(P, { code: 'ECONNREFUSED' });

/**
 * An attempt function standing for the provider: `answer(n, abort)` says what attempt `n` (from
 * 1) does: a value, an error to throw, or a promise. `at` holds each attempt's start, in ms.
 */
function upstream(answer: (n: number, abort: Abort) => unknown) {
  const at: number[] = [];
  const aborts: Abort[] = [];
  const attempt = async (abort: Abort): Promise<unknown> => {
    at.push(elapsed());
    aborts.push(abort);
    const result = await answer(at.length, abort);
    if (result instanceof Error) throw result;
    return result;
  };
  return { attempt, at, aborts };
}

/** An attempt that never answers: it ends only when its abort fires, as the upstream client does. */
function hang(abort: Abort, timeoutMs: number): Promise<never> {
  return new Promise((_, reject) => abort.listen(() => reject(timeoutError(P, timeoutMs))));
}

/** A promise's outcome, as it stands, and when (ms of fake time) it settled. */
function watch<T>(promise: Promise<T>) {
  const outcome: { settled: boolean; at?: number; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { settled: true, at: elapsed(), value }),
    (error: unknown) => Object.assign(outcome, { settled: true, at: elapsed(), error }),
  );
  return outcome;
}

const codeOf = (error: unknown) => (isApiError(error) ? error.extensions.code : String(error));

describe('retries', () => {
  it.each([
    [0, 1],
    [1, 2],
    [2, 3],
    [4, 5],
  ])(
    'tries a read again after connection errors: retries %i, %i attempts, then the error',
    async (retries, attempts) => {
      const up = upstream(() => refused());
      const call = watch(policy({ retries }).run(up.attempt));
      // Each wait is at most cockatiel's jitter cap (2 s), far inside the 10 s deadline.
      await vi.advanceTimersByTimeAsync(retries * 2_000);
      expect(call.settled).toBe(true);
      expect(call.error).toMatchObject({ upstream: { kind: 'connection' } });
      expect(up.at).toHaveLength(attempts);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(up.at).toHaveLength(attempts);
    },
  );

  it.each([
    [502, 'read', 3],
    [503, 'read', 3],
    [504, 'read', 3],
    [429, 'read', 3],
    [500, 'read', 1],
    [404, 'read', 1],
    [401, 'read', 1],
    [503, 'stop', 3],
    [429, 'stop', 3],
    [502, 'stop', 1],
    [504, 'stop', 1],
  ] as const)(
    'answers %i to a %s after exactly %i attempts (retries 2)',
    async (code, kind, attempts) => {
      const up = upstream(() => status(code));
      const call = watch(policy({ retries: 2 }).run(up.attempt, undefined, kind));
      await vi.advanceTimersByTimeAsync(4_000);
      expect(call.error).toMatchObject({ upstream: { kind: 'status', status: code } });
      expect(up.at).toHaveLength(attempts);
    },
  );

  it('does not try a stop again after a connection error: the provider may have acted', async () => {
    const up = upstream(() => refused());
    const call = watch(policy({ retries: 2 }).run(up.attempt, undefined, 'stop'));
    await vi.advanceTimersByTimeAsync(0);
    expect(call.error).toMatchObject({ upstream: { kind: 'connection' } });
    expect(up.at).toEqual([0]);
  });

  it("waits out a 429's Retry-After when it fits the deadline: the second attempt at exactly 1000 ms answers", async () => {
    const up = upstream((n) => (n === 1 ? status(429, 1) : 'answer'));
    const call = watch(policy({ timeoutMs: 3_000, retries: 2 }).run(up.attempt));
    await vi.advanceTimersByTimeAsync(999);
    expect(up.at).toEqual([0]);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(up.at).toEqual([0, 1_000]);
    expect(call).toEqual({ settled: true, at: 1_000, value: 'answer' });
  });

  it('tries a 503 with Retry-After 1 s three times, at exactly 0, 1000 and 2000 ms, then answers its error', async () => {
    const up = upstream(() => status(503, 1));
    const call = watch(policy({ timeoutMs: 5_000, retries: 2 }).run(up.attempt));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(up.at).toEqual([0, 1_000]);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(up.at).toEqual([0, 1_000, 2_000]);
    expect(call.at).toBe(2_000);
    expect(call.error).toMatchObject({
      extensions: { code: 'UPSTREAM_ERROR', provider: P, status: 503 },
      upstream: { retryAfterMs: 1_000 },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(up.at).toHaveLength(3);
  });

  it('answers UPSTREAM_RATE_LIMITED at once when Retry-After is past the deadline: 1 attempt', async () => {
    const up = upstream(() => status(429, 30));
    const call = watch(policy({ timeoutMs: 3_000, retries: 2 }).run(up.attempt));
    await vi.advanceTimersByTimeAsync(0);
    expect(call.at).toBe(0);
    expect(call.error).toMatchObject({
      extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: P, retryAfterSeconds: 30 },
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(up.at).toEqual([0]);
  });

  it('stops retrying once Retry-After no longer fits what is left of the deadline: attempts at 0 and 2000 ms', async () => {
    // 2 s fit in the 3 s at first; after the first wait only 1 s is left.
    const up = upstream(() => status(503, 2));
    const call = watch(policy({ timeoutMs: 3_000, retries: 5 }).run(up.attempt));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(up.at).toEqual([0, 2_000]);
    expect(call.at).toBe(2_000);
    expect(call.error).toMatchObject({ upstream: { kind: 'status', status: 503 } });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(up.at).toHaveLength(2);
  });
});

describe('deadline', () => {
  it('ends a hanging attempt with UPSTREAM_TIMEOUT at exactly timeoutMs, and does not retry it', async () => {
    const up = upstream((_, abort) => hang(abort, 400));
    const call = watch(policy({ timeoutMs: 400, retries: 2 }).run(up.attempt));
    await vi.advanceTimersByTimeAsync(399);
    expect(call.settled).toBe(false);
    expect(up.aborts[0]!.reason).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(call.at).toBe(400);
    expect(call.error).toMatchObject({
      extensions: { code: 'UPSTREAM_TIMEOUT', provider: P },
      upstream: { kind: 'timeout' },
    });
    expect(up.aborts[0]!.reason).toBe('timeout');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(up.at).toEqual([0]);
  });

  it('counts every attempt and wait: a retry after a 1 s Retry-After that hangs ends at exactly 1500 ms', async () => {
    const up = upstream((n, abort) => (n === 1 ? status(503, 1) : hang(abort, 1_500)));
    const call = watch(policy({ timeoutMs: 1_500, retries: 2 }).run(up.attempt));
    await vi.advanceTimersByTimeAsync(1_499);
    expect(up.at).toEqual([0, 1_000]);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.at).toBe(1_500);
    expect(codeOf(call.error)).toBe('UPSTREAM_TIMEOUT');
    expect(up.at).toHaveLength(2);
  });
});

describe('a client that goes away', () => {
  it("cuts a retry's wait short at exactly that moment, and no attempt follows", async () => {
    const cancel = new Abort();
    const once = upstream(
      () =>
        new ApiError(
          'busy',
          { code: 'UPSTREAM_ERROR', provider: P, status: 503 },
          { kind: 'status', status: 503, retryAfterMs: 1_500 },
        ),
    );
    const call = watch(policy({ timeoutMs: 5_000, retries: 2 }).run(once.attempt, cancel));
    setTimeout(() => cancel.abort('cancelled'), 100);
    await vi.advanceTimersByTimeAsync(99);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.at).toBe(100);
    expect(call.error).toMatchObject({ upstream: { kind: 'cancelled' } });
    expect(once.aborts[0]!.reason).toBe('cancelled');
    // The retry was due 1.5 s after the first attempt.
    await vi.advanceTimersByTimeAsync(1_600);
    expect(once.at).toEqual([0]);
  });
});

describe('circuit breaker', () => {
  // Each call tried three times, 1 s apart (Retry-After 1): a call takes exactly 2 s.
  const options = { timeoutMs: 5_000, retries: 2, breakerThreshold: 3, breakerCooldownMs: 10_000 };

  /** Three calls answered 503 every time: the circuit opens at exactly 6000 ms. */
  async function open(breaker: CallPolicy, attempt: (abort: Abort) => Promise<unknown>) {
    for (let call = 1; call <= 3; call++) {
      const outcome = watch(breaker.run(attempt));
      await vi.advanceTimersByTimeAsync(2_000);
      expect(outcome.error).toMatchObject({
        extensions: { code: 'UPSTREAM_ERROR', status: 503 },
      });
      expect(breaker.state).toBe(call < 3 ? 'closed' : 'open');
    }
    expect(elapsed()).toBe(6_000);
  }

  it('opens after breakerThreshold failed calls: 3 calls × 3 attempts = 9 attempts', async () => {
    const breaker = policy(options);
    const up = upstream(() => status(503, 1));
    await open(breaker, up.attempt);
    expect(up.at).toEqual([0, 1_000, 2_000, 2_000, 3_000, 4_000, 4_000, 5_000, 6_000]);
  });

  it('fails fast while open, with retryAfterSeconds counted down on the clock, and makes no attempt', async () => {
    const breaker = policy(options);
    const up = upstream(() => status(503, 1));
    await open(breaker, up.attempt);
    const fastFail = async () => {
      const outcome = watch(breaker.run(up.attempt));
      await vi.advanceTimersByTimeAsync(0);
      expect(outcome.at).toBe(elapsed());
      return outcome.error;
    };
    // Opened at 6000 ms, for 10 s: whole seconds left, rounded up.
    const expected: Array<[number, number]> = [
      [0, 10],
      [2_500, 8],
      [8_999, 2],
      [9_000, 1],
      [9_999, 1],
    ];
    for (const [since, seconds] of expected) {
      await vi.advanceTimersByTimeAsync(6_000 + since - elapsed());
      expect(await fastFail()).toMatchObject({
        extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: P, retryAfterSeconds: seconds },
      });
      expect(breaker.state).toBe('open');
    }
    expect(up.at).toHaveLength(9);
  });

  it('lets exactly one probe through after breakerCooldownMs, and closes when it answers', async () => {
    const breaker = policy(options);
    let answer: ((value: string) => void) | undefined;
    const up = upstream((n) =>
      n <= 9 ? status(503, 1) : n === 10 ? new Promise((resolve) => (answer = resolve)) : 'later',
    );
    await open(breaker, up.attempt);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(elapsed()).toBe(16_000);
    expect(breaker.state).toBe('open');
    const probe = watch(breaker.run(up.attempt));
    const waiting = watch(breaker.run(up.attempt));
    await vi.advanceTimersByTimeAsync(0);
    // One call goes through; the other waits for its outcome instead of calling too.
    expect(up.at).toEqual([...up.at.slice(0, 9), 16_000]);
    expect(breaker.state).toBe('half-open');
    expect(probe.settled).toBe(false);
    expect(waiting.settled).toBe(false);
    answer!('probed');
    await vi.advanceTimersByTimeAsync(0);
    expect(probe.value).toBe('probed');
    expect(breaker.state).toBe('closed');
    expect(waiting.value).toBe('later');
    expect(up.at).toHaveLength(11);
    // Closed: each call goes through.
    const next = watch(breaker.run(up.attempt));
    await vi.advanceTimersByTimeAsync(0);
    expect(next.value).toBe('later');
    expect(up.at).toHaveLength(12);
  });

  it('opens again for another cool-down when the probe fails', async () => {
    const breaker = policy({ ...options, retries: 0, breakerThreshold: 2 });
    let failing = true;
    const up = upstream(() => (failing ? status(503) : 'answer'));
    for (let call = 0; call < 2; call++) {
      watch(breaker.run(up.attempt));
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(breaker.state).toBe('open');
    await vi.advanceTimersByTimeAsync(10_000);
    const probe = watch(breaker.run(up.attempt));
    await vi.advanceTimersByTimeAsync(0);
    // The probe is one call, and with retries 0 one attempt.
    expect(probe.error).toMatchObject({ extensions: { code: 'UPSTREAM_ERROR', status: 503 } });
    expect(up.at).toEqual([0, 0, 10_000]);
    expect(breaker.state).toBe('open');
    const fast = watch(breaker.run(up.attempt));
    await vi.advanceTimersByTimeAsync(0);
    expect(fast.error).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', retryAfterSeconds: 10 },
    });
    failing = false;
    await vi.advanceTimersByTimeAsync(9_999);
    expect(codeOf(await breaker.run(up.attempt).catch((e: unknown) => e))).toBe(
      'UPSTREAM_UNAVAILABLE',
    );
    await vi.advanceTimersByTimeAsync(1);
    await expect(breaker.run(up.attempt)).resolves.toBe('answer');
    expect(breaker.state).toBe('closed');
    expect(up.at).toEqual([0, 0, 10_000, 20_000]);
  });

  it('counts consecutive failed calls only: a success in between starts the count again', async () => {
    const breaker = policy({ ...options, retries: 0 });
    const answers = ['fail', 'fail', 'ok', 'fail', 'fail', 'ok', 'fail', 'fail', 'fail'];
    const up = upstream((n) => (answers[n - 1] === 'ok' ? 'answer' : status(500)));
    const states: string[] = [];
    for (let call = 0; call < answers.length; call++) {
      await breaker.run(up.attempt).catch(() => undefined);
      states.push(breaker.state);
    }
    expect(states).toEqual([...Array(8).fill('closed'), 'open']);
    expect(up.at).toHaveLength(9);
  });

  it('counts 5xx, connection failures and timeouts, not a 404, 401 or 429', async () => {
    const breaker = policy({ ...options, timeoutMs: 100, retries: 0, breakerThreshold: 2 });
    for (const error of [status(404), status(401), status(429, 30), status(429), status(404)]) {
      await breaker.run(async () => Promise.reject(error)).catch(() => undefined);
      await breaker.run(async () => Promise.reject(error)).catch(() => undefined);
      expect(breaker.state).toBe('closed');
    }
    const timedOut = watch(breaker.run((abort) => hang(abort, 100)));
    await vi.advanceTimersByTimeAsync(100);
    expect(codeOf(timedOut.error)).toBe('UPSTREAM_TIMEOUT');
    expect(breaker.state).toBe('closed');
    await breaker.run(async () => Promise.reject(refused())).catch(() => undefined);
    expect(breaker.state).toBe('open');
  });
});
