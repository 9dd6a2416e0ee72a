import type { Config } from '../config.js';
import { isApiError } from '../errors.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Fetcher, ProviderDefinition } from '../datasources/datasource.js';
import { providers } from '../providers.js';
import { Upstream } from './http.js';
import { CallPolicy } from './policy.js';

/** A configured provider, ready to call: shared by every request of the process. */
export interface ConnectedProvider {
  definition: ProviderDefinition;
  fetch: Fetcher<object>;
  policy: CallPolicy;
  upstream: Upstream;
}

/** Opens one keep-alive pool per configured provider; failed calls are logged at `warn`. */
export function connectProviders(
  config: Config,
  logger: Logger,
  metrics: Metrics,
): Map<string, ConnectedProvider> {
  const connected = new Map<string, ConnectedProvider>();
  for (const definition of providers) {
    const settings = config.providers.get(definition.key);
    if (!settings) continue;
    const upstream = new Upstream({
      provider: definition.name,
      baseUrl: settings.url,
      timeoutMs: settings.timeoutMs,
      connections: settings.concurrency,
      observe: (provider) => metrics.startUpstream(provider),
    });
    const policy = new CallPolicy({
      provider: definition.name,
      timeoutMs: settings.timeoutMs,
      retries: settings.retries,
      breakerThreshold: settings.breakerThreshold,
      breakerCooldownMs: settings.breakerCooldownMs,
    });
    const fetcher = definition.connect(upstream, settings.credentials);
    const fetch: Fetcher<object> = (nativeId, scope) =>
      policy
        .run((abort) => fetcher(nativeId, { ...scope, abort }), scope.abort)
        .catch((error: unknown) => {
          logFailure(logger, definition.name, scope.requestId, error);
          throw error;
        });
    connected.set(definition.key, {
      definition,
      fetch,
      policy,
      upstream,
    });
  }
  return connected;
}

export async function closeProviders(connected: Map<string, ConnectedProvider>): Promise<void> {
  await Promise.all([...connected.values()].map((provider) => provider.upstream.close()));
}

/** One line per failed upstream call: what the error tells a client, plus the failure kind. */
function logFailure(logger: Logger, provider: string, requestId: string, error: unknown): void {
  if (!isApiError(error)) {
    logger.error({ requestId, provider, err: error }, 'upstream call failed unexpectedly');
    return;
  }
  const { code, status, upstreamRequestId } = error.extensions;
  logger.warn(
    { requestId, provider, code, status, upstreamRequestId, failure: error.upstream?.kind },
    `upstream call failed: ${error.message}`,
  );
}
