import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const COUNTS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500];
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;

const STATUS_CLASSES = ['error', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** Default 50: distinct operation names kept as label values; later ones count as `other`. */
const MAX_OPERATION_NAMES = 50;

/**
 * The service's Prometheus metrics, in a registry of its own (one per app, so tests can run
 * several). Label values are bounded: provider names, status classes, error codes and at most
 * `MAX_OPERATION_NAMES` operation names; never ids or paths.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new Set<string>();
  private readonly labelSets = new Map<string, object>();

  readonly graphqlRequests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests answered, by operation name.',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  readonly fastPathRequests = new Counter({
    name: 'graphql_fast_path_requests_total',
    help: "GraphQL requests answered on the fast path (a prepared query, without Apollo Server's per-request pipeline); the rest of graphql_requests_total went through Apollo Server.",
    registers: [this.registry],
  });
  readonly graphqlErrors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors in GraphQL responses, by operation name and extensions.code.',
    labelNames: ['operation', 'code'] as const,
    registers: [this.registry],
  });
  readonly graphqlDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL request, by operation name.',
    labelNames: ['operation'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  readonly upstreamDuration = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Time of one upstream HTTP attempt, by provider and status class (2xx..5xx, or error when no response came).',
    labelNames: ['provider', 'status_class'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  /** Kept in a plain map and read at scrape time: two label lookups per call cost more. */
  private readonly inFlight = new Map<string, number>();
  readonly upstreamInFlight = new Gauge({
    name: 'upstream_in_flight',
    help: 'Upstream HTTP requests in flight, by provider.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [provider, count] of this.inFlight) this.upstreamInFlight.set({ provider }, count);
    },
  });
  readonly upstreamPerRequest = new Histogram({
    name: 'upstream_requests_per_graphql_request',
    help: 'Upstream fetches one GraphQL request caused (after batching and deduplication).',
    buckets: COUNTS,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'dataloader_batch_size',
    help: 'Executions per DataLoader batch, by provider.',
    labelNames: ['provider'] as const,
    buckets: COUNTS,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A label value for a client-chosen operation name. */
  operation(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operations.has(name)) return name;
    if (!NAME.test(name)) return 'other';
    if (this.operations.size >= MAX_OPERATION_NAMES) return 'other';
    this.operations.add(name);
    return name;
  }

  /** A label value for an error code. */
  code(code: unknown): string {
    return typeof code === 'string' && CODE.test(code) ? code : 'OTHER';
  }

  /** Times one upstream attempt; call the result with the status (or nothing) when it ends. */
  startUpstream(provider: string): (status?: number) => void {
    this.inFlight.set(provider, (this.inFlight.get(provider) ?? 0) + 1);
    const byClass = this.labels(`upstream ${provider}`, () =>
      STATUS_CLASSES.map((statusClass) => ({ provider, status_class: statusClass })),
    );
    const started = performance.now();
    return (status) => {
      this.inFlight.set(provider, this.inFlight.get(provider)! - 1);
      const index = status === undefined ? 0 : Math.floor(status / 100);
      this.upstreamDuration.observe(
        byClass[index] ?? byClass[0]!,
        (performance.now() - started) / 1000,
      );
    };
  }

  /** One label object per label set, made once: prom-client only reads them. */
  labels<T extends object>(key: string, make: () => T): T {
    let labels = this.labelSets.get(key) as T | undefined;
    if (!labels) {
      labels = make();
      this.labelSets.set(key, labels);
    }
    return labels;
  }
}
