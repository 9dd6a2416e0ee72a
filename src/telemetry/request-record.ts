import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { tracing, type RecordedRequest, type RequestTrace } from './tracing-hooks.js';

/** What one answered GraphQL request leaves in the logs and metrics. */
export interface RequestRecord extends RecordedRequest {
  seconds: number;
  errors: readonly GraphQLFormattedError[];
}

/**
 * One log line and the metrics of each GraphQL request: operation name, duration, upstream
 * fetches and error codes, under the request's id; with tracing on and a `trace`, the same on
 * its span, and the line carries its ids.
 */
export function recordRequest(
  metrics: Metrics,
  logger: Logger,
  record: RequestRecord,
  trace?: RequestTrace,
): void {
  const { requestId, operationName, seconds, upstreamCalls } = record;
  const operation = metrics.operation(operationName);
  const codes = record.errors.map((error) => metrics.code(error.extensions?.code));
  metrics.request(operation, seconds, upstreamCalls);
  for (const code of codes) metrics.graphqlErrors.inc({ operation, code });
  let traced: Record<string, string> | undefined;
  if (tracing && trace) {
    tracing.record(trace, record, codes);
    traced = tracing.logFields(trace);
  }
  logger.info(
    {
      ...traced,
      requestId,
      operationName: operationName ?? null,
      durationMs: Math.round(seconds * 10_000) / 10,
      upstreamCalls,
      cachedExecutions: record.cachedExecutions,
      errorCodes: codes,
    },
    'graphql request',
  );
}
