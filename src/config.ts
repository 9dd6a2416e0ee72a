import { z } from 'zod';

/** What configuration needs of a provider to read its variables (a datasource has all of it). */
export interface ProviderSettings {
  /** Key in `Config.providers`. */
  key: string;
  /** The provider's name in errors and logs. */
  name: string;
  /** Environment variable prefix <P>, as in <P>_URL. */
  env: string;
  /** Each credential's key in `ProviderConfig.credentials` and its variable, `<P>_<env>`. */
  credentials: ReadonlyArray<{ name: string; env: string; secret?: boolean }>;
  /** A problem with the configured credentials, in one line, or undefined when usable. */
  checkCredentials(credentials: Readonly<Record<string, string>>): string | undefined;
}

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
  /**
   * Default `parentbased_always_on`, `OTEL_TRACES_SAMPLER`, with `OTEL_TRACES_SAMPLER_ARG` the
   * ratio of the `traceidratio` ones (default 1): checked here, read by the tracing itself
   * (`src/telemetry/sampler.ts`).
   */
  tracesSampler: { name: TracesSampler; ratio: number };
  /** Default none, `CORS_ORIGINS` (comma-separated): origins whose pages may call `/graphql`. */
  corsOrigins: ReadonlySet<string>;
  /** Whether `Mutation` (stopping executions) is in the schema, and why (see `mutations`). */
  mutations: { enabled: boolean; reason: string };
  /** The cache of finished executions. */
  cache: CacheConfig;
  /** Live status. */
  watch: {
    /** Default 2000, `WATCH_INTERVAL_MS`. */
    intervalMs: number;
    /** Default 30000, `WATCH_MAX_INTERVAL_MS`. */
    maxIntervalMs: number;
    /** Default 10000, `MAX_WATCHED_EXECUTIONS`: executions watched at once in the process. */
    maxWatched: number;
    /** Default 100, `MAX_SUBSCRIPTIONS_PER_CONNECTION`. */
    maxPerConnection: number;
    /** Default 45000, `WATCH_STREAM_IDLE_MS`: a provider's event stream silent this long hangs. */
    streamIdleMs: number;
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
  /** What every way in is held to beyond the query (docs/transports.md). */
  transport: TransportConfig;
  /** `searchExecutions` (docs/search.md). */
  search: SearchConfig;
  /**
   * Default 86400, `RERUN_IDEMPOTENCY_SECONDS`: how long a `rerunExecution` idempotency key
   * answers the execution its first mutation started (docs/rerun.md).
   */
  rerunIdempotencySeconds: number;
}

export interface SearchConfig {
  /** Default 100, `MAX_PAGE_SIZE`: the largest `first`. */
  maxPageSize: number;
  /** Default 3, `SEARCH_MAX_CALLS`: list calls per provider (per workflow for Yandex) per page. */
  maxCalls: number;
  /** Default 20, `SEARCH_MAX_WORKFLOWS`: the folder's workflows a search lists at most. */
  maxWorkflows: number;
  /**
   * Default none, `CURSOR_SECRET`: what cursors are signed with. Unset, a key made at start-up,
   * so a cursor works only with the process that made it.
   */
  cursorSecret: string | undefined;
}

export interface TransportConfig {
  /** Default 32, `DOCUMENT_CACHE_MB`: the parsed documents kept, every route's, by estimate. */
  documentCacheMb: number;
  /**
   * Default none, `CALLBACK_URL_PREFIXES` (comma-separated http or https URLs): the only URLs the
   * callback protocol posts to start with one of them. Without any, it needs `ROUTER_SECRET`.
   */
  callbackUrlPrefixes: readonly string[];
  /** Default 1000, `MAX_CALLBACK_SUBSCRIPTIONS`: callback subscriptions running at once. */
  maxCallbackSubscriptions: number;
  /** Default 10000, `MAX_CONNECTIONS`: WebSocket connections open at once. */
  maxConnections: number;
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
  /**
   * Default none, `CACHE_SIGNING_KEY` (else `ROUTER_SECRET`): what the values shared in Redis
   * are signed with, so that one nobody signed is not served. Unset, Redis must be trusted.
   */
  signingKey: string | undefined;
}

/** Bad configuration, said in one line that names the variable (a line each when several are). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads the configuration of `providers` from environment variables. */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  providers: readonly ProviderSettings[],
  /** Default false: the embedded demo, where mutations are on unless `MUTATIONS=false`. */
  demo = false,
): Config {
  return read(env, configSchema(providers, demo));
}

/**
 * Secure by default: without ROUTER_SECRET anyone who reaches the subgraph could stop
 * executions, so mutations are on only with the secret, in the demo, or when MUTATIONS=true.
 */
export function mutations(env: NodeJS.ProcessEnv, demo = false): Config['mutations'] {
  return read(env, mutationsSchema(demo));
}

/** Every configured secret value of `config` and its `providers`, for redaction. */
export function secretsOf(config: Config, providers: readonly ProviderSettings[]): string[] {
  // The signing key is the router secret unless CACHE_SIGNING_KEY is set: each once.
  const secrets: string[] = [
    ...new Set(
      [config.routerSecret, config.cache.signingKey, config.search.cursorSecret].filter(
        (value) => value !== undefined,
      ),
    ),
  ];
  const redisPassword = config.cache.redisUrl?.password;
  if (redisPassword) secrets.push(redisPassword, decodeURIComponent(redisPassword));
  for (const provider of providers) {
    const credentials = config.providers.get(provider.key)?.credentials ?? {};
    for (const setting of provider.credentials) {
      const value = credentials[setting.name];
      if (value && setting.secret !== false) secrets.push(value);
    }
  }
  return secrets;
}

/** Environment variables by name; blank ones are unset. */
type Environment = Readonly<Record<string, string | undefined>>;

/** A schema over the environment: each of its parts reads its own variables. */
type Reading<T> = z.ZodType<T, Environment>;

/**
 * `schema`'s reading of `env`, or a `ConfigError` with one line per bad variable: every
 * variable is read, so a bad one hides none of the others.
 */
function read<T>(env: Environment, schema: Reading<T>): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map(({ message }) => message).join('\n'));
}

/** Every variable of the service and of `providers`, read into a `Config`. */
function configSchema(providers: readonly ProviderSettings[], demo: boolean): Reading<Config> {
  return environment({
    port: integer('PORT', 4000, 0, 65_535),
    // The demo has mutations on and no secret: it stays on loopback unless HOST opens it.
    host: text('HOST').transform((host) => host ?? (demo ? '127.0.0.1' : '0.0.0.0')),
    providers: providersSchema(providers),
    routerSecret: secret('ROUTER_SECRET'),
    introspection: boolean('INTROSPECTION', true),
    otlpEndpoint: otlpEndpoint(),
    tracesSampler: tracesSampler(),
    corsOrigins: corsOrigins(),
    mutations: mutationsSchema(demo),
    cache: environment({
      ttlSeconds: integer('CACHE_TTL_SECONDS', 3600, 0, 30 * 24 * 3600),
      maxMb: integer('CACHE_MAX_MB', 64, 1, 65_536),
      redisUrl: redisUrl(),
      redisTimeoutMs: integer('REDIS_TIMEOUT_MS', 50, 1, 60_000),
      signingKey: environment({
        key: secret('CACHE_SIGNING_KEY'),
        routerSecret: secret('ROUTER_SECRET'),
      }).transform(({ key, routerSecret }) => key ?? routerSecret),
    }),
    watch: environment({
      intervalMs: integer('WATCH_INTERVAL_MS', 2000, 10, 3_600_000),
      maxIntervalMs: integer('WATCH_MAX_INTERVAL_MS', 30_000, 10, 3_600_000),
      maxWatched: integer('MAX_WATCHED_EXECUTIONS', 10_000, 1, 1_000_000),
      maxPerConnection: integer('MAX_SUBSCRIPTIONS_PER_CONNECTION', 100, 1, 10_000),
      streamIdleMs: integer('WATCH_STREAM_IDLE_MS', 45_000, 10, 3_600_000),
    }),
    logLevel: logLevel(),
    maxIdsPerRequest: integer('MAX_IDS_PER_REQUEST', 500, 1, 100_000),
    shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    shutdownDrainMs: integer('SHUTDOWN_DRAIN_MS', 0, 0, 600_000),
    queryLimits: environment({
      depth: integer('MAX_DEPTH', 10, 1, 100),
      aliases: integer('MAX_ALIASES', 15, 0, 1000),
      tokens: integer('MAX_TOKENS', 2000, 10, 100_000),
      cost: integer('MAX_COST', 5000, 1, 1_000_000),
    }),
    transport: environment({
      documentCacheMb: integer('DOCUMENT_CACHE_MB', 32, 1, 4096),
      callbackUrlPrefixes: callbackUrlPrefixes(),
      maxCallbackSubscriptions: integer('MAX_CALLBACK_SUBSCRIPTIONS', 1000, 1, 1_000_000),
      maxConnections: integer('MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    }),
    search: environment({
      maxPageSize: integer('MAX_PAGE_SIZE', 100, 1, 1000),
      maxCalls: integer('SEARCH_MAX_CALLS', 3, 1, 100),
      maxWorkflows: integer('SEARCH_MAX_WORKFLOWS', 20, 1, 1000),
      cursorSecret: secret('CURSOR_SECRET'),
    }),
    rerunIdempotencySeconds: integer('RERUN_IDEMPOTENCY_SECONDS', 86_400, 1, 30 * 86_400),
  });
}

/** The configured ones of `providers`, by key. */
function providersSchema(
  providers: readonly ProviderSettings[],
): Reading<Map<string, ProviderConfig>> {
  return environment(
    Object.fromEntries(providers.map((provider) => [provider.key, providerSchema(provider)])),
  ).transform(
    (configs) =>
      new Map(
        Object.entries(configs).filter(
          (entry): entry is [string, ProviderConfig] => entry[1] !== undefined,
        ),
      ),
  );
}

/** Default none: `provider`'s `<P>_*` variables, read only when `<P>_URL` is set. */
function providerSchema(provider: ProviderSettings): Reading<ProviderConfig | undefined> {
  const name = (suffix: string) => `${provider.env}_${suffix}`;
  const configured = environment({
    connection: connection(provider),
    timeoutMs: integer(name('TIMEOUT_MS'), 10_000, 1, 600_000),
    concurrency: integer(name('CONCURRENCY'), 32, 1, 1024),
    retries: integer(name('RETRIES'), 2, 0, 10),
    breakerThreshold: integer(name('BREAKER_THRESHOLD'), 5, 1, 1000),
    breakerCooldownMs: integer(name('BREAKER_COOLDOWN_MS'), 10_000, 100, 3_600_000),
  }).transform(({ connection, ...limits }) => ({ ...connection, ...limits }));
  return z.preprocess(
    (env: Environment) => (env[name('URL')]?.trim() ? env : undefined),
    configured.optional(),
  );
}

/**
 * `<P>_URL` and `provider`'s credential variables (default none each), which `checkCredentials`
 * must accept: they are checked once the URL is good.
 */
function connection(
  provider: ProviderSettings,
): Reading<Pick<ProviderConfig, 'url' | 'credentials'>> {
  const credentials = z.transform((env: Environment) => {
    const credentials: Record<string, string> = {};
    for (const setting of provider.credentials) {
      const value = env[`${provider.env}_${setting.env}`];
      if (value) credentials[setting.name] = value;
    }
    return credentials;
  });
  return environment({ url: providerUrl(provider.env), credentials }).transform(
    ({ url, credentials }, ctx) => {
      const problem = provider.checkCredentials(credentials);
      if (problem) return invalid(ctx, `${provider.env}_URL is set but ${problem}.`);
      return { url, credentials };
    },
  );
}

/** `<P>_URL`, which is set: an http or https URL with no credentials, query or fragment. */
function providerUrl(prefix: string): Reading<URL> {
  const name = `${prefix}_URL`;
  return text(name).transform((raw = '', ctx) => {
    if (!URL.canParse(raw)) {
      return invalid(ctx, `${name} is not a URL: expected e.g. https://api.example.com.`);
    }
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return invalid(ctx, `${name} must be an http or https URL, not ${url.protocol}.`);
    }
    if (url.username || url.password || url.search || url.hash) {
      return invalid(
        ctx,
        `${name} must not carry credentials, a query or a fragment: put credentials in the ${prefix}_* variables.`,
      );
    }
    return url;
  });
}

/** `Config.mutations`: `MUTATIONS`, else on with `ROUTER_SECRET` or in the demo, else off. */
function mutationsSchema(demo: boolean): Reading<Config['mutations']> {
  return environment({
    setting: text('MUTATIONS'),
    enabled: boolean('MUTATIONS', false),
    routerSecret: secret('ROUTER_SECRET'),
  }).transform(({ setting, enabled, routerSecret }) => {
    if (setting) return { enabled, reason: `MUTATIONS=${setting}` };
    if (routerSecret)
      return { enabled: true, reason: 'ROUTER_SECRET is set, so only the router can reach them' };
    if (demo) return { enabled: true, reason: 'the demo turns them on' };
    return {
      enabled: false,
      reason:
        'neither ROUTER_SECRET nor MUTATIONS=true is set, and without a secret anyone who reaches the subgraph could stop or rerun executions',
    };
  });
}

/** Default none: `CORS_ORIGINS`, comma-separated origins, each bad one reported. */
function corsOrigins(): Reading<ReadonlySet<string>> {
  return text('CORS_ORIGINS').transform((list = '', ctx) => {
    const origins = new Set<string>();
    for (const raw of list.split(',')) {
      const entry = raw.trim();
      if (!entry) continue;
      const origin = URL.canParse(entry) ? new URL(entry).origin : undefined;
      if (!origin || origin === 'null' || origin !== entry.replace(/\/$/, '')) {
        invalid(
          ctx,
          `CORS_ORIGINS must list origins such as http://localhost:5173, not "${entry}".`,
        );
        continue;
      }
      origins.add(origin);
    }
    return origins;
  });
}

/** Default none: `CALLBACK_URL_PREFIXES`, comma-separated http or https URLs, each bad one reported. */
function callbackUrlPrefixes(): Reading<readonly string[]> {
  return text('CALLBACK_URL_PREFIXES').transform((list = '', ctx) => {
    const prefixes: string[] = [];
    for (const raw of list.split(',')) {
      const entry = raw.trim();
      if (!entry) continue;
      const url = URL.canParse(entry) ? new URL(entry) : undefined;
      if (
        (url?.protocol !== 'http:' && url?.protocol !== 'https:') ||
        url.username ||
        url.password ||
        url.search ||
        url.hash
      ) {
        invalid(
          ctx,
          `CALLBACK_URL_PREFIXES must list http or https URLs such as https://router.example.com/callback/, not "${entry}".`,
        );
        continue;
      }
      // As URL writes it (lower-case host, default port dropped), which a callback URL is compared in.
      prefixes.push(url.href);
    }
    return prefixes;
  });
}

/** Default none: `OTEL_EXPORTER_OTLP_ENDPOINT`, an http or https URL. */
function otlpEndpoint(): Reading<URL | undefined> {
  return text('OTEL_EXPORTER_OTLP_ENDPOINT').transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
      return invalid(
        ctx,
        'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL of an OTLP collector, e.g. http://localhost:4318.',
      );
    }
    return url;
  });
}

/** The samplers `OTEL_TRACES_SAMPLER` may name: the standard ones. */
const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

export type TracesSampler = (typeof TRACES_SAMPLERS)[number];

/**
 * `OTEL_TRACES_SAMPLER` (a standard name, default `parentbased_always_on`) and
 * `OTEL_TRACES_SAMPLER_ARG` (a ratio from 0 to 1, default 1) as `env` sets them, or what is wrong
 * with them: the configuration checks them, and the tracing (started before the configuration is
 * read) builds its sampler from them.
 */
export function tracesSamplerOf(
  env: Environment,
): { name: TracesSampler; ratio: number } | { problems: string[] } {
  const name = env.OTEL_TRACES_SAMPLER?.trim() || 'parentbased_always_on';
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim() || undefined;
  const ratio = arg === undefined ? 1 : Number(arg);
  const problems: string[] = [];
  if (!(TRACES_SAMPLERS as readonly string[]).includes(name)) {
    problems.push(
      `OTEL_TRACES_SAMPLER must be one of ${TRACES_SAMPLERS.join(', ')}, not "${name}".`,
    );
  }
  if (!(ratio >= 0 && ratio <= 1)) {
    problems.push(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, not "${arg}".`);
  }
  return problems.length > 0 ? { problems } : { name: name as TracesSampler, ratio };
}

/** `tracesSamplerOf`, each problem a configuration error. */
function tracesSampler(): Reading<{ name: TracesSampler; ratio: number }> {
  return z.transform((env: Environment, ctx) => {
    const read = tracesSamplerOf(env);
    if (!('problems' in read)) return read;
    for (const problem of read.problems) ctx.addIssue(problem);
    return z.NEVER;
  });
}

/** Default none: `REDIS_URL`, a redis or rediss URL. */
function redisUrl(): Reading<URL | undefined> {
  return text('REDIS_URL').transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    if (!URL.canParse(raw)) {
      return invalid(ctx, 'REDIS_URL is not a URL: expected e.g. redis://127.0.0.1:6379/0.');
    }
    const url = new URL(raw);
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
      return invalid(ctx, `REDIS_URL must be a redis:// or rediss:// URL, not ${url.protocol}.`);
    }
    return url;
  });
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Default `info`: `LOG_LEVEL`, one of pino's levels. */
function logLevel(): Reading<string> {
  return text('LOG_LEVEL').pipe(
    z
      .enum(LOG_LEVELS, {
        error: ({ input }) =>
          `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${String(input)}".`,
      })
      .default('info'),
  );
}

/** Default `fallback`: the variable `name`, a whole number from `min` to `max`. */
function integer(name: string, fallback: number, min: number, max: number): Reading<number> {
  return text(name).transform((raw, ctx) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (/^\d+$/.test(raw) && value >= min && value <= max) return value;
    return invalid(ctx, `${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
  });
}

/** Default `fallback`: the variable `name`, true or 1, false or 0, in any case. */
function boolean(name: string, fallback: boolean): Reading<boolean> {
  return text(name).transform((raw, ctx) => {
    const value = raw?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    return invalid(ctx, `${name} must be true or false, not "${value}".`);
  });
}

/** Default none: the variable `name`, trimmed; blank is unset. */
function text(name: string) {
  return z.transform((env: Environment) => env[name]?.trim() || undefined);
}

/** Default none: the variable `name` exactly as set (spaces and all); empty is unset. */
function secret(name: string) {
  return z.transform((env: Environment) => env[name] || undefined);
}

/**
 * The schema over the environment whose fields are `shape`'s: each field's schema is given the
 * whole environment, and every field is read, so the problems of all of them are reported.
 */
function environment<Shape extends Record<string, Reading<unknown>>>(shape: Shape) {
  return z.preprocess(
    (env: Environment) => Object.fromEntries(Object.keys(shape).map((field) => [field, env])),
    z.object(shape),
  );
}

/** Notes `message` as the problem of the variable being read; its value is then unused. */
function invalid(ctx: z.core.$RefinementCtx, message: string): never {
  ctx.addIssue(message);
  return z.NEVER;
}
