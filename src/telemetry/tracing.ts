import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type ContextManager,
  type Span,
  type TextMapGetter,
  type Tracer,
} from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { protobufSpanExporter } from './otlp-protobuf.js';
import { samplingFromEnv, type Sampling } from './sampler.js';
import { SpanRecord, SpanRecords } from './span-records.js';
import {
  installTracing,
  type GraphQLStep,
  type RequestTrace,
  type TracingHooks,
} from './tracing-hooks.js';

/** The service name when neither `OTEL_SERVICE_NAME` nor `OTEL_RESOURCE_ATTRIBUTES` names one. */
export const DEFAULT_SERVICE_NAME = 'executions-subgraph';

/** The one path whose requests get a span: GraphQL's. */
const GRAPHQL_PATH = '/graphql';

export interface Tracing {
  /** Ends tracing: exports the spans still waiting, giving up after `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Starts OpenTelemetry's Node SDK, configured by the standard `OTEL_*` variables (endpoint,
 * protocol, headers, sampler, propagators, resource, batch sizes), for traces only: metrics stay
 * Prometheus's (`/metrics`). main.ts calls it when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
 *
 * Spans (docs/tracing.md): one server span per GraphQL request over HTTP (`serverRequest`,
 * started by the server as it reads the request) or per operation over WebSocket
 * (`operation`), continuing the caller's `traceparent`; the record step adds the operation name
 * and error codes. Below it, graphql-js's parse and validate (when the document is not cached),
 * execute or subscribe (`step`), one span per upstream call (made in `src/upstream/http.ts`)
 * and one per execution the cache answered instead. Sampling is `OTEL_TRACES_SAMPLER`'s
 * (`./sampler.ts`, parent-based by default); a request that is not sampled records nothing, and
 * one that also continues no trace has no trace at all (its provider calls get no
 * `traceparent`).
 *
 * No context manager and no instrumentation: each span's parent is given as a value (the
 * request's trace travels with its context, loaders and calls), so no async hook runs for any
 * promise, and no library is patched. Exporting never touches a request: spans go out in batches
 * in the background, and a collector that is down or failing only loses them.
 */
export function startTracing(): Tracing {
  // The SDK reads the rest of OTEL_* from process.env itself.
  const env = process.env;
  const named =
    env.OTEL_SERVICE_NAME !== undefined ||
    /(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sampling = samplingFromEnv(env);
  const sdk = new NodeSDK({
    serviceName: named ? undefined : DEFAULT_SERVICE_NAME,
    // OTLP over HTTP in protobuf (the default) with an encoder of our own; any other exporter or
    // protocol the variables name, the SDK's.
    traceExporter: otlpProtobuf(env) ? protobufSpanExporter() : undefined,
    sampler: sampling.sampler,
    idGenerator: sampling.idGenerator,
    contextManager: explicitOnly,
    // Traces only, whatever OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER default to.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
  });
  sdk.start();
  const tracer = trace.getTracer(DEFAULT_SERVICE_NAME);
  installTracing(hooksOf(tracer, sampling, SpanRecords.of(tracer, sampling.idGenerator)));
  return {
    async shutdown(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, timeoutMs));
      });
      await Promise.race([sdk.shutdown().catch(() => undefined), late]);
      clearTimeout(timer);
    },
  };
}

/** Whether the variables ask for OTLP over HTTP in protobuf, as by default. */
function otlpProtobuf(env: NodeJS.ProcessEnv): boolean {
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'otlp').trim() || 'otlp';
  const protocol =
    (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? '').trim() ||
    'http/protobuf';
  return exporters === 'otlp' && protocol === 'http/protobuf';
}

/**
 * The API's context calls as plain calls: there is no active context to keep across awaits, and
 * every span is started with its parent's context given.
 */
const explicitOnly: ContextManager = {
  active: () => ROOT_CONTEXT,
  with: (_context, fn, thisArg, ...args) => fn.call(thisArg, ...args),
  bind: (_context, target) => target,
  enable() {
    return this;
  },
  disable() {
    return this;
  },
};

/** A request's or operation's span: what a `RequestTrace` is here. */
class Operation {
  /** Set by `hold`: `end` ends it, not the answer. */
  held = false;
  private ended = false;
  /** The context its children start in. */
  readonly context: Context;
  readonly recording: boolean;

  constructor(
    readonly span: Span,
    parent: Context,
    /**
     * Whether its provider calls' trace context is just `traceparent` (and `tracestate`): the
     * propagators are W3C's (with baggage, by default) and the caller sent no baggage.
     */
    readonly plainTraceparent: boolean,
  ) {
    this.context = trace.setSpan(parent, span);
    this.recording = span.isRecording();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end();
  }
}

const operationOf = (requestTrace: RequestTrace) => requestTrace as unknown as Operation;

const headerGetter: TextMapGetter<IncomingMessage['headers']> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key],
};

const STEP_NAMES: Record<GraphQLStep, string> = {
  parse: 'graphql.parse',
  validate: 'graphql.validate',
  execute: 'graphql.execute',
  subscribe: 'graphql.subscribe',
};

function hooksOf(
  tracer: Tracer,
  sampling: Sampling,
  records: SpanRecords | undefined,
): TracingHooks {
  /** The headers the propagators read (`traceparent`, `tracestate`, `baggage` by default). */
  const fields = propagation.fields();

  /**
   * W3C's trace context (with its baggage, as by default) is the only propagation: a call's
   * `traceparent` is then written here, as the API's propagator writes it, when there is no
   * baggage to pass on.
   */
  const w3c =
    fields[0] === 'traceparent' &&
    fields[1] === 'tracestate' &&
    fields.slice(2).every((field) => field === 'baggage');

  /**
   * Whether the caller sent trace context (any header the propagators read). When it did not,
   * the sampler decides the root at once (`Sampling.root`): one that is not sampled has no
   * span, and costs a request no more than this.
   */
  function continuesOrSampled(header: (name: string) => unknown): boolean | undefined {
    for (const field of fields) if (header(field) !== undefined) return true;
    return sampling.root() ? false : undefined;
  }

  /**
   * A new server span, under the caller's trace (`parent`), or a root the sampler has sampled
   * (`root`). A record (`./span-records.ts`) when it is sampled, else the SDK's. Undefined when
   * it is not sampled and continues nothing valid: nothing to continue or record.
   */
  function startOperation(
    name: string,
    parent: Context,
    root: boolean,
    attributes: () => Attributes,
  ): Operation | undefined {
    const span =
      recordOf(name, parent, root) ?? tracer.startSpan(name, { kind: SpanKind.SERVER }, parent);
    if (!span.isRecording()) {
      const caller = trace.getSpanContext(parent);
      if (!caller || !isSpanContextValid(caller)) return undefined;
    } else {
      span.setAttributes(attributes());
    }
    return new Operation(span, parent, w3c && propagation.getBaggage(parent) === undefined);
  }

  /**
   * The operation's span as a record (`./span-records.ts`): a root the sampler has sampled
   * (`root`), or a caller's sampled trace that the sampler, asked as the SDK's tracer asks it,
   * samples as it is. Undefined for the SDK's tracer to start: a caller's trace not sampled
   * (the sampler is asked once, there), or a decision that adds attributes or trace state.
   */
  function recordOf(name: string, parent: Context, root: boolean): Span | undefined {
    if (!records) return undefined;
    if (root) return records.root(name, SpanKind.SERVER) as unknown as Span;
    const caller = trace.getSpanContext(parent);
    if (!caller || !(caller.traceFlags & TraceFlags.SAMPLED) || !isSpanContextValid(caller)) {
      return undefined;
    }
    const decision = sampling.sampler.shouldSample(
      parent,
      caller.traceId,
      name,
      SpanKind.SERVER,
      {},
      [],
    );
    if (
      decision.decision !== SamplingDecision.RECORD_AND_SAMPLED ||
      decision.attributes !== undefined ||
      decision.traceState !== undefined
    ) {
      return undefined;
    }
    return records.continued(caller, name, SpanKind.SERVER) as unknown as Span;
  }

  /**
   * A child span of `parent`'s operation: a record under a record, else the SDK's. `startTime`:
   * milliseconds since the epoch.
   */
  function startChild(parent: Operation, name: string, kind: SpanKind, startTime?: number): Span {
    if (parent.span instanceof SpanRecord) {
      return records!.child(parent.span, name, kind, startTime) as unknown as Span;
    }
    return tracer.startSpan(name, { kind, startTime }, parent.context);
  }

  return {
    serverRequest(request: IncomingMessage, response: ServerResponse) {
      const { headers } = request;
      const continued = continuesOrSampled((field) => headers[field]);
      if (continued === undefined) return undefined;
      const method = request.method ?? 'GET';
      const operation = startOperation(
        `${method} ${GRAPHQL_PATH}`,
        continued ? propagation.extract(ROOT_CONTEXT, headers, headerGetter) : ROOT_CONTEXT,
        !continued,
        () => ({ 'http.route': GRAPHQL_PATH, 'http.request.method': method }),
      );
      if (!operation) return undefined;
      response.once('close', () => {
        const { span } = operation;
        if (operation.recording) {
          span.setAttribute('http.response.status_code', response.statusCode);
          if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        }
        if (!operation.held) operation.end();
      });
      return operation as unknown as RequestTrace;
    },

    operation(transport, header) {
      const continued = continuesOrSampled(header);
      if (continued === undefined) return undefined;
      const getter: TextMapGetter<undefined> = {
        keys: () => fields,
        get: (_, key) => header(key),
      };
      const operation = startOperation(
        `${transport} ${GRAPHQL_PATH}`,
        continued ? propagation.extract(ROOT_CONTEXT, undefined, getter) : ROOT_CONTEXT,
        !continued,
        () => ({ 'http.route': GRAPHQL_PATH, 'executions.transport': transport }),
      );
      if (!operation) return undefined;
      operation.held = true;
      return operation as unknown as RequestTrace;
    },

    hold(requestTrace) {
      operationOf(requestTrace).held = true;
    },

    end(requestTrace) {
      const operation = operationOf(requestTrace);
      if (operation.held) operation.end();
    },

    step(requestTrace, step, describe) {
      const parent = operationOf(requestTrace);
      if (!parent.recording) return undefined;
      const attributes: Attributes = {};
      let name = STEP_NAMES[step];
      if (describe) {
        const { type, name: operationName, source } = describe();
        // OpenTelemetry's GraphQL conventions: `<type> <name>`, or the type alone.
        name = operationName ? `${type} ${operationName}` : type;
        attributes['graphql.operation.type'] = type;
        if (operationName) attributes['graphql.operation.name'] = operationName;
        if (source !== undefined) attributes['graphql.source'] = source;
      }
      // Attributes set on the started span: given as an option, the SDK copies and checks them
      // twice more first (about 0.5 µs per span).
      const span = startChild(parent, name, SpanKind.INTERNAL);
      span.setAttributes(attributes);
      return {
        end(failed) {
          if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },

    cacheHits(requestTrace, provider, tiers, startedAt) {
      const parent = operationOf(requestTrace);
      if (!parent.recording) return;
      const now = Date.now();
      for (const tier of tiers) {
        startChild(parent, `cache ${provider}`, SpanKind.INTERNAL, startedAt)
          .setAttributes({
            'executions.provider': provider,
            'executions.cache.hit': true,
            'executions.cache.tier': tier,
          })
          .end(now);
      }
    },

    upstream(call, provider, method, origin, headers) {
      const parent = operationOf(call.request);
      const span = startChild(parent, `${method} ${provider}`, SpanKind.CLIENT);
      if (parent.plainTraceparent) {
        // As W3CTraceContextPropagator.inject writes it.
        const { traceId, spanId, traceFlags, traceState } = span.spanContext();
        headers.traceparent = `00-${traceId}-${spanId}-0${Number(traceFlags || 0).toString(16)}`;
        if (traceState) headers.tracestate = traceState.serialize();
      } else {
        propagation.inject(trace.setSpan(parent.context, span), headers);
      }
      // Not sampled: the provider still gets the trace (and the decision), and nothing is recorded.
      if (!span.isRecording()) return undefined;
      const { attempt } = call;
      const attributes: Attributes = {
        'executions.provider': provider,
        'http.request.method': method,
        'server.address': origin.hostname,
        'server.port': Number(origin.port || (origin.protocol === 'https:' ? 443 : 80)),
        'executions.upstream.attempt': attempt,
      };
      if (attempt > 1) attributes['http.request.resend_count'] = attempt - 1;
      if (call.cacheMissed) attributes['executions.cache.hit'] = false;
      span.setAttributes(attributes);
      return {
        end(status, failure) {
          if (status !== undefined) {
            span.setAttribute('http.response.status_code', status);
            span.setAttribute('executions.upstream.status_class', `${Math.floor(status / 100)}xx`);
          }
          const error =
            failure ?? (status !== undefined && status >= 400 ? String(status) : undefined);
          if (error !== undefined) {
            span.setAttribute('error.type', error);
            span.setStatus({ code: SpanStatusCode.ERROR });
          }
          span.end();
        },
      };
    },

    record(requestTrace, record, errorCodes) {
      const { span, recording } = operationOf(requestTrace);
      if (!recording) return;
      span.setAttributes({
        'executions.request_id': record.requestId,
        'executions.upstream_calls': record.upstreamCalls,
        'executions.cached_executions': record.cachedExecutions,
        'graphql.error.codes': [...new Set(errorCodes)],
      });
      if (record.operationName) span.setAttribute('graphql.operation.name', record.operationName);
    },

    logFields(requestTrace) {
      const spanContext = operationOf(requestTrace).span.spanContext();
      return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
    },
  };
}
