import DataLoader from 'dataloader';
import type { RequestScope } from '../datasources/datasource.js';
import { ApiError } from '../errors.js';
import { globalId, parseGlobalId } from '../ids.js';
import type { Provider } from '../providers.js';
import type { ConnectedProvider, ConnectedProviders } from '../upstream/connect.js';

/** Where a loaded execution came from: its provider and the native id it was asked for by. */
export interface ExecutionRef<Raw = unknown> {
  readonly provider: Provider<Raw>;
  readonly nativeId: string;
  /** The global id, `<provider key>:<native id>`. */
  readonly id: string;
}

/** An execution as a resolver's parent: where it came from, and the provider's JSON as sent. */
export interface LoadedExecution<Raw = unknown> {
  readonly ref: ExecutionRef<Raw>;
  readonly raw: Raw;
}

/**
 * The executions of one GraphQL request: one DataLoader per provider, created on first use, so a
 * distinct id is fetched once per request and ids of one tick are fetched together.
 */
export class ExecutionLoaders {
  private readonly loaders = new Map<string, DataLoader<string, LoadedExecution>>();
  /** Upstream fetches this request caused, after batching and deduplication. */
  fetches = 0;

  constructor(
    private readonly providers: ConnectedProviders,
    private readonly scope: RequestScope,
    /** Called with each batch's provider and size. */
    private readonly onBatch?: (provider: string, size: number) => void,
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

  private fetchAll(
    connected: ConnectedProvider,
    nativeIds: readonly string[],
  ): Promise<Array<LoadedExecution | Error>> {
    const { provider } = connected;
    this.fetches += nativeIds.length;
    this.onBatch?.(provider.datasource.name, nativeIds.length);
    return Promise.all(
      nativeIds.map((nativeId) =>
        connected.fetch(nativeId, this.scope).then(
          (raw) => ({
            ref: { provider, nativeId, id: globalId(provider.datasource.key, nativeId) },
            raw,
          }),
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        ),
      ),
    );
  }
}
