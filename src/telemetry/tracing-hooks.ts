/** What the request span says of its request (the record step's log line says it too). */
export interface RecordedRequest {
  requestId: string;
  operationName: string | null | undefined;
  upstreamCalls: number;
  /** Executions taken from the cache instead of their provider. */
  cachedExecutions: number;
}

/** The trace of one GraphQL request, as the loaders keep it; what it holds is `./tracing.ts`'s. */
export interface RequestTrace {
  readonly requestTrace: unique symbol;
}

/** One HTTP call to a provider, traced. */
export interface UpstreamSpan {
  /** Ends the span with the answer's status, or without one and what failed (e.g. `timeout`). */
  end(status: number | undefined, failure?: string): void;
}

/**
 * What the traced code asks of tracing. This module imports nothing of OpenTelemetry: with
 * `OTEL_EXPORTER_OTLP_ENDPOINT` unset `tracing` stays undefined, every call site skips it with one
 * check, and no OpenTelemetry module is ever loaded. `./tracing.ts` sets it when tracing starts.
 */
export interface TracingHooks {
  /**
   * The trace of the request being served now (its HTTP server span, or the WebSocket operation
   * span `run` runs in), else undefined: outside a request, or for a request that is not sampled
   * and came with no trace of its caller's (nothing to continue, nothing to record).
   */
  requestTrace(): RequestTrace | undefined;
  /**
   * Starts the span of one operation that came in other than as an HTTP request (over
   * WebSocket), continuing the trace its `traceparent` (and `tracestate`) header names, if any;
   * `end` ends it. Undefined when it is not sampled and continues no trace.
   */
  operation(
    transport: string,
    header: (name: string) => string | undefined,
  ): RequestTrace | undefined;
  /** Runs `call` in `trace`: graphql-js's steps and the loaders it makes are then its children. */
  run<T>(trace: RequestTrace, call: () => T): T;
  /**
   * Keeps the span of the HTTP request being served open after its answer, until `end`: a
   * callback subscription's request span is its operation's, and ends with it.
   */
  hold(): void;
  /** Ends the span of `trace` started by `operation` or kept open by `hold`; else nothing. */
  end(trace: RequestTrace): void;
  /**
   * Runs `call` in the request's trace, so the upstream calls it makes are children of the
   * request span whatever resolver or batch started them; `cacheMissed` marks them as calls the
   * cache could not answer.
   */
  within<T>(trace: RequestTrace, cacheMissed: boolean, call: () => T): T;
  /**
   * Runs `call` outside any trace: for work a request starts that outlives it (a poller's
   * timers, callback messages), which would otherwise stay in that request's trace.
   */
  detached<T>(call: () => T): T;
  /** Runs attempt `attempt` (1 first) of a call under its policy: its span says which it is. */
  attempt<T>(attempt: number, call: () => T): T;
  /** One span per execution the cache answered instead of `provider`, since `startedAt` (ms). */
  cacheHits(
    trace: RequestTrace,
    provider: string,
    tiers: readonly string[],
    startedAt: number,
  ): void;
  /**
   * Starts the span of one HTTP call to `provider` inside a request's trace and adds the trace
   * context (`traceparent`) to `headers`; undefined outside a request (a live-status poll).
   */
  upstream(
    provider: string,
    method: string,
    origin: URL,
    headers: Record<string, string>,
  ): UpstreamSpan | undefined;
  /** The request span's operation name, error codes (as the log line has them) and counts. */
  record(record: RecordedRequest, errorCodes: readonly string[]): void;
  /** `trace_id` and `span_id` of the active span, for log lines; empty outside a trace. */
  logFields(): Record<string, string>;
}

/** Undefined unless tracing is on. */
export let tracing: TracingHooks | undefined;

/** Called once by `./tracing.ts` as tracing starts. */
export function installTracing(hooks: TracingHooks): void {
  tracing = hooks;
}
