import { digest } from '../cache/digest.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Fetcher, Stopper } from '../datasources/datasource.js';
import { isApiError } from '../errors.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { Upstream } from '../upstream/http.js';
import { CallPolicy } from '../upstream/policy.js';
import type { Provider } from './model.js';

/** A configured provider, ready to call: shared by every request of the process. */
export interface ConnectedProvider<Raw = unknown> {
  provider: Provider<Raw>;
  /** The datasource's fetcher behind the call policy, logging each failed call. */
  fetch: Fetcher<Raw>;
  /** The datasource's stop call, likewise, tried again only when the provider did not act. */
  stop: Stopper | undefined;
  policy: CallPolicy;
  upstream: Upstream;
  /** A digest of the base URL and credentials: which deployment cached answers belong to. */
  cacheScope: string;
  /**
   * Which execution an answer is, and for whom: provider, deployment and request scope, native
   * id. The cache's keys and the watcher's pollers both go by it. Throws when the request has
   * no scope (say, a missing customer header).
   */
  keyOf(nativeId: string, header: (name: string) => string | undefined): string;
}

/** Every provider the configuration knows, and one keep-alive pool per configured one. */
export class ConnectedProviders {
  /** Every provider's id prefix, configured or not, for parsing global ids. */
  readonly keys: readonly string[];
  private readonly byKey = new Map<string, ConnectedProvider>();

  /**
   * Opens one pool per provider of `registry` that `config` configures; failed calls are
   * logged at `warn`. Calls wait (deadlines, retries, the breaker) on `clock`.
   */
  constructor(
    private readonly registry: readonly Provider[],
    readonly config: Config,
    logger: Logger,
    metrics: Metrics,
    clock: Clock,
  ) {
    this.keys = registry.map(({ datasource }) => datasource.key);
    for (const provider of registry) {
      const connected = connect(provider, config, logger, metrics, clock);
      if (connected) this.byKey.set(provider.datasource.key, connected);
    }
  }

  /** The configured provider of id prefix `key`, else undefined. */
  get(key: string): ConnectedProvider | undefined {
    return this.byKey.get(key);
  }

  /** The known provider of id prefix `key`, configured or not. */
  known(key: string): Provider | undefined {
    return this.registry.find((provider) => provider.datasource.key === key);
  }

  configured(): IterableIterator<ConnectedProvider> {
    return this.byKey.values();
  }

  async close(): Promise<void> {
    await Promise.all([...this.byKey.values()].map((connected) => connected.upstream.close()));
  }
}

function connect<Raw>(
  provider: Provider<Raw>,
  config: Config,
  logger: Logger,
  metrics: Metrics,
  clock: Clock,
): ConnectedProvider<Raw> | undefined {
  const { datasource } = provider;
  const settings = config.providers.get(datasource.key);
  if (!settings) return undefined;
  const upstream = new Upstream({
    provider: datasource.name,
    baseUrl: settings.url,
    timeoutMs: settings.timeoutMs,
    connections: settings.concurrency,
    observe: (name) => metrics.startUpstream(name),
  });
  const policy = new CallPolicy({
    provider: datasource.name,
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    breakerThreshold: settings.breakerThreshold,
    breakerCooldownMs: settings.breakerCooldownMs,
    clock,
  });
  const fetcher = datasource.connect(upstream, settings.credentials);
  const fetch: Fetcher<Raw> = (nativeId, scope) =>
    policy
      .run((abort) => fetcher(nativeId, { ...scope, abort }), scope.abort)
      .catch((error: unknown) => {
        logFailure(logger, datasource.name, scope.requestId, error);
        throw error;
      });
  const stopper = datasource.stop?.connect(upstream, settings.credentials);
  const stop: Stopper | undefined =
    stopper &&
    ((nativeId, force, scope) =>
      policy
        .run((abort) => stopper(nativeId, force, { ...scope, abort }), scope.abort, 'stop')
        .catch((error: unknown) => {
          logFailure(logger, datasource.name, scope.requestId, error, 'stop');
          throw error;
        }));
  // Credentials go into the digest, never into a key: two deployments with different
  // credentials for one provider keep their cached answers apart.
  const credentials = Object.entries(settings.credentials).sort(([a], [b]) => a.localeCompare(b));
  const cacheScope = digest(JSON.stringify([datasource.key, settings.url.href, credentials]));
  const keyOf = (nativeId: string, header: (name: string) => string | undefined) => {
    const scope = datasource.cacheScope
      ? digest(`${cacheScope}\n${datasource.cacheScope(header)}`)
      : cacheScope;
    // v2: values are signed (src/cache/signing.ts); a v1 value is never read.
    return `executions:v2:${datasource.key}:${scope}:${encodeURIComponent(nativeId)}`;
  };
  return { provider, fetch, stop, policy, upstream, cacheScope, keyOf };
}

/** One line per failed upstream call: what the error tells a client, plus the failure kind. */
function logFailure(
  logger: Logger,
  provider: string,
  requestId: string,
  error: unknown,
  call: 'read' | 'stop' = 'read',
): void {
  if (!isApiError(error)) {
    logger.error({ requestId, provider, call, err: error }, 'upstream call failed unexpectedly');
    return;
  }
  const { code, status, upstreamRequestId } = error.extensions;
  logger.warn(
    { requestId, provider, call, code, status, upstreamRequestId, failure: error.upstream?.kind },
    `upstream call failed: ${error.message}`,
  );
}
