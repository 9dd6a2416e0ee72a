import { LRUCache } from 'lru-cache';
import type { CacheConfig } from '../config.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { RedisTier } from './redis-tier.js';
import type { RedisSigner } from './signing.js';

/** A cache lookup's outcome per key: the raw execution and where it came from, or a miss. */
export type Cached = { raw: unknown; tier: 'memory' | 'redis' } | undefined;

/**
 * Finished executions (docs/caching.md), kept so that asking again costs no upstream call: an
 * in-process LRU bounded in bytes, then Redis when `REDIS_URL` is set, then the provider. Only
 * the loaders use it, and only for executions in a terminal state.
 *
 * Entries are the provider's raw JSON under a key of provider, scope and native id. The scope is
 * a digest of the deployment (the provider's base URL and its credentials, never the credentials
 * themselves) and, for providers whose answers depend on the request (a customer), of that too:
 * no credential and no customer id is ever part of a key.
 *
 * Redis is shared, so what is read from it is checked before use: with a signing key
 * (`CACHE_SIGNING_KEY`, else `ROUTER_SECRET`) each value carries an HMAC binding it to its Redis
 * key, and one that fails it is dropped; then every value is checked against its provider's
 * shape. A dropped value is a miss (the provider is asked), counted in
 * `executions_redis_rejected_total{kind="cache"}`.
 *
 * lru-cache (already a dependency) holds tier 1 as objects, not strings: a hit is not parsed or
 * checked again. Apollo's `KeyValueCache` would make every value a string and every lookup one
 * key at a time; tier 2 reads a loader batch with one MGET instead.
 */
/**
 * What the cache needs of a provider: its name (for metrics), and the shape that a value read
 * back from Redis must have (a datasource has both).
 */
export interface CachedProvider {
  readonly name: string;
  readonly shape: {
    safeParse(value: unknown): { success: true; data: unknown } | { success: false };
  };
}

export class ExecutionCache {
  readonly ttlSeconds: number;
  private readonly memory: LRUCache<string, { raw: unknown }>;
  private readonly redis: RedisTier | undefined;
  private readonly lookups;
  private readonly counts = new Map<
    string,
    Record<'memoryHit' | 'memoryMiss' | 'redisHit' | 'redisMiss', { inc(n: number): unknown }>
  >();

  constructor(
    config: CacheConfig,
    logger: Logger,
    metrics: Metrics,
    /**
     * Default none (no `CACHE_SIGNING_KEY` or `ROUTER_SECRET`): Redis values are unsigned,
     * checked by shape only. Set, they are signed for their key, and checked.
     */
    signer?: RedisSigner,
  ) {
    this.ttlSeconds = config.ttlSeconds;
    this.memory = new LRUCache({
      maxSize: config.maxMb * 1024 * 1024,
      sizeCalculation: (_value, key) => key.length,
      ttl: config.ttlSeconds * 1000,
    });
    this.lookups = metrics.cacheLookups;
    metrics.cacheEntries(() => ({ entries: this.memory.size, bytes: this.memory.calculatedSize }));
    this.redis =
      config.redisUrl &&
      new RedisTier({
        url: config.redisUrl,
        timeoutMs: config.redisTimeoutMs,
        logger,
        signer,
        onError: (kind) => metrics.cacheRedisErrors.inc({ kind }),
        onRejected: (reason) => metrics.redisRejected.inc({ kind: 'cache', reason }),
      });
  }

  /**
   * What each key holds: tier 1 first, then one Redis round trip for the rest. Synchronous when
   * tier 1 settles it (no Redis, or every key found): the common request waits for nothing.
   */
  getMany(
    provider: CachedProvider,
    keys: ReadonlyArray<string | undefined>,
  ): Cached[] | Promise<Cached[]> {
    const counts = this.countsOf(provider.name);
    const found: Cached[] = keys.map((key) => {
      const entry = key === undefined ? undefined : this.memory.get(key);
      return entry && { raw: entry.raw, tier: 'memory' as const };
    });
    const missing = keys.flatMap((key, i) => (key !== undefined && !found[i] ? [i] : []));
    counts.memoryHit.inc(keys.length - missing.length);
    counts.memoryMiss.inc(missing.length);
    if (!this.redis || missing.length === 0) return found;
    return this.fromRedis(provider, keys, found, missing);
  }

  private async fromRedis(
    provider: CachedProvider,
    keys: ReadonlyArray<string | undefined>,
    found: Cached[],
    missing: readonly number[],
  ): Promise<Cached[]> {
    const counts = this.countsOf(provider.name);
    const values = await this.redis!.getMany(missing.map((i) => keys[i]!));
    let hits = 0;
    values.forEach((value, j) => {
      if (value === null) return;
      const key = keys[missing[j]!]!;
      const raw = this.read(provider, value);
      if (raw === undefined) return;
      hits += 1;
      found[missing[j]!] = { raw, tier: 'redis' };
      this.memory.set(key, { raw }, { size: key.length + value.length });
    });
    counts.redisHit.inc(hits);
    counts.redisMiss.inc(missing.length - hits);
    return found;
  }

  /** Keeps a finished execution, in the background for Redis: the answer never waits. */
  set(key: string, raw: unknown): void {
    const text = JSON.stringify(raw);
    this.memory.set(key, { raw }, { size: key.length + text.length });
    this.redis?.set(key, text, this.ttlSeconds);
  }

  /** For `/readyz`: the tiers and their health. A degraded Redis leaves the service ready. */
  status(): { memory: { entries: number; bytes: number }; redis: string } {
    return {
      memory: { entries: this.memory.size, bytes: this.memory.calculatedSize },
      redis: this.redis ? (this.redis.state === 'ok' ? 'ok' : this.redis.state) : 'off',
    };
  }

  /** Forgets every in-process entry (Redis keeps its own until they expire). */
  clear(): void {
    this.memory.clear();
  }

  async close(): Promise<void> {
    await this.redis?.close();
  }

  /** A Redis value as the provider's raw execution, checked against its shape; else skipped. */
  private read(provider: CachedProvider, value: string): unknown {
    try {
      const checked = provider.shape.safeParse(JSON.parse(value));
      if (checked.success) return checked.data;
    } catch {
      // Not JSON: reported below, like a body of the wrong shape.
    }
    this.redis?.unreadable();
    return undefined;
  }

  /** A provider's lookup series, resolved once: looking them up per request costs. */
  private countsOf(provider: string) {
    let counts = this.counts.get(provider);
    if (!counts) {
      const series = (tier: string, result: string) => {
        const one = this.lookups.series({ tier, provider, result });
        // A series appears on its first count, as prom-client's would.
        return { inc: (n: number) => n > 0 && one.inc(n) };
      };
      counts = {
        memoryHit: series('memory', 'hit'),
        memoryMiss: series('memory', 'miss'),
        redisHit: series('redis', 'hit'),
        redisMiss: series('redis', 'miss'),
      };
      this.counts.set(provider, counts);
    }
    return counts;
  }
}
