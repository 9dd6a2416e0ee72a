import type { Datasource } from './datasources/datasource.js';
import { providers, type Provider } from './providers.js';

export interface ProviderConfig {
  url: URL;
  /** Default 10000: total deadline of one upstream call, `<P>_TIMEOUT_MS`. */
  timeoutMs: number;
  /** Default 32: most calls in flight to this provider at once (and its pool size), `<P>_CONCURRENCY`. */
  concurrency: number;
  /** Default 2: retries of a call on connection errors, 502, 503, 504 and 429, `<P>_RETRIES`. */
  retries: number;
  /** Default 5: consecutive failed calls that open the circuit, `<P>_BREAKER_THRESHOLD`. */
  breakerThreshold: number;
  /** Default 10000: how long an open circuit fails fast before probing, `<P>_BREAKER_COOLDOWN_MS`. */
  breakerCooldownMs: number;
  credentials: Record<string, string>;
}

export interface Config {
  /** Default 4000, `PORT`. */
  port: number;
  /** Default `0.0.0.0`, `HOST`. */
  host: string;
  /** Every provider this service knows, configured or not (default: `src/providers.ts`). */
  registry: readonly Provider[];
  /** Configured providers by key; a provider without `<P>_URL` is absent. */
  providers: Map<string, ProviderConfig>;
  /** When set, `ROUTER_SECRET`: requests must carry it in `router-authorization`. */
  routerSecret: string | undefined;
  /** Default true, `INTROSPECTION`. */
  introspection: boolean;
  /**
   * Default none, `OTEL_EXPORTER_OTLP_ENDPOINT`: tracing is on and spans go there (main.ts starts
   * OpenTelemetry's SDK, which reads it and the other `OTEL_*` variables itself).
   */
  otlpEndpoint: URL | undefined;
  /** Default none, `CORS_ORIGINS` (comma-separated): origins whose pages may call `/graphql`. */
  corsOrigins: ReadonlySet<string>;
  /** Whether `Mutation` (stopping executions) is in the schema, and why (SPEC section 6). */
  mutations: { enabled: boolean; reason: string };
  /** The cache of finished executions (SPEC section 7). */
  cache: CacheConfig;
  /** Live status (SPEC section 8). */
  watch: {
    /** Default 2000, `WATCH_INTERVAL_MS`. */
    intervalMs: number;
    /** Default 30000, `WATCH_MAX_INTERVAL_MS`. */
    maxIntervalMs: number;
    /** Default 10000, `MAX_WATCHED_EXECUTIONS`: executions watched at once in the process. */
    maxWatched: number;
    /** Default 100, `MAX_SUBSCRIPTIONS_PER_CONNECTION`. */
    maxPerConnection: number;
  };
  /** Default `info`, `LOG_LEVEL`. */
  logLevel: string;
  /** Default 500: most ids one request may ask for, over `executions(ids)` and `_entities`, `MAX_IDS_PER_REQUEST`. */
  maxIdsPerRequest: number;
  /** Default 10000: how long in-flight requests may run on after SIGTERM/SIGINT, `SHUTDOWN_GRACE_MS`. */
  shutdownGraceMs: number;
  /**
   * Default 0: how long `/readyz` answers 503 before the listener closes on SIGTERM/SIGINT, so a
   * load balancer stops sending first, `SHUTDOWN_DRAIN_MS`.
   */
  shutdownDrainMs: number;
  /** Query shape limits: `MAX_DEPTH` (10), `MAX_ALIASES` (15), `MAX_TOKENS` (2000), `MAX_COST` (5000). */
  queryLimits: { depth: number; aliases: number; tokens: number; cost: number };
}

export interface CacheConfig {
  /** Default 3600, `CACHE_TTL_SECONDS`: how long a finished execution is kept; 0 turns caching off. */
  ttlSeconds: number;
  /** Default 64, `CACHE_MAX_MB`: the in-process tier's bound, in MiB of JSON. */
  maxMb: number;
  /** Default none, `REDIS_URL` (`redis://` or `rediss://`): the tier shared by replicas. */
  redisUrl: URL | undefined;
  /** Default 50, `REDIS_TIMEOUT_MS`: longer than this, a Redis lookup is skipped. */
  redisTimeoutMs: number;
}

/** Bad configuration, said in one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads the configuration of `registry`'s providers from environment variables (SPEC section 5). */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  registry: readonly Provider[] = providers,
  /** Default false: the embedded demo, where mutations are on unless `MUTATIONS=false`. */
  demo = false,
): Config {
  // Every bad variable is reported at once, one line each, rather than the first alone.
  const problems: string[] = [];
  collecting = problems;
  try {
    const config = readConfig(env, registry, demo);
    if (problems.length > 0) throw new ConfigError(problems.join('\n'));
    return config;
  } finally {
    collecting = undefined;
  }
}

/** Where `reject` puts problems while `loadConfig` runs; outside it, `reject` throws. */
let collecting: string[] | undefined;

/** A bad variable: noted (and `fallback` used) while loading, else a `ConfigError`. */
function reject<T>(message: string, fallback: T): T {
  if (!collecting) throw new ConfigError(message);
  collecting.push(message);
  return fallback;
}

function readConfig(env: NodeJS.ProcessEnv, registry: readonly Provider[], demo: boolean): Config {
  const configured = new Map<string, ProviderConfig>();
  for (const { datasource } of registry) {
    const config = providerConfig(datasource, env);
    if (config) configured.set(datasource.key, config);
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    reject(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}".`, undefined);
  }
  return {
    port: integer(env, 'PORT', 4000, 0, 65_535),
    host: env.HOST?.trim() || '0.0.0.0',
    registry,
    providers: configured,
    routerSecret: env.ROUTER_SECRET || undefined,
    introspection: boolean(env, 'INTROSPECTION', true),
    corsOrigins: corsOrigins(env),
    otlpEndpoint: otlpEndpoint(env),
    mutations: mutations(env, demo),
    watch: {
      intervalMs: integer(env, 'WATCH_INTERVAL_MS', 2000, 10, 3_600_000),
      maxIntervalMs: integer(env, 'WATCH_MAX_INTERVAL_MS', 30_000, 10, 3_600_000),
      maxWatched: integer(env, 'MAX_WATCHED_EXECUTIONS', 10_000, 1, 1_000_000),
      maxPerConnection: integer(env, 'MAX_SUBSCRIPTIONS_PER_CONNECTION', 100, 1, 10_000),
    },
    cache: {
      ttlSeconds: integer(env, 'CACHE_TTL_SECONDS', 3600, 0, 30 * 24 * 3600),
      maxMb: integer(env, 'CACHE_MAX_MB', 64, 1, 65_536),
      redisUrl: redisUrl(env),
      redisTimeoutMs: integer(env, 'REDIS_TIMEOUT_MS', 50, 1, 60_000),
    },
    logLevel,
    maxIdsPerRequest: integer(env, 'MAX_IDS_PER_REQUEST', 500, 1, 100_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    shutdownDrainMs: integer(env, 'SHUTDOWN_DRAIN_MS', 0, 0, 600_000),
    queryLimits: {
      depth: integer(env, 'MAX_DEPTH', 10, 1, 100),
      aliases: integer(env, 'MAX_ALIASES', 15, 0, 1000),
      tokens: integer(env, 'MAX_TOKENS', 2000, 10, 100_000),
      cost: integer(env, 'MAX_COST', 5000, 1, 1_000_000),
    },
  };
}

function providerConfig(
  provider: Datasource<unknown>,
  env: NodeJS.ProcessEnv,
): ProviderConfig | undefined {
  const prefix = provider.env;
  const rawUrl = env[`${prefix}_URL`]?.trim();
  if (!rawUrl) return undefined;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return reject(`${prefix}_URL is not a URL: expected e.g. https://api.example.com.`, undefined);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return reject(`${prefix}_URL must be an http or https URL, not ${url.protocol}.`, undefined);
  }
  if (url.username || url.password || url.search || url.hash) {
    return reject(
      `${prefix}_URL must not carry credentials, a query or a fragment: put credentials in the ${prefix}_* variables.`,
      undefined,
    );
  }
  const credentials: Record<string, string> = {};
  for (const setting of provider.credentials) {
    const value = env[`${prefix}_${setting.env}`];
    if (value) credentials[setting.name] = value;
  }
  const problem = provider.checkCredentials(credentials);
  if (problem) return reject(`${prefix}_URL is set but ${problem}.`, undefined);
  return {
    url,
    timeoutMs: integer(env, `${prefix}_TIMEOUT_MS`, 10_000, 1, 600_000),
    concurrency: integer(env, `${prefix}_CONCURRENCY`, 32, 1, 1024),
    retries: integer(env, `${prefix}_RETRIES`, 2, 0, 10),
    breakerThreshold: integer(env, `${prefix}_BREAKER_THRESHOLD`, 5, 1, 1000),
    breakerCooldownMs: integer(env, `${prefix}_BREAKER_COOLDOWN_MS`, 10_000, 100, 3_600_000),
    credentials,
  };
}

/** Every configured secret value, for redaction. */
export function secretsOf(config: Config): string[] {
  const secrets: string[] = config.routerSecret ? [config.routerSecret] : [];
  const redisPassword = config.cache.redisUrl?.password;
  if (redisPassword) secrets.push(redisPassword, decodeURIComponent(redisPassword));
  for (const { datasource } of config.registry) {
    const credentials = config.providers.get(datasource.key)?.credentials ?? {};
    for (const setting of datasource.credentials) {
      const value = credentials[setting.name];
      if (value && setting.secret !== false) secrets.push(value);
    }
  }
  return secrets;
}

/**
 * Secure by default: without ROUTER_SECRET anyone who reaches the subgraph could stop
 * executions, so mutations are on only with the secret, in the demo, or when MUTATIONS=true.
 */
function corsOrigins(env: NodeJS.ProcessEnv): ReadonlySet<string> {
  const origins = new Set<string>();
  for (const raw of (env.CORS_ORIGINS ?? '').split(',')) {
    const text = raw.trim();
    if (!text) continue;
    let origin: string | undefined;
    try {
      origin = new URL(text).origin;
    } catch {
      origin = undefined;
    }
    if (!origin || origin === 'null' || origin !== text.replace(/\/$/, '')) {
      reject(
        `CORS_ORIGINS must list origins such as http://localhost:5173, not "${text}".`,
        undefined,
      );
      continue;
    }
    origins.add(origin);
  }
  return origins;
}

function otlpEndpoint(env: NodeJS.ProcessEnv): URL | undefined {
  const raw = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // Reported below.
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    return reject(
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL of an OTLP collector, e.g. http://localhost:4318.',
      undefined,
    );
  }
  return url;
}

function redisUrl(env: NodeJS.ProcessEnv): URL | undefined {
  const raw = env.REDIS_URL?.trim();
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return reject('REDIS_URL is not a URL: expected e.g. redis://127.0.0.1:6379/0.', undefined);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    return reject(`REDIS_URL must be a redis:// or rediss:// URL, not ${url.protocol}.`, undefined);
  }
  return url;
}

export function mutations(env: NodeJS.ProcessEnv, demo = false): Config['mutations'] {
  const raw = env.MUTATIONS?.trim();
  if (raw) {
    const enabled = boolean(env, 'MUTATIONS', false);
    return { enabled, reason: `MUTATIONS=${raw}` };
  }
  if (env.ROUTER_SECRET)
    return { enabled: true, reason: 'ROUTER_SECRET is set, so only the router can reach them' };
  if (demo) return { enabled: true, reason: 'the demo turns them on' };
  return {
    enabled: false,
    reason:
      'neither ROUTER_SECRET nor MUTATIONS=true is set, and without a secret anyone who reaches the subgraph could stop executions',
  };
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    return reject(`${name} must be a whole number from ${min} to ${max}, not "${raw}".`, fallback);
  }
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  return reject(`${name} must be true or false, not "${raw}".`, fallback);
}
