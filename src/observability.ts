import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from './context.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * One log line and the metrics of each GraphQL request: operation name, duration, upstream
 * fetches and error codes, under the request's id.
 */
export function observabilityPlugin(metrics: Metrics, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ contextValue, operationName, response, errors }) {
          const seconds = (performance.now() - started) / 1000;
          const operation = metrics.operation(operationName);
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const codes = (body?.errors ?? errors ?? []).map((error) =>
            metrics.code(error.extensions?.code),
          );
          const upstreamCalls = contextValue.executions?.fetches ?? 0;
          metrics.graphqlRequests.inc({ operation });
          metrics.graphqlDuration.observe({ operation }, seconds);
          metrics.upstreamPerRequest.observe(upstreamCalls);
          for (const code of codes) metrics.graphqlErrors.inc({ operation, code });
          logger.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? null,
              durationMs: Math.round(seconds * 10_000) / 10,
              upstreamCalls,
              errorCodes: codes,
            },
            'graphql request',
          );
        },
      };
    },
  };
}
