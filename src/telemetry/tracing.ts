import { Server, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  context,
  createContextKey,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { core, NodeSDK } from '@opentelemetry/sdk-node';
import { samplerFromEnv } from './sampler.js';
import {
  installTracing,
  type RecordedRequest,
  type RequestTrace,
  type TracingHooks,
} from './tracing-hooks.js';

/** The service name when neither `OTEL_SERVICE_NAME` nor `OTEL_RESOURCE_ATTRIBUTES` names one. */
export const DEFAULT_SERVICE_NAME = 'executions-subgraph';

/** The one path whose requests get a span: GraphQL's. */
const GRAPHQL_PATH = '/graphql';

const ATTEMPT = createContextKey('executions.upstream.attempt');
const CACHE_MISSED = createContextKey('executions.cache.missed');
/** Set by `within`: the call is a GraphQL request's, and gets a span in its trace. */
const IN_REQUEST = createContextKey('executions.request');
/** The span of the request or operation being served, and who ends it. */
const OPERATION = createContextKey('executions.operation');

/** The providers' origins, as `upstream` sees them: undici's own spans leave their calls alone. */
const providerOrigins = new Set<string>();

export interface Tracing {
  /**
   * Runs `start` without spans: start-up (building schemas, connecting) is no request, and
   * graphql-js's schema parses would each be a trace of their own. Requests arriving later are
   * traced: their spans start from the incoming headers, not from this context.
   */
  untraced<T>(start: () => T): T;
  /** Ends tracing: exports the spans still waiting, giving up after `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Starts OpenTelemetry's Node SDK, configured by the standard `OTEL_*` variables (endpoint,
 * protocol, headers, sampler, propagators, resource, batch sizes), for traces only: metrics stay
 * Prometheus's (`/metrics`). main.ts calls it, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set, before
 * it loads the app: the GraphQL instrumentation patches graphql-js as it is first required.
 *
 * Spans (docs/tracing.md): one server span per GraphQL request over HTTP, started here as the
 * request comes in (`traceServerRequests`, in place of instrumentation-http's hooks and
 * attribute extraction on every request) or per operation over WebSocket (`operation`), which
 * continues the caller's `traceparent`; the record step adds the operation name and error
 * codes. One child per upstream call (`./tracing-hooks.ts`, made in `src/upstream/http.ts`) or
 * per execution the cache answered instead; graphql-js's parse, validate and execute. Sampling
 * is `OTEL_TRACES_SAMPLER`'s (`./sampler.ts`, parent-based by default); a request that is not
 * sampled records nothing, and one that also continues no trace runs in no context of ours (its
 * provider calls get no `traceparent`). Exporting
 * never touches a request: spans go out in batches in the background, and a collector that is
 * down or failing only loses them.
 */
export function startTracing(): Tracing {
  // The SDK reads the rest of OTEL_* from process.env itself.
  const env = process.env;
  const named =
    env.OTEL_SERVICE_NAME !== undefined ||
    /(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    serviceName: named ? undefined : DEFAULT_SERVICE_NAME,
    sampler: samplerFromEnv(env),
    // Traces only, whatever OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER default to.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // Only calls that carry no trace context yet: a provider call has its own span, made before
      // its pool may queue it (`upstream` below). undici creates a queued call's request, where
      // this instrumentation starts its span from the active context, only as a connection
      // frees up, inside another call's context: tried with a pool of one connection and three
      // requests, all three undici spans were in the first request's trace.
      // Provider calls outside a request (live-status polls) are left untraced too, and nothing
      // gets a span of undici's without a parent (a callback message sent from a timer).
      new UndiciInstrumentation({
        ignoreRequestHook: (request) =>
          providerOrigins.has(request.origin) || carriesTraceContext(request),
        requireParentforSpans: true,
      }),
      // Parse, validate and execute, without a span per resolver: every field resolver here maps
      // the execution's loaded JSON synchronously, and the time goes to the provider calls, which
      // have spans of their own. With resolver spans (trivial ones off, list items merged) the
      // bench's one-execution query made 7 spans instead of 3.
      new GraphQLInstrumentation({ ignoreResolveSpans: true }),
    ],
  });
  sdk.start();
  traceServerRequests();
  installTracing(hooks);
  return {
    untraced: (start) => context.with(core.suppressTracing(context.active()), start),
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

/** A request's or operation's span, and whether its answer or `end` ends it. */
class Operation {
  /** Set by `hold`: `end` ends it, not the answer. */
  held = false;
  private ended = false;

  constructor(readonly span: Span) {}

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end();
  }
}

const headerGetter: TextMapGetter<IncomingMessage['headers']> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headers[key],
};

/**
 * One server span per HTTP request to `/graphql`, around the server's `request` event (the
 * app's handler then runs in its context): named `<METHOD> /graphql`, with `http.route`,
 * `http.request.method` and, once answered, `http.response.status_code`. Other paths (probes,
 * `/metrics`, webhooks, GraphiQL's assets) make none. The patch is on `Server.prototype`, which
 * the app's ESM `node:http` shares.
 */
function traceServerRequests(): void {
  const emit = Server.prototype.emit as (
    this: Server,
    event: string | symbol,
    ...args: unknown[]
  ) => boolean;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event !== 'request') return emit.call(this, event, ...args);
    const request = args[0] as IncomingMessage;
    if (pathOf(request.url) !== GRAPHQL_PATH) return emit.call(this, event, ...args);
    const traced = startOperation(
      `${request.method ?? 'GET'} ${GRAPHQL_PATH}`,
      propagation.extract(ROOT_CONTEXT, request.headers, headerGetter),
      { 'http.route': GRAPHQL_PATH },
    );
    if (!traced) return emit.call(this, event, ...args);
    const operation = traced.getValue(OPERATION) as Operation;
    const response = args[1] as ServerResponse;
    response.once('close', () => {
      const { span } = operation;
      if (span.isRecording()) {
        span.setAttribute('http.request.method', request.method ?? 'GET');
        span.setAttribute('http.response.status_code', response.statusCode);
        if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (!operation.held) operation.end();
    });
    return context.with(traced, () => emit.call(this, event, ...args));
  } as typeof Server.prototype.emit;
}

/**
 * The context of a new server span under `parent` (the caller's extracted trace, or none), or
 * undefined when it is not sampled and `parent` holds no trace: nothing to continue or record,
 * so the request runs with no context at all.
 */
function startOperation(
  name: string,
  parent: Context,
  attributes: Attributes,
): Context | undefined {
  const span = tracer().startSpan(name, { kind: SpanKind.SERVER }, parent);
  if (!span.isRecording()) {
    const caller = trace.getSpanContext(parent);
    if (!caller || !isSpanContextValid(caller)) return undefined;
  } else {
    span.setAttributes(attributes);
  }
  return trace.setSpan(parent, span).setValue(OPERATION, new Operation(span));
}

const tracer = () => trace.getTracer(DEFAULT_SERVICE_NAME);

const hooks: TracingHooks = {
  requestTrace() {
    const active = context.active();
    return trace.getSpan(active) ? (active as unknown as RequestTrace) : undefined;
  },

  operation(transport, header) {
    const getter: TextMapGetter<undefined> = {
      keys: () => propagation.fields(),
      get: (_, key) => header(key),
    };
    const parent = propagation.extract(ROOT_CONTEXT, undefined, getter);
    const traced = startOperation(`${transport} ${GRAPHQL_PATH}`, parent, {
      'http.route': GRAPHQL_PATH,
      'executions.transport': transport,
    });
    if (traced) (traced.getValue(OPERATION) as Operation).held = true;
    return traced as unknown as RequestTrace | undefined;
  },

  run(requestTrace, call) {
    const traced = requestTrace as unknown as Context;
    return context.active() === traced ? call() : context.with(traced, call);
  },

  hold() {
    const operation = context.active().getValue(OPERATION) as Operation | undefined;
    if (operation) operation.held = true;
  },

  end(requestTrace) {
    const operation = (requestTrace as unknown as Context).getValue(OPERATION) as
      Operation | undefined;
    if (operation?.held) operation.end();
  },

  within(requestTrace, cacheMissed, call) {
    const traced = requestTrace as unknown as Context;
    const inRequest = traced.setValue(IN_REQUEST, true);
    return context.with(cacheMissed ? inRequest.setValue(CACHE_MISSED, true) : inRequest, call);
  },

  attempt(attempt, call) {
    return context.with(context.active().setValue(ATTEMPT, attempt), call);
  },

  cacheHits(requestTrace, provider, tiers, startedAt) {
    const parent = requestTrace as unknown as Context;
    if (!trace.getSpan(parent)?.isRecording()) return;
    const now = Date.now();
    for (const tier of tiers) {
      tracer()
        .startSpan(
          `cache ${provider}`,
          {
            kind: SpanKind.INTERNAL,
            startTime: startedAt,
            attributes: {
              'executions.provider': provider,
              'executions.cache.hit': true,
              'executions.cache.tier': tier,
            },
          },
          parent,
        )
        .end(now);
    }
  },

  detached(call) {
    return context.with(ROOT_CONTEXT, call);
  },

  upstream(provider, method, origin, headers) {
    providerOrigins.add(origin.origin);
    const active = context.active();
    const parent = trace.getSpan(active);
    if (!active.getValue(IN_REQUEST) || !parent || !isSpanContextValid(parent.spanContext())) {
      return undefined;
    }
    const span = tracer().startSpan(`${method} ${provider}`, { kind: SpanKind.CLIENT }, active);
    propagation.inject(trace.setSpan(active, span), headers);
    // Not sampled: the provider still gets the trace (and the decision), and nothing is recorded.
    if (!span.isRecording()) return undefined;
    const attempt = (active.getValue(ATTEMPT) as number | undefined) ?? 1;
    const attributes: Attributes = {
      'executions.provider': provider,
      'http.request.method': method,
      'server.address': origin.hostname,
      'server.port': Number(origin.port || (origin.protocol === 'https:' ? 443 : 80)),
      'executions.upstream.attempt': attempt,
    };
    if (attempt > 1) attributes['http.request.resend_count'] = attempt - 1;
    if (active.getValue(CACHE_MISSED)) attributes['executions.cache.hit'] = false;
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

  record(record: RecordedRequest, errorCodes: readonly string[]) {
    const span = trace.getActiveSpan();
    if (!span?.isRecording()) return;
    span.setAttributes({
      'executions.request_id': record.requestId,
      'executions.upstream_calls': record.upstreamCalls,
      'executions.cached_executions': record.cachedExecutions,
      'graphql.error.codes': [...new Set(errorCodes)],
    });
    if (record.operationName) span.setAttribute('graphql.operation.name', record.operationName);
  },

  logFields(): Record<string, string> {
    const spanContext = trace.getActiveSpan()?.spanContext();
    if (!spanContext || !isSpanContextValid(spanContext)) return {};
    return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
  },
};

/** Whether an undici request already has the headers the configured propagators would set. */
function carriesTraceContext(request: { headers: unknown }): boolean {
  const { headers } = request;
  const names = new Set(propagation.fields().map((field) => field.toLowerCase()));
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) {
      if (typeof headers[i] === 'string' && names.has((headers[i] as string).toLowerCase())) {
        return true;
      }
    }
    return false;
  }
  return (
    typeof headers === 'string' &&
    [...names].some((name) => headers.toLowerCase().includes(`${name}:`))
  );
}

function pathOf(url: string | undefined): string {
  const end = url?.indexOf('?') ?? -1;
  return end === -1 ? (url ?? '') : url!.slice(0, end);
}
