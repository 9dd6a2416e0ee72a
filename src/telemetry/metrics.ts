import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import {
  SeriesCounter,
  SeriesHistogram,
  type CounterSeries,
  type HistogramSeries,
} from './metric-series.js';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const COUNTS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500];
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

const STATUS_CLASSES = ['error', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** Default 50: distinct operation names kept as label values; later ones count as `other`. */
const MAX_OPERATION_NAMES = 50;

/** One provider's upstream calls in flight and the series its calls and batches are recorded in. */
interface ProviderSeries {
  inFlight: number;
  /** By status class, in `STATUS_CLASSES` order; each made on its first observation. */
  byClass: Array<HistogramSeries<'provider' | 'status_class'> | undefined>;
  batchSize?: HistogramSeries<'provider'>;
}

/** The series one operation name's requests are recorded in. */
interface OperationSeries {
  requests: CounterSeries<'operation'>;
  duration: HistogramSeries<'operation'>;
}

/**
 * The service's Prometheus metrics, in a registry of its own (one per app, so tests can run
 * several). Label values are bounded: provider names, status classes, error codes and at most
 * `MAX_OPERATION_NAMES` operation names; never ids or paths. What every request or upstream call
 * records is kept in `SeriesCounter`s and `SeriesHistogram`s, resolved once per label set.
 */
export class Metrics {
  readonly registry = new Registry();
  /** Operation names admitted as label values. */
  private readonly names = new Set<string>();
  private readonly operations = new Map<string, OperationSeries>();
  private readonly providers = new Map<string, ProviderSeries>();

  readonly graphqlRequests = new SeriesCounter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests answered, by operation name.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly fastPathRequests = new SeriesCounter({
    name: 'graphql_fast_path_requests_total',
    help: "GraphQL requests answered on the fast path (a prepared query, without Apollo Server's per-request pipeline); the rest of graphql_requests_total went through Apollo Server.",
    registers: [this.registry],
  });
  readonly cacheLookups = new SeriesCounter({
    name: 'execution_cache_lookups_total',
    help: 'Execution cache lookups by tier (memory, redis), provider and result (hit, miss). A memory miss goes on to Redis when it is configured.',
    labelNames: ['tier', 'provider', 'result'] as const,
    registers: [this.registry],
  });
  readonly cacheRedisErrors = new Counter({
    name: 'execution_cache_redis_errors_total',
    help: 'Redis commands that failed or timed out (command), and Redis entries that were not a valid execution (entry).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly redisRejected = new Counter({
    name: 'executions_redis_rejected_total',
    help: "Values read from Redis that were dropped, never served: by kind (cache: a cached execution; poller: a shared poller's message; rerun: a rerun's idempotency claim) and reason (signature: not signed with this service's key for the key or channel it was read from; shape: not a valid execution or message).",
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });
  readonly watchChanges = new Counter({
    name: 'executions_watch_changes_total',
    help: "Changes of watched executions sent to their subscribers, by provider and source: poll (a timed poll), webhook (a poll a provider's webhook asked for), stream (a poll a provider's event stream asked for), replica (another replica's poll, through Redis).",
    labelNames: ['provider', 'source'] as const,
    registers: [this.registry],
  });
  readonly watchStreams = new Gauge({
    name: 'executions_watch_streams_open',
    help: "Providers' event streams this replica follows that are up now (one per tree of watched executions), by provider.",
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly watchStreamReconnects = new Counter({
    name: 'executions_watch_stream_reconnects_total',
    help: "Providers' event streams opened again after they failed, ended or hung, by provider.",
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly webhooks = new Counter({
    name: 'executions_webhooks_total',
    help: "Webhook POSTs received, by provider and outcome: fetched (a watched execution, fetched now for its subscribers), forwarded (not watched here; the replica that polls it, if any, asked through Redis to poll now), unwatched, ignored (signed, but no execution's), refused (the signature does not verify), too_large.",
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly executionStops = new Counter({
    name: 'execution_stops_total',
    help: 'Stops asked for by stopExecution(s), by provider and outcome: stopped (the provider accepted), finished (no call: already terminal), not_supported, or the error code.',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by operation name and extensions.code.',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });
  readonly graphqlDuration = new SeriesHistogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL request, by operation name.',
    labelNames: ['operation'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly upstreamDuration = new SeriesHistogram({
    name: 'upstream_request_duration_seconds',
    help: 'Time of one upstream HTTP attempt, by provider and status class (2xx..5xx, or error when no response came).',
    labelNames: ['provider', 'status_class'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly upstreamInFlight = new Gauge({
    name: 'upstream_in_flight',
    help: 'Upstream HTTP requests in flight, by provider.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [provider, { inFlight }] of this.providers) {
        this.upstreamInFlight.set({ provider }, inFlight);
      }
    },
  });
  readonly upstreamPerRequest = new SeriesHistogram({
    name: 'upstream_requests_per_graphql_request',
    help: 'Upstream fetches one GraphQL request caused (after batching and deduplication).',
    buckets: COUNTS,
    registers: [this.registry],
  });
  readonly batchSize = new SeriesHistogram({
    name: 'dataloader_batch_size',
    help: 'Executions per DataLoader batch, by provider.',
    labelNames: ['provider'] as const,
    buckets: COUNTS,
    registers: [this.registry],
  });
  private readonly perRequest = this.upstreamPerRequest.series({});

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Reports the in-process cache tier's size at each scrape. */
  cacheEntries(read: () => { entries: number; bytes: number }): void {
    new Gauge({
      name: 'execution_cache_entries',
      help: 'Finished executions held in the in-process cache tier.',
      registers: [this.registry],
      collect() {
        this.set(read().entries);
      },
    });
    new Gauge({
      name: 'execution_cache_bytes',
      help: 'Bytes of keys and JSON held in the in-process cache tier (bounded by CACHE_MAX_MB).',
      registers: [this.registry],
      collect() {
        this.set(read().bytes);
      },
    });
  }

  /** A label value for a client-chosen operation name. */
  operation(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.names.has(name)) return name;
    if (!NAME.test(name)) return 'other';
    if (this.names.size >= MAX_OPERATION_NAMES) return 'other';
    this.names.add(name);
    return name;
  }

  /** A label value for an error code. */
  code(code: unknown): string {
    return typeof code === 'string' && CODE.test(code) ? code : 'OTHER';
  }

  /** One answered GraphQL request, under its operation's label value (see `operation`). */
  request(operation: string, seconds: number, upstreamCalls: number): void {
    let series = this.operations.get(operation);
    if (!series) {
      series = {
        requests: this.graphqlRequests.series({ operation }),
        duration: this.graphqlDuration.series({ operation }),
      };
      this.operations.set(operation, series);
    }
    series.requests.inc();
    series.duration.observe(seconds);
    this.perRequest.observe(upstreamCalls);
  }

  /** One DataLoader batch of `size` executions. */
  batch(provider: string, size: number): void {
    const series = this.provider(provider);
    (series.batchSize ??= this.batchSize.series({ provider })).observe(size);
  }

  /** Times one upstream attempt; call the result with the status (or nothing) when it ends. */
  startUpstream(provider: string): (status?: number) => void {
    const series = this.provider(provider);
    series.inFlight++;
    const started = performance.now();
    return (status) => {
      series.inFlight--;
      const byStatus = status === undefined ? 0 : Math.floor(status / 100);
      const index = byStatus < STATUS_CLASSES.length ? byStatus : 0;
      const byClass = (series.byClass[index] ??= this.upstreamDuration.series({
        provider,
        status_class: STATUS_CLASSES[index]!,
      }));
      byClass.observe((performance.now() - started) / 1000);
    };
  }

  private provider(provider: string): ProviderSeries {
    let series = this.providers.get(provider);
    if (!series) {
      series = { inFlight: 0, byClass: [] };
      this.providers.set(provider, series);
    }
    return series;
  }
}
