import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the request span says of its request (the record step's log line says it too). */
export interface RecordedRequest {
  requestId: string;
  operationName: string | null | undefined;
  upstreamCalls: number;
  /** Executions taken from the cache instead of their provider. */
  cachedExecutions: number;
}

/**
 * The trace of one GraphQL request or operation: its span, passed along explicitly (the
 * request's context, its loaders, each provider call's abort). What it holds is `./tracing.ts`'s.
 */
export interface RequestTrace {
  readonly requestTrace: unique symbol;
}

/** The trace a provider call is made in: its request's, and whether the cache was asked first. */
export interface CallTrace {
  readonly request: RequestTrace;
  readonly cacheMissed: boolean;
}

/** A provider call's trace at one attempt (1 first), as its call policy tries it. */
export interface AttemptTrace extends CallTrace {
  readonly attempt: number;
}

/** One HTTP call to a provider, traced. */
export interface UpstreamSpan {
  /** Ends the span with the answer's status, or without one and what failed (e.g. `timeout`). */
  end(status: number | undefined, failure?: string): void;
}

/** One of graphql-js's steps (parse, validate, execute, subscribe), traced. */
export interface StepSpan {
  /** Ends the span; `failed` marks it as an error (a document that does not parse or validate). */
  end(failed?: boolean): void;
}

/** The operation an execute or subscribe span is named after and describes. */
export interface StepOperation {
  /** `query`, `mutation` or `subscription`. */
  type: string;
  name: string | undefined;
  /** Its document's text, literal values masked. */
  source: string | undefined;
}

/** graphql-js's steps that get a span. */
export type GraphQLStep = 'parse' | 'validate' | 'execute' | 'subscribe';

/**
 * What the traced code asks of tracing. This module imports nothing of OpenTelemetry: with
 * `OTEL_EXPORTER_OTLP_ENDPOINT` unset `tracing` stays undefined, every call site skips it with one
 * check, and no OpenTelemetry module is ever loaded. `./tracing.ts` sets it when tracing starts.
 *
 * No context is kept implicitly (no AsyncLocalStorage: on Node 22 it makes every promise of the
 * process pay for async hooks): a request's trace goes where it is needed as a value, from its
 * start to its context, its loaders and each provider call. Work that holds none (a live-status
 * poll, a callback message) is outside every trace by construction.
 */
export interface TracingHooks {
  /**
   * Starts the span of an HTTP request to `/graphql`, continuing the trace its `traceparent`
   * names; the response's close ends it, unless `hold` keeps it open. Undefined when it is not
   * sampled and continues no trace: nothing to continue or record.
   */
  serverRequest(request: IncomingMessage, response: ServerResponse): RequestTrace | undefined;
  /**
   * Starts the span of one operation that came in other than as an HTTP request (over
   * WebSocket), continuing the trace its `traceparent` (and `tracestate`) header names, if any;
   * `end` ends it. Undefined when it is not sampled and continues no trace.
   */
  operation(
    transport: string,
    header: (name: string) => string | undefined,
  ): RequestTrace | undefined;
  /**
   * Keeps the span of an HTTP request open after its answer, until `end`: a callback
   * subscription's request span is its operation's, and ends with it.
   */
  hold(trace: RequestTrace): void;
  /** Ends the span of `trace` started by `operation` or kept open by `hold`; else nothing. */
  end(trace: RequestTrace): void;
  /**
   * Starts the span of one of graphql-js's steps under `trace`; execute and subscribe are
   * named after the operation `describe` says (asked only when recorded), as OpenTelemetry's
   * GraphQL conventions name them, with its masked source. Undefined when `trace` records
   * nothing.
   */
  step(
    trace: RequestTrace,
    step: GraphQLStep,
    describe?: () => StepOperation,
  ): StepSpan | undefined;
  /** One span per execution the cache answered instead of `provider`, since `startedAt` (ms). */
  cacheHits(
    trace: RequestTrace,
    provider: string,
    tiers: readonly string[],
    startedAt: number,
  ): void;
  /**
   * Starts the span of one HTTP call to `provider` in `trace` and adds the trace context
   * (`traceparent`) to `headers`; undefined when the call's request records nothing.
   */
  upstream(
    trace: AttemptTrace,
    provider: string,
    method: string,
    origin: URL,
    headers: Record<string, string>,
  ): UpstreamSpan | undefined;
  /** The request span's operation name, error codes (as the log line has them) and counts. */
  record(trace: RequestTrace, record: RecordedRequest, errorCodes: readonly string[]): void;
  /** `trace_id` and `span_id` of `trace`'s span, for log lines. */
  logFields(trace: RequestTrace): Record<string, string>;
}

/** Undefined unless tracing is on. */
export let tracing: TracingHooks | undefined;

/** Called once by `./tracing.ts` as tracing starts. */
export function installTracing(hooks: TracingHooks): void {
  tracing = hooks;
}
