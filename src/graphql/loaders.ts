import DataLoader from 'dataloader';
import type { ConnectedProvider } from '../upstream/connect.js';
import { ApiError } from '../errors.js';
import { globalId, parseGlobalId } from '../ids.js';
import type { RequestScope } from '../datasources/datasource.js';
import { providerKeys, providers } from '../providers.js';

/** Where a fetched execution came from: its provider and the native id it was asked for by. */
export interface ExecutionRef {
  key: string;
  name: string;
  typename: string;
  nativeId: string;
  id: string;
}

// Raw upstream objects stay exactly as the provider sent them; their origin is kept beside them.
const refs = new WeakMap<object, ExecutionRef>();

/** The origin of an execution this module loaded. */
export function refOf(execution: object): ExecutionRef {
  const ref = refs.get(execution);
  if (!ref) throw new Error('refOf: this object was not loaded through ExecutionLoaders');
  return ref;
}

/**
 * The executions of one GraphQL request: one DataLoader per provider, created on first use, so a
 * distinct id is fetched once per request and ids of one tick are fetched together.
 */
export class ExecutionLoaders {
  private readonly loaders = new Map<string, DataLoader<string, object>>();
  /** Upstream fetches this request caused, after batching and deduplication. */
  fetches = 0;

  constructor(
    private readonly connected: ReadonlyMap<string, ConnectedProvider>,
    private readonly scope: RequestScope,
    /** Called with each batch's provider and size. */
    private readonly onBatch?: (provider: string, size: number) => void,
  ) {}

  /** Loads by global id (`<provider key>:<native id>`); rejects with an `ApiError`. */
  load(id: string): Promise<object> {
    let parsed: { key: string; nativeId: string };
    try {
      parsed = parseGlobalId(id, providerKeys);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.loadNative(parsed.key, parsed.nativeId);
  }

  /** Loads by provider key and native id, e.g. a durable execution's parent. */
  loadNative(key: string, nativeId: string): Promise<object> {
    try {
      return this.loaderFor(key).load(nativeId);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  private loaderFor(key: string): DataLoader<string, object> {
    let loader = this.loaders.get(key);
    if (loader) return loader;
    const provider = this.connected.get(key);
    if (!provider) {
      const definition = providers.find((candidate) => candidate.key === key);
      const name = definition?.name ?? key;
      throw new ApiError(
        `The ${name} provider is not configured on this server: set ${definition?.env ?? name}_URL and its credentials.`,
        { code: 'PROVIDER_NOT_CONFIGURED', provider: name },
      );
    }
    loader = new DataLoader((ids) => this.fetchAll(provider, ids));
    this.loaders.set(key, loader);
    return loader;
  }

  private fetchAll(
    provider: ConnectedProvider,
    nativeIds: readonly string[],
  ): Promise<Array<object | Error>> {
    const { key, name, typename } = provider.definition;
    this.fetches += nativeIds.length;
    this.onBatch?.(name, nativeIds.length);
    return Promise.all(
      nativeIds.map((nativeId) =>
        provider.fetch(nativeId, this.scope).then(
          (execution) => {
            refs.set(execution, { key, name, typename, nativeId, id: globalId(key, nativeId) });
            return execution;
          },
          (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
        ),
      ),
    );
  }
}
