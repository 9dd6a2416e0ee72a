import DataLoader from 'dataloader';
import type { Cached, ExecutionCache } from '../cache/execution-cache.js';
import type { RequestScope } from '../datasources/datasource.js';
import { ApiError, isApiError } from '../errors.js';
import { tracing } from '../telemetry/tracing-hooks.js';
import type { ConnectedProvider, ConnectedProviders } from './connected.js';
import { parseGlobalId } from './ids.js';
import {
  canRerun,
  canStop,
  isFinished,
  loadedExecution,
  type LoadedExecution,
  type LoadedStep,
  type Provider,
} from './model.js';
import type { Reruns } from './reruns.js';
import { digest } from '../cache/digest.js';

/** What the loaders report, for metrics. */
export interface LoaderObserver {
  /** Each batch's provider and size. */
  batch?(provider: string, size: number): void;
  /** Each stop's provider and outcome: `stopped`, `finished`, `not_supported` or an error code. */
  stop?(provider: string, outcome: string): void;
}

/**
 * The executions of one GraphQL request: one DataLoader per provider, created on first use, so a
 * distinct id is fetched once per request and ids of one tick are fetched together.
 */
export class ExecutionLoaders {
  private readonly loaders = new Map<string, DataLoader<string, LoadedExecution>>();
  private readonly stops = new Map<string, Promise<LoadedExecution>>();
  /** Steps by global id: asked once per distinct execution per request. */
  private readonly stepsOf = new Map<string, Promise<LoadedStep[] | null>>();
  /** Upstream calls this request caused (fetches after batching and deduplication, and stops). */
  fetches = 0;
  /** Executions this request took from the cache instead of their provider. */
  cached = 0;
  /**
   * Apollo's cache-control semantics over what this request loaded: the least `max-age` (a
   * finished execution: the cache TTL; anything else: 0), and `private` once an answer depends
   * on who asks (a customer). `loaded` is false while nothing was.
   */
  readonly cachePolicy = { loaded: false, maxAge: Infinity, private: false };
  /** `scope` for the calls the cache was asked before (traced: their spans say so). */
  private missed: RequestScope | undefined;

  constructor(
    private readonly providers: ConnectedProviders,
    /** Whom the request asks for: its headers, its id and its abort. */
    readonly scope: RequestScope,
    private readonly observe: LoaderObserver = {},
    /** Default none: every execution comes from its provider. */
    private readonly cache?: ExecutionCache,
    /** Default none: `rerun` keeps no idempotency keys. */
    private readonly reruns?: Reruns,
  ) {}

  /** Loads by global id (`<provider key>:<native id>`); rejects with an `ApiError`. */
  load(id: string): Promise<LoadedExecution> {
    let parsed: { key: string; nativeId: string };
    try {
      parsed = parseGlobalId(id, this.providers.keys);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.loadNative(parsed.key, parsed.nativeId);
  }

  /** Loads another execution of `provider`, e.g. an execution's parent. */
  loadFrom<Raw>(provider: Provider<Raw>, nativeId: string): Promise<LoadedExecution<Raw>> {
    // The loader of a provider's key only ever holds what that provider's fetcher returned.
    return this.loadNative(provider.datasource.key, nativeId) as Promise<LoadedExecution<Raw>>;
  }

  /**
   * Stops an execution by global id (docs/stopping.md), once per id in this request whatever
   * `force` says the second time: a finished one is answered as it is, with no call; one that
   * cannot be stopped is `STOP_NOT_SUPPORTED`; after the provider accepts, the execution is
   * fetched again (not from this request's loader) and answered as the provider reports it now.
   */
  stop(id: string, force: boolean): Promise<LoadedExecution> {
    let stopped = this.stops.get(id);
    if (!stopped) {
      stopped = this.stopOnce(id, force);
      this.stops.set(id, stopped);
    }
    return stopped;
  }

  private async stopOnce(id: string, force: boolean): Promise<LoadedExecution> {
    const execution = await this.load(id);
    const { provider, nativeId } = execution.ref;
    const { name, key } = provider.datasource;
    if (isFinished(execution)) {
      this.observe.stop?.(name, 'finished');
      return execution;
    }
    const stop = this.providers.get(key)?.stop;
    if (!stop || !canStop(execution)) {
      this.observe.stop?.(name, 'not_supported');
      throw new ApiError(
        stop
          ? `${name} does not offer a stop for execution "${id}" now.`
          : `${name} has no stop call: its executions cannot be stopped from here.`,
        { code: 'STOP_NOT_SUPPORTED', provider: name },
      );
    }
    this.fetches += 1;
    try {
      await stop(nativeId, force, this.scope);
    } catch (error) {
      this.observe.stop?.(name, isApiError(error) ? error.extensions.code : 'INTERNAL');
      throw error;
    }
    this.observe.stop?.(name, 'stopped');
    this.fetches += 1;
    const connected = this.providers.get(key)!;
    const raw = await connected.fetch(nativeId, this.scope);
    return this.loaded(connected, nativeId, raw);
  }

  /**
   * An execution a search listed (docs/search.md): a whole one is this request's loaded
   * execution for its id (primed into the loader unless loaded already; a finished one goes to
   * the cache); a shorter list item is answered as `listed`, and a field it lacks loads the
   * execution by id. The answer depends on when it is asked: it is never kept by HTTP caches.
   */
  listed(
    connected: ConnectedProvider,
    nativeId: string,
    raw: unknown,
    whole: boolean,
  ): LoadedExecution {
    const { provider } = connected;
    const policy = this.cachePolicy;
    policy.loaded = true;
    policy.maxAge = 0;
    if (provider.datasource.cacheScope) policy.private = true;
    if (!whole) return { ...loadedExecution(provider, nativeId, raw), listed: true };
    const execution = loadedExecution(provider, nativeId, raw);
    this.loaderFor(provider.datasource.key).prime(nativeId, execution);
    if (this.cache && isFinished(execution)) {
      let key: string | undefined;
      try {
        key = connected.keyOf(nativeId, this.scope.header);
      } catch {
        // No scope for this request: nothing is cached for it.
      }
      if (key !== undefined) this.cache.set(key, raw);
    }
    return execution;
  }

  /** An upstream call of this request besides its loads (a list call), made with `scope`: counted. */
  call<T>(call: () => Promise<T>): Promise<T> {
    this.fetches += 1;
    return call();
  }

  /**
   * The steps of `execution` (docs/steps.md), null where its provider keeps none: from its own
   * answer, or one call per distinct execution in this request, concurrent with the others; a
   * finished execution's steps are cached with it.
   */
  steps(execution: LoadedExecution): Promise<LoadedStep[] | null> {
    const { ref } = execution;
    let steps = this.stepsOf.get(ref.id);
    if (!steps) {
      steps = this.stepsOnce(execution);
      this.stepsOf.set(ref.id, steps);
    }
    return steps;
  }

  private async stepsOnce(execution: LoadedExecution): Promise<LoadedStep[] | null> {
    const { provider, nativeId } = execution.ref;
    const call = provider.datasource.steps;
    const model = provider.type.steps as LoadedStep['model'] | undefined;
    if (!call || !model) return null;
    const loaded = (raws: readonly unknown[] | null) =>
      raws && raws.map((raw): LoadedStep => ({ model, raw }));
    if (call.held)
      return loaded(
        call.held(execution.listed ? (await this.whole(execution)).raw : execution.raw),
      );
    const connected = this.providers.get(provider.datasource.key);
    if (!connected?.steps) return null;
    // A list item holds what a steps call needs (its status, its tree, its workflow): no GET.
    const finished = isFinished(execution);
    let key: string | undefined;
    if (this.cache && finished) {
      try {
        key = `${connected.keyOf(nativeId, this.scope.header)}:steps`;
      } catch {
        // No scope for this request: its call says why.
      }
    }
    const steps = { name: provider.datasource.name, shape: stepsShape(call.step) };
    if (key !== undefined) {
      const found = await this.cache!.getMany(steps, [key]);
      const hit = found[0];
      if (hit) {
        this.cached += 1;
        return loaded(hit.raw as unknown[]);
      }
    }
    this.fetches += 1;
    const raws = await connected.steps!(
      { nativeId, raw: execution.raw },
      this.scope,
      async (id) => (await this.loadFrom(provider, id)).raw,
    );
    if (key !== undefined && raws) this.cache!.set(key, raws);
    return loaded(raws);
  }

  /** A listed execution's whole record, through this request's loader. */
  private whole(execution: LoadedExecution): Promise<LoadedExecution> {
    return this.loadFrom(execution.ref.provider, execution.ref.nativeId);
  }

  /**
   * Starts a finished execution again (docs/rerun.md) and answers the new one, fetched by id.
   * One that has not finished, or whose provider cannot, is `RERUN_NOT_SUPPORTED` with no call.
   * The start call is made once; with `idempotencyKey`, once per key, execution and customer in
   * the window, every mutation with the key answering what the first one started.
   */
  async rerun(id: string, idempotencyKey?: string | null): Promise<LoadedExecution> {
    const execution = await this.load(id);
    const { provider, nativeId } = execution.ref;
    const { name, key } = provider.datasource;
    const connected = this.providers.get(key)!;
    if (!connected.start || !canRerun(execution)) {
      throw new ApiError(
        !connected.start
          ? `${name} cannot start an execution again: its executions cannot be rerun from here.`
          : isFinished(execution)
            ? `${name} cannot start execution "${id}" again: it lacks what a start needs.`
            : `Execution "${id}" has not finished: only a finished execution can be rerun.`,
        { code: 'RERUN_NOT_SUPPORTED', provider: name },
      );
    }
    const start = connected.start;
    const run = () => {
      this.fetches += 1;
      return start({ nativeId, raw: execution.raw }, this.scope);
    };
    let started: string;
    if (idempotencyKey && this.reruns) {
      // Digests only: neither the customer nor the client's key is part of a Redis name.
      const scope = connected.scopeOf(this.scope.header) || connected.cacheScope;
      const claim = `rerun:v1:${key}:${scope}:${digest(`${nativeId}\n${idempotencyKey}`)}`;
      started = await this.reruns.once(claim, run, mayHaveActed);
    } else {
      started = await run();
    }
    this.fetches += 1;
    const raw = await connected.fetch(started, this.scope);
    return this.loaded(connected, started, raw);
  }

  private loadNative(key: string, nativeId: string): Promise<LoadedExecution> {
    try {
      return this.loaderFor(key).load(nativeId);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private loaderFor(key: string): DataLoader<string, LoadedExecution> {
    let loader = this.loaders.get(key);
    if (loader) return loader;
    const connected = this.providers.get(key);
    if (!connected) {
      const { name, env } = this.providers.known(key)?.datasource ?? { name: key, env: key };
      throw new ApiError(
        `The ${name} provider is not configured on this server: set ${env}_URL and its credentials.`,
        { code: 'PROVIDER_NOT_CONFIGURED', provider: name },
      );
    }
    loader = new DataLoader((ids) => this.fetchAll(connected, ids));
    this.loaders.set(key, loader);
    return loader;
  }

  /** One loader batch: what the cache holds, and one fetch per id it does not. */
  private fetchAll(
    connected: ConnectedProvider,
    nativeIds: readonly string[],
  ): Promise<Array<LoadedExecution | Error>> {
    const { cache } = this;
    if (!cache) return this.fetchFresh(connected, nativeIds, []);
    const keys = nativeIds.map((nativeId) => {
      try {
        return connected.keyOf(nativeId, this.scope.header);
      } catch {
        // No scope for this request (say, a missing customer header): its fetch says why.
        return undefined;
      }
    });
    const startedAt = this.scope.trace ? Date.now() : 0;
    const found = cache.getMany(connected.provider.datasource, keys);
    return Array.isArray(found)
      ? this.complete(connected, nativeIds, keys, found, startedAt)
      : found.then((settled) => this.complete(connected, nativeIds, keys, settled, startedAt));
  }

  /** The batch's answers: cache hits as they are, the rest fetched. */
  private async complete(
    connected: ConnectedProvider,
    nativeIds: readonly string[],
    keys: ReadonlyArray<string | undefined>,
    found: ReadonlyArray<Cached>,
    /** When the cache was asked (ms), for the spans of its answers. */
    startedAt: number,
  ): Promise<Array<LoadedExecution | Error>> {
    // The usual batch of running executions: nothing found, everything fetched.
    if (found.every((hit) => hit === undefined)) return this.fetchFresh(connected, nativeIds, keys);
    const missing = nativeIds.flatMap((_, i) => (found[i] ? [] : [i]));
    this.cached += nativeIds.length - missing.length;
    const { trace } = this.scope;
    if (tracing && trace) {
      const tiers = found.flatMap((hit) => (hit ? [hit.tier] : []));
      tracing.cacheHits(trace.request, connected.provider.datasource.name, tiers, startedAt);
    }
    const fetched = await this.fetchFresh(
      connected,
      missing.map((i) => nativeIds[i]!),
      missing.map((i) => keys[i]),
    );
    return nativeIds.map((nativeId, i) => {
      const hit = found[i];
      return hit ? this.loaded(connected, nativeId, hit.raw) : fetched[missing.indexOf(i)]!;
    });
  }

  /** Fetches `nativeIds` from the provider; a finished one goes to the cache under its key. */
  private fetchFresh(
    connected: ConnectedProvider,
    nativeIds: readonly string[],
    keys: ReadonlyArray<string | undefined>,
  ): Promise<Array<LoadedExecution | Error>> {
    if (nativeIds.length === 0) return Promise.resolve([]);
    this.fetches += nativeIds.length;
    this.observe.batch?.(connected.provider.datasource.name, nativeIds.length);
    const scope = this.cache ? this.missedScope() : this.scope;
    return Promise.all(
      nativeIds.map((nativeId, i) =>
        connected.fetch(nativeId, scope).then(
          (raw) => this.loaded(connected, nativeId, raw, keys[i]),
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        ),
      ),
    );
  }

  /** `scope`, for calls the cache was asked before: traced, their spans say the cache missed. */
  private missedScope(): RequestScope {
    const { trace } = this.scope;
    if (!trace) return this.scope;
    return (this.missed ??= { ...this.scope, trace: { ...trace, cacheMissed: true } });
  }

  /**
   * A loaded execution, counted into the request's cache policy; a finished one fetched under
   * `storeAs` goes to the cache.
   */
  private loaded(
    connected: ConnectedProvider,
    nativeId: string,
    raw: unknown,
    storeAs?: string,
  ): LoadedExecution {
    const { provider } = connected;
    const execution = loadedExecution(provider, nativeId, raw);
    const finished = isFinished(execution);
    if (finished && storeAs !== undefined) this.cache?.set(storeAs, raw);
    const policy = this.cachePolicy;
    policy.loaded = true;
    const maxAge = finished ? (this.cache?.ttlSeconds ?? 0) : 0;
    if (maxAge < policy.maxAge) policy.maxAge = maxAge;
    if (provider.datasource.cacheScope) policy.private = true;
    return execution;
  }
}

/** What the cache checks steps read back from Redis against: a list of the provider's steps. */
function stepsShape(step: { safeParse(value: unknown): { success: boolean } }) {
  return {
    safeParse(value: unknown): { success: true; data: unknown } | { success: false } {
      if (!Array.isArray(value) || !value.every((item) => step.safeParse(item).success)) {
        return { success: false };
      }
      return { success: true, data: value };
    },
  };
}

/**
 * Whether a start that failed with `error` may have started an execution all the same: the call
 * timed out, its connection was lost, its request went away while it was sent, or its answer
 * could not be read (docs/rerun.md). A refusal
 * (4xx), 429, 503 and an open circuit did not act.
 */
function mayHaveActed(error: unknown): boolean {
  if (!isApiError(error) || !error.upstream) return false;
  const { kind, status } = error.upstream;
  if (kind === 'status') return status !== undefined && status >= 500 && status !== 503;
  // The request that wanted it went away while it was sent: it may have arrived.
  return kind === 'timeout' || kind === 'connection' || kind === 'body' || kind === 'cancelled';
}
