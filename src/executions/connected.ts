import { digest } from '../cache/digest.js';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type {
  EventStreamOpener,
  Fetcher,
  Lister,
  RequestScope,
  Starter,
  StepsFetcher,
  Stopper,
  StreamFinder,
} from '../datasources/datasource.js';
import { isApiError } from '../errors.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { tracing } from '../telemetry/tracing-hooks.js';
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
  /** Default none: the datasource's steps call, likewise, tried again like a read (docs/steps.md). */
  steps: StepsFetcher<Raw>['steps'] | undefined;
  /**
   * Default none: the datasource's start of a rerun (docs/rerun.md), tried again only after a
   * 429 or 503, when the provider did not act; failures are logged.
   */
  start: Starter<Raw>['start'] | undefined;
  /** Default none: the datasource's list call, likewise (docs/search.md). */
  list: ConnectedList | undefined;
  /**
   * Default none: the datasource's event stream of a tree (docs/live-status.md), unless its
   * setting turns it off. Not behind the call policy: its follower opens it again with backoff.
   */
  events: ConnectedEvents<Raw> | undefined;
  /**
   * Whom a request's answers are for beyond the deployment (say, a customer), as a digest; ''
   * when answers do not depend on it. Throws when the request has no scope.
   */
  scopeOf(header: (name: string) => string | undefined): string;
  /**
   * Which execution an answer is, and for whom: provider, deployment and request scope, native
   * id. The cache's keys and the watcher's pollers both go by it. Throws when the request has
   * no scope (say, a missing customer header).
   */
  keyOf(nativeId: string, header: (name: string) => string | undefined): string;
}

/** A provider's event stream, ready to follow. */
export interface ConnectedEvents<Raw = unknown> {
  /** The root of the tree whose stream tells of the execution's changes. */
  rootOf(nativeId: string, raw: Raw): string;
  open: EventStreamOpener<Raw>['open'];
}

/** A provider's list call, ready to use by a search. */
export interface ConnectedList {
  /** One page of one stream, behind the call policy; failed calls are logged. */
  page: Lister;
  /**
   * The streams of a search (`['']` for a provider with one list); a folder's workflows are
   * kept for a minute, and their calls are not list calls.
   */
  streams(
    workflowId: string | undefined,
    max: number,
    scope: RequestScope,
  ): Promise<readonly string[]>;
}

/** How long a folder's workflows are kept for searches. */
const STREAMS_TTL_MS = 60_000;

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
      .run((abort) => fetcher(nativeId, { ...scope, abort }), scope.abort, 'read', scope.trace)
      .catch((error: unknown) => {
        logFailure(logger, datasource.name, scope, error);
        throw error;
      });
  const stopper = datasource.stop?.connect(upstream, settings.credentials);
  const stop: Stopper | undefined =
    stopper &&
    ((nativeId, force, scope) =>
      policy
        .run(
          (abort) => stopper(nativeId, force, { ...scope, abort }),
          scope.abort,
          'stop',
          scope.trace,
        )
        .catch((error: unknown) => {
          logFailure(logger, datasource.name, scope, error, 'stop');
          throw error;
        }));
  // Credentials go into the digest, never into a key: two deployments with different
  // credentials for one provider keep their cached answers apart.
  const credentials = Object.entries(settings.credentials).sort(([a], [b]) => a.localeCompare(b));
  const cacheScope = digest(JSON.stringify([datasource.key, settings.url.href, credentials]));
  const scopeOf = (header: (name: string) => string | undefined) =>
    datasource.cacheScope ? digest(`${cacheScope}\n${datasource.cacheScope(header)}`) : '';
  const keyOf = (nativeId: string, header: (name: string) => string | undefined) => {
    const scope = scopeOf(header) || cacheScope;
    // v2: values are signed (src/cache/signing.ts); a v1 value is never read.
    return `executions:v2:${datasource.key}:${scope}:${encodeURIComponent(nativeId)}`;
  };
  const list = datasource.list && {
    page: guarded(datasource.list.connect(upstream, settings.credentials)),
    streams: keptStreams(
      guardedFinder(datasource.list.streams?.(upstream, settings.credentials)),
      clock,
    ),
  };
  const stepsFetcher = datasource.steps?.connect?.(upstream, settings.credentials);
  const steps: ConnectedProvider<Raw>['steps'] =
    stepsFetcher &&
    ((execution, scope, load) =>
      policy
        .run(
          (abort) => stepsFetcher.steps(execution, { ...scope, abort }, load),
          scope.abort,
          'read',
          scope.trace,
        )
        .catch((error: unknown) => {
          logFailure(logger, datasource.name, scope, error, 'steps');
          throw error;
        }));
  const starter = datasource.rerun?.connect(upstream, settings.credentials);
  const start: ConnectedProvider<Raw>['start'] =
    starter &&
    ((execution, scope) =>
      policy
        .run(
          (abort) => starter.start(execution, { ...scope, abort }),
          scope.abort,
          'stop',
          scope.trace,
        )
        .catch((error: unknown) => {
          logFailure(logger, datasource.name, scope, error, 'rerun');
          throw error;
        }));
  const eventsCall = datasource.events;
  const opener =
    eventsCall && (eventsCall.enabled?.(settings.credentials) ?? true)
      ? eventsCall.connect(upstream, settings.credentials)
      : undefined;
  const events: ConnectedEvents<Raw> | undefined = eventsCall &&
    opener && {
      rootOf: (nativeId, raw) => eventsCall.rootOf(nativeId, raw),
      open: (tree, position, scope) => opener.open(tree, position, scope),
    };
  return {
    provider,
    fetch,
    events,
    stop,
    steps,
    start,
    list,
    policy,
    upstream,
    cacheScope,
    scopeOf,
    keyOf,
  };

  /** A list call behind the call policy (a read: tried again like one), its failures logged. */
  function guarded(call: Lister): Lister {
    return (query, scope) =>
      policy
        .run((abort) => call(query, { ...scope, abort }), scope.abort, 'read', scope.trace)
        .catch((error: unknown) => {
          logFailure(logger, datasource.name, scope, error, 'list');
          throw error;
        });
  }

  function guardedFinder(find: StreamFinder | undefined): StreamFinder | undefined {
    return (
      find &&
      ((workflowId, max, scope) =>
        policy
          .run(
            (abort) => find(workflowId, max, { ...scope, abort }),
            scope.abort,
            'read',
            scope.trace,
          )
          .catch((error: unknown) => {
            // FILTER_REQUIRED made no call: nothing failed upstream.
            if (isApiError(error) && !error.upstream) throw error;
            logFailure(logger, datasource.name, scope, error, 'list');
            throw error;
          }))
    );
  }
}

/**
 * The streams `find` finds, one list (`''`) without it; what it finds without a workflow (a
 * folder's workflows) is kept for `STREAMS_TTL_MS`, a failure not at all.
 */
function keptStreams(find: StreamFinder | undefined, clock: Clock): ConnectedList['streams'] {
  if (!find) return () => Promise.resolve(['']);
  let kept: { at: number; max: number; streams: Promise<readonly string[]> } | undefined;
  return (workflowId, max, scope) => {
    if (workflowId !== undefined) return find(workflowId, max, scope);
    const now = clock.now();
    if (kept && kept.max === max && now - kept.at < STREAMS_TTL_MS) return kept.streams;
    const streams = find(undefined, max, scope);
    const entry = { at: now, max, streams };
    kept = entry;
    streams.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return streams;
  };
}

/**
 * One line per failed upstream call: what the error tells a client, plus the failure kind; in a
 * traced request, its trace.
 */
function logFailure(
  logger: Logger,
  provider: string,
  scope: RequestScope,
  error: unknown,
  call: 'read' | 'stop' | 'list' | 'steps' | 'rerun' = 'read',
): void {
  const { requestId } = scope;
  const traced = tracing && scope.trace ? tracing.logFields(scope.trace.request) : undefined;
  if (!isApiError(error)) {
    logger.error(
      { requestId, provider, call, err: error, ...traced },
      'upstream call failed unexpectedly',
    );
    return;
  }
  const { code, status, upstreamRequestId } = error.extensions;
  logger.warn(
    {
      requestId,
      provider,
      call,
      code,
      status,
      upstreamRequestId,
      failure: error.upstream?.kind,
      ...traced,
    },
    `upstream call failed: ${error.message}`,
  );
}
