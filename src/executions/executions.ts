import { ExecutionCache } from '../cache/execution-cache.js';
import { signerOf } from '../cache/signing.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { RequestScope } from '../datasources/datasource.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { ConnectedProviders } from './connected.js';
import { ExecutionLoaders } from './loaders.js';
import type { Provider } from './model.js';
import { ExecutionSearch } from './search.js';
import { Reruns } from './reruns.js';
import { RedisClaims } from '../cache/redis-claims.js';
import { SharedPolls } from './watch/shared-polls.js';
import { Watcher } from './watch/watcher.js';

/**
 * The executions of the process: its configured providers (one pool and call policy each), the
 * cache of finished executions, and the live-status pollers. Each request works through its own
 * `ExecutionLoaders` (load many, stop); a watch goes through `watcher`.
 */
export class Executions {
  readonly providers: ConnectedProviders;
  /** Undefined when `CACHE_TTL_SECONDS=0`. */
  readonly cache: ExecutionCache | undefined;
  readonly watcher: Watcher;
  /** `searchExecutions`: the providers' lists, merged and paged. */
  readonly search: ExecutionSearch;
  /** The idempotency keys of reruns: in this process, and in Redis with `REDIS_URL`. */
  private readonly reruns: Reruns;

  constructor(
    registry: readonly Provider[],
    config: Config,
    logger: Logger,
    private readonly metrics: Metrics,
    clock: Clock,
  ) {
    this.providers = new ConnectedProviders(registry, config, logger, metrics, clock);
    this.search = new ExecutionSearch(registry, this.providers, config.search, clock);
    const { redisUrl, redisTimeoutMs, signingKey } = config.cache;
    // What the cache and the pollers share in Redis is signed with one key derived from it.
    const signer = signerOf(signingKey);
    if (redisUrl && !signer) {
      // Once per process, for the cache and the pollers alike; nothing secret in it.
      logger.warn(
        "Redis: values shared in Redis (finished executions, the shared pollers' answers) are not signed, so anything that can write to it can plant answers; a shared Redis must be trusted (set CACHE_SIGNING_KEY or ROUTER_SECRET to sign them)",
      );
    }
    this.cache =
      config.cache.ttlSeconds > 0
        ? new ExecutionCache(config.cache, logger, metrics, signer)
        : undefined;
    // Replicas share pollers through REDIS_URL, with the cache of finished executions or without.
    // A late lease check only delays a poll, while one given up costs a second upstream call:
    // it may wait a quarter of the interval (at most 1 s) where a cache lookup waits less.
    const leaseTimeoutMs = Math.max(redisTimeoutMs, Math.min(config.watch.intervalMs / 4, 1000));
    const shared =
      redisUrl &&
      new SharedPolls({
        url: redisUrl,
        timeoutMs: leaseTimeoutMs,
        logger,
        signer,
        onRejected: (reason) => metrics.redisRejected.inc({ kind: 'poller', reason }),
        clock,
      });
    this.watcher = new Watcher(
      config.watch,
      this.providers,
      this.cache,
      logger,
      clock,
      shared,
      (provider, source) => metrics.watchChanges.inc({ provider, source }),
      {
        open: (provider, change) => metrics.watchStreams.inc({ provider }, change),
        reconnect: (provider) => metrics.watchStreamReconnects.inc({ provider }),
      },
    );
    // A claim outlives the longest start: every attempt the policy may make, to its deadline.
    const longestStartMs = Math.max(
      0,
      ...[...config.providers.values()].map(({ timeoutMs, retries }) => timeoutMs * (retries + 1)),
    );
    this.reruns = new Reruns({
      windowMs: config.rerunIdempotencySeconds * 1000,
      pendingMs: Math.max(60_000, longestStartMs + 5_000),
      clock,
      logger,
      shared:
        redisUrl &&
        new RedisClaims(redisUrl, leaseTimeoutMs, signer, () =>
          metrics.redisRejected.inc({ kind: 'rerun', reason: 'signature' }),
        ),
    });
  }

  /** The executions of one request: a loader per provider, its stops, its cache policy. */
  forRequest(scope: RequestScope): ExecutionLoaders {
    const { metrics } = this;
    return new ExecutionLoaders(
      this.providers,
      scope,
      {
        batch: (provider, size) => metrics.batch(provider, size),
        stop: (provider, outcome) => metrics.executionStops.inc({ provider, outcome }),
      },
      this.cache,
      this.reruns,
    );
  }

  /** Closes the provider pools and the cache (the watcher is closed first, by `watcher.close`). */
  async close(): Promise<void> {
    await this.providers.close();
    await this.cache?.close();
    await this.reruns.close();
  }
}
