import { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
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
} from '@opentelemetry/api';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { core, NodeSDK } from '@opentelemetry/sdk-node';
import {
  installTracing,
  type RecordedRequest,
  type RequestTrace,
  type TracingHooks,
} from './tracing-hooks.js';

/** The service name when neither `OTEL_SERVICE_NAME` nor `OTEL_RESOURCE_ATTRIBUTES` names one. */
export const DEFAULT_SERVICE_NAME = 'executions-subgraph';

/** Probes and scrapes: no span each. */
const UNTRACED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

const ATTEMPT = createContextKey('executions.upstream.attempt');
const CACHE_MISSED = createContextKey('executions.cache.missed');
/** Set by `within`: the call is a GraphQL request's, and gets a span in its trace. */
const IN_REQUEST = createContextKey('executions.request');

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
 * Spans: the HTTP server span of each request is the request span (it continues the caller's
 * `traceparent`, and the record step adds the operation name and error codes); one child per
 * upstream call (`./tracing-hooks.ts`, made in `src/upstream/http.ts`) or per execution the cache
 * answered instead; graphql-js's parse, validate and execute, and resolvers that are not trivial
 * (list items merged). Exporting never touches a request: spans go out in batches in the
 * background, and a collector that is down or failing only loses them.
 */
export function startTracing(): Tracing {
  // The SDK reads the rest of OTEL_* from process.env itself.
  const env = process.env;
  const named =
    env.OTEL_SERVICE_NAME !== undefined ||
    /(^|,)\s*service\.name\s*=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    serviceName: named ? undefined : DEFAULT_SERVICE_NAME,
    // Traces only, whatever OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER default to.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // Providers are called through undici; nothing here makes node:http client requests.
        disableOutgoingRequestInstrumentation: true,
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has(pathOf(request.url)),
        startIncomingSpanHook: (request) =>
          pathOf(request.url) === '/graphql' ? { 'http.route': '/graphql' } : {},
        requestHook: (span, request) => {
          if (request instanceof IncomingMessage && pathOf(request.url) === '/graphql') {
            span.updateName(`${request.method ?? 'GET'} /graphql`);
          }
        },
      }),
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
  // instrumentation-http patches node:http as it is required (require-in-the-middle); the app's
  // ESM `import 'node:http'` does not go through require, so require it once here. The patch is
  // on `Server.prototype`, which the ESM namespace shares.
  createRequire(import.meta.url)('http');
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

const tracer = () => trace.getTracer(DEFAULT_SERVICE_NAME);

const hooks: TracingHooks = {
  requestTrace() {
    const active = context.active();
    return trace.getSpan(active) ? (active as unknown as RequestTrace) : undefined;
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
    const span = tracer().startSpan(
      `${method} ${provider}`,
      { kind: SpanKind.CLIENT, attributes },
      active,
    );
    propagation.inject(trace.setSpan(active, span), headers);
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
    if (!span) return;
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
