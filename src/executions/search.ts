import type { Clock } from '../clock.js';
import type { SearchConfig } from '../config.js';
import { digest } from '../cache/digest.js';
import type { ListedItem } from '../datasources/datasource.js';
import { ApiError, badUserInput, isApiError } from '../errors.js';
import { parseTimestamp } from '../time.js';
import type { ConnectedProvider, ConnectedProviders } from './connected.js';
import { Cursors, type SearchState, type StreamPosition } from './cursor.js';
import { globalId } from './ids.js';
import type { ExecutionLoaders } from './loaders.js';
import { stateOf, type ExecutionState, type LoadedExecution, type Provider } from './model.js';

/** What `searchExecutions` looks for (docs/search.md); every condition given must hold. */
export interface SearchFilter {
  /** Provider names (`ExecutionProvider` values); default all. */
  providers?: readonly string[] | null;
  states?: readonly ExecutionState[] | null;
  /** RFC 3339: `createdAt >= createdAfter`. */
  createdAfter?: string | Date | null;
  /** RFC 3339: `createdAt < createdBefore`. */
  createdBefore?: string | Date | null;
  workflowId?: string | null;
}

export interface SearchRequest {
  filter?: SearchFilter | null;
  first: number;
  after?: string | null;
}

/** Whether one provider was searched for a page, and why not. */
export interface ProviderReport {
  /** The provider's name, its `ExecutionProvider` value. */
  provider: string;
  searched: boolean;
  code: string | null;
  message: string | null;
}

/** An execution of a page, with the cursor of the search just after it. */
export interface SearchEdge {
  cursor: string;
  node: LoadedExecution;
}

/** A page of a search: its executions with their cursors, where it stands, and what failed. */
export interface SearchPage {
  edges: SearchEdge[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** Where the next page starts; null when nothing is left and the page is empty. */
  endCursor: string | null;
  startCursor: string | null;
  providers: ProviderReport[];
  /** One per provider whose list failed for this page (or whose request scope is missing). */
  errors: ApiError[];
}

/** The least a list is asked for when the filter has conditions the list may not apply. */
const FILTERED_LIMIT = 100;

/** The longest `workflowId` a filter may name. */
const MAX_WORKFLOW_ID = 512;

/** A filter as the search applies it. */
interface Normalized {
  providers: readonly Provider[];
  states: ReadonlySet<ExecutionState> | undefined;
  after: number | undefined;
  before: number | undefined;
  workflowId: string | undefined;
  /** The filter in one canonical line, for the cursor's binding. */
  canonical: string;
}

/** An item of a list page that matches the filter, not taken yet. */
interface Candidate {
  stream: Stream;
  item: ListedItem;
  createdAt: number;
  id: string;
}

/**
 * Finds executions across the providers that can list (docs/search.md): each provider's list is
 * read newest first from where the cursor says it stood, concurrently, at most `maxCalls` calls
 * per list per page, and merged newest first by `createdAt`, ties by global id. An execution is
 * taken only once no list can still hold a newer one, so paging yields each once, in order.
 */
export class ExecutionSearch {
  private readonly cursors: Cursors;

  constructor(
    private readonly registry: readonly Provider[],
    private readonly providers: ConnectedProviders,
    private readonly config: SearchConfig,
    private readonly clock: Clock,
  ) {
    this.cursors = new Cursors(config.cursorSecret);
  }

  /**
   * One page for the request `loaders` serve. Bad arguments are a `BAD_USER_INPUT` naming the
   * argument, before any upstream call; a provider that fails is reported, and the page holds
   * the others' executions.
   */
  async page(loaders: ExecutionLoaders, request: SearchRequest): Promise<SearchPage> {
    const filter = this.normalize(request.filter ?? {});
    const first = request.first;
    if (!Number.isInteger(first) || first < 1 || first > this.config.maxPageSize) {
      throw badUserInput(
        `\`first\` must be 1 to ${this.config.maxPageSize} (MAX_PAGE_SIZE), not ${first}.`,
        { argument: 'first' },
      );
    }
    const binding = this.bindingOf(filter, loaders);
    const state: SearchState = request.after
      ? this.cursors.open(request.after, binding)
      : { asOf: this.clock.now(), providers: {} };
    const run = new PageRun(this, loaders, filter, state, first, binding);
    await run.start();
    await run.fill();
    return run.result(Boolean(request.after));
  }

  /** @internal What a page run needs of the search. */
  get settings() {
    return { config: this.config, providers: this.providers, cursors: this.cursors };
  }

  private normalize(filter: SearchFilter): Normalized {
    const names = filter.providers ? [...new Set(filter.providers)] : undefined;
    const providers = names
      ? names.map((name) => {
          const provider = this.registry.find((p) => p.datasource.name === name);
          if (!provider) {
            throw badUserInput(`\`filter.providers\` names an unknown provider: ${name}.`, {
              argument: 'filter',
            });
          }
          return provider;
        })
      : this.registry;
    const after = timeOf(filter.createdAfter, 'filter.createdAfter');
    const before = timeOf(filter.createdBefore, 'filter.createdBefore');
    if (after !== undefined && before !== undefined && after > before) {
      throw badUserInput('`filter.createdAfter` is after `filter.createdBefore`.', {
        argument: 'filter',
      });
    }
    const workflowId = filter.workflowId ?? undefined;
    if (workflowId !== undefined && (workflowId === '' || workflowId.length > MAX_WORKFLOW_ID)) {
      throw badUserInput(`\`filter.workflowId\` must be 1 to ${MAX_WORKFLOW_ID} characters.`, {
        argument: 'filter',
      });
    }
    const states = filter.states ? new Set(filter.states) : undefined;
    const canonical = JSON.stringify([
      providers.map((p) => p.datasource.key).sort(),
      states ? [...states].sort() : null,
      after ?? null,
      before ?? null,
      workflowId ?? null,
    ]);
    return { providers, states, after, before, workflowId, canonical };
  }

  /**
   * What a cursor is bound to: the filter, and whom the request is for at each provider whose
   * answers depend on it (a Refold customer), as digests.
   */
  private bindingOf(filter: Normalized, loaders: ExecutionLoaders): string {
    const scopes = filter.providers.map((provider) => {
      try {
        return this.providers.get(provider.datasource.key)?.scopeOf(loaders.scope.header) ?? '';
      } catch {
        return 'none';
      }
    });
    return digest(`${filter.canonical}\n${scopes.join('\n')}`);
  }
}

/** An RFC 3339 time of the filter, in ms; a `BAD_USER_INPUT` when it is none. */
function timeOf(value: string | Date | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  const time = value instanceof Date ? value.getTime() : parseTimestamp(value)?.getTime();
  if (time === undefined || Number.isNaN(time)) {
    throw badUserInput(`\`${name}\` is not an RFC 3339 time.`, { argument: 'filter' });
  }
  return time;
}

/** Whether `[a, aId]` comes before `[b, bId]`: newer first, then by id. */
function precedes(a: number, aId: string, b: number, bId: string): boolean {
  return a !== b ? a > b : aId < bId;
}

/** One list a page reads: one provider's, or one of its workflows' (Yandex). */
class Stream {
  /** Matching items read and not taken, in the provider's order. */
  readonly buffer: Candidate[] = [];
  /** The creation time of the last item read, taken or not; undefined before the first read. */
  frontier: number | undefined;
  /** Where the next read starts. */
  next: string | undefined;
  /** Nothing more to read. */
  exhausted: boolean;
  last: readonly [number, string] | undefined;
  calls = 0;
  failed = false;

  constructor(
    readonly connected: ConnectedProvider,
    readonly name: string,
    start: StreamPosition,
  ) {
    this.next = start.position;
    this.exhausted = start.done;
    this.last = start.last;
  }

  /** Live: it may still hold items newer than what the page has read. */
  get open(): boolean {
    return !this.exhausted && !this.failed;
  }

  /** Where the stream stands now, for a cursor. */
  position(): StreamPosition {
    const [first] = this.buffer;
    if (first) return { position: first.item.position, last: this.last, done: false };
    return { position: this.next, last: this.last, done: this.exhausted };
  }
}

/** The work of one page: its streams, its reads, and what it took. */
class PageRun {
  private readonly streams: Stream[] = [];
  private readonly reports = new Map<string, ProviderReport>();
  private readonly errors: ApiError[] = [];
  /** Providers whose streams could not be found (their call failed): tried again next page. */
  private readonly retried = new Set<string>();
  private readonly taken: SearchPage['edges'] = [];
  private readonly statuses = new Map<string, readonly string[] | undefined>();

  constructor(
    private readonly search: ExecutionSearch,
    private readonly loaders: ExecutionLoaders,
    private readonly filter: Normalized,
    private readonly state: SearchState,
    private readonly first: number,
    /** What this page's cursors are bound to. */
    private readonly binding: string,
  ) {}

  /** Finds each provider's streams: from the cursor, else from the provider. */
  async start(): Promise<void> {
    const { providers, config } = this.search.settings;
    await Promise.all(
      this.filter.providers.map(async (provider) => {
        const { key, name, env } = provider.datasource;
        if (!provider.datasource.list) {
          this.report(provider, false, 'SEARCH_NOT_SUPPORTED', `${name} has no list call.`);
          return;
        }
        const connected = providers.get(key);
        if (!connected?.list) {
          this.report(
            provider,
            false,
            'PROVIDER_NOT_CONFIGURED',
            `The ${name} provider is not configured on this server: set ${env}_URL and its credentials.`,
          );
          return;
        }
        try {
          connected.scopeOf(this.loaders.scope.header);
        } catch (error) {
          this.fail(provider, error);
          return;
        }
        let streams = this.state.providers[key];
        if (!streams) {
          let names: readonly string[];
          try {
            names = await connected.list.streams(
              this.filter.workflowId,
              config.maxWorkflows,
              this.loaders.scope,
            );
          } catch (error) {
            if (isApiError(error) && error.extensions.code === 'FILTER_REQUIRED') {
              this.report(provider, false, 'FILTER_REQUIRED', error.message);
            } else {
              this.fail(provider, error);
              this.retried.add(key);
            }
            return;
          }
          if (names.length > config.maxWorkflows) {
            this.report(
              provider,
              true,
              null,
              `Searched the first ${config.maxWorkflows} of the folder's workflows (SEARCH_MAX_WORKFLOWS); name one in filter.workflowId to search another.`,
            );
          }
          const initial: StreamPosition = { position: undefined, last: undefined, done: false };
          streams = Object.fromEntries(
            names.slice(0, config.maxWorkflows).map((stream) => [stream, initial]),
          );
        }
        if (!this.reports.has(name)) this.report(provider, true, null, null);
        this.statuses.set(key, this.statusesOf(provider));
        for (const [stream, position] of Object.entries(streams)) {
          this.streams.push(new Stream(connected, stream, position));
        }
      }),
    );
  }

  /** Reads and takes until the page is full or no read may help; each read a round of calls. */
  async fill(): Promise<void> {
    const { maxCalls } = this.search.settings.config;
    for (;;) {
      this.take();
      if (this.taken.length >= this.first) return;
      const next = this.best();
      const reads = this.streams.filter(
        (stream) =>
          stream.open &&
          stream.calls < maxCalls &&
          (next === undefined ||
            stream.frontier === undefined ||
            next.createdAt <= stream.frontier),
      );
      if (reads.length === 0) return;
      await Promise.all(reads.map((stream) => this.read(stream)));
    }
  }

  /**
   * The page as the search answers it. Cursors are sealed when read: a query that asks for
   * none seals none (a seal is an AES-GCM encryption, per edge).
   */
  result(hasPrevious: boolean): SearchPage {
    const hasNextPage =
      this.retried.size > 0 || this.streams.some((stream) => !stream.position().done);
    const end = this.sealed(this.snapshot());
    const { taken } = this;
    return {
      edges: taken,
      hasNextPage,
      hasPreviousPage: hasPrevious,
      get endCursor() {
        return hasNextPage || taken.length > 0 ? end() : null;
      },
      get startCursor() {
        return taken[0]?.cursor ?? null;
      },
      providers: this.filter.providers.map((provider) =>
        this.reports.get(provider.datasource.name)!,
      ),
      errors: this.errors,
    };
  }

  /** The cursor of `state`, sealed on first use. */
  private sealed(state: SearchState): () => string {
    const { cursors } = this.search.settings;
    let cursor: string | undefined;
    return () => (cursor ??= cursors.seal(state, this.binding));
  }

  /** Takes items while the best one is surely next: no open stream may still hold a newer one. */
  private take(): void {
    while (this.taken.length < this.first) {
      const best = this.best();
      if (!best) return;
      const blocked = this.streams.some(
        (stream) =>
          stream.open && (stream.frontier === undefined || best.createdAt <= stream.frontier),
      );
      if (blocked) return;
      const { stream } = best;
      stream.buffer.splice(stream.buffer.indexOf(best), 1);
      stream.last = [best.createdAt, best.id];
      const node = this.loaders.listed(
        stream.connected,
        best.item.nativeId,
        best.item.raw,
        best.item.whole,
      );
      const cursor = this.sealed(this.snapshot());
      this.taken.push({
        get cursor() {
          return cursor();
        },
        node,
      });
    }
  }

  /** The newest item read and not taken, of any stream. */
  private best(): Candidate | undefined {
    let best: Candidate | undefined;
    for (const stream of this.streams) {
      for (const candidate of stream.buffer) {
        if (!best || precedes(candidate.createdAt, candidate.id, best.createdAt, best.id)) {
          best = candidate;
        }
      }
    }
    return best;
  }

  /** One list call of `stream`: its matching items into the buffer, or the stream failed. */
  private async read(stream: Stream): Promise<void> {
    const { connected } = stream;
    const { datasource } = connected.provider;
    const { filter } = this;
    const before = Math.min(filter.before ?? Infinity, this.state.asOf);
    stream.calls += 1;
    let page;
    try {
      page = await this.loaders.call(() =>
        connected.list!.page(
          {
            stream: stream.name,
            position: stream.next,
            limit: this.limit(),
            statuses: this.statuses.get(datasource.key),
            createdAfter: filter.after === undefined ? undefined : iso(filter.after),
            createdBefore: iso(before),
            workflowId: filter.workflowId,
          },
          this.loaders.scope,
        ),
      );
    } catch (error) {
      stream.failed = true;
      this.fail(connected.provider, error);
      return;
    }
    const type = connected.provider.type;
    const createdAtOf = type.createdAt ?? type.startedAt;
    for (const item of page.items) {
      const createdAt = parseTimestamp(createdAtOf(item.raw as never))?.getTime();
      // Without a creation time an execution has no place in the order (docs/search.md).
      if (createdAt === undefined || Number.isNaN(createdAt)) continue;
      if (filter.after !== undefined && createdAt < filter.after) {
        // Newest first: everything after this one is older still.
        stream.frontier = createdAt;
        stream.next = undefined;
        stream.exhausted = true;
        return;
      }
      stream.frontier = createdAt;
      if (createdAt >= before) continue;
      const id = globalId(datasource.key, item.nativeId);
      // Taken already: the stream's last taken execution, and what comes before it.
      if (stream.last && !precedes(stream.last[0], stream.last[1], createdAt, id)) continue;
      if (!this.matches(connected.provider, item.raw)) continue;
      if (stream.buffer.some((candidate) => candidate.id === id)) continue;
      stream.buffer.push({ stream, item, createdAt, id });
    }
    stream.next = page.next;
    if (page.next === undefined) stream.exhausted = true;
  }

  /**
   * How many items to ask a list for: what the page still needs and one more (the one after
   * tells whether a tie goes on). With a state or workflow filter, which a list may not apply,
   * at least a provider's usual page, so that a call finds some matches among what it skips.
   */
  private limit(): number {
    const needed = Math.max(this.first - this.taken.length, 1) + 1;
    const filtered = this.filter.states !== undefined || this.filter.workflowId !== undefined;
    return filtered ? Math.max(needed, FILTERED_LIMIT) : needed;
  }

  /** The filter's conditions a list call may not have applied: state and workflow. */
  private matches(provider: Provider, raw: unknown): boolean {
    const { states, workflowId } = this.filter;
    const { type } = provider;
    if (states && !states.has(stateOf(type.states, type.status(raw as never)))) return false;
    if (workflowId !== undefined && type.workflowId?.(raw as never) !== workflowId) return false;
    return true;
  }

  /** The provider statuses of the filter's states (its state table's keys); undefined: any. */
  private statusesOf(provider: Provider): readonly string[] | undefined {
    const { states } = this.filter;
    if (!states) return undefined;
    return Object.entries(provider.type.states)
      .filter(([, state]) => states.has(state))
      .map(([status]) => status);
  }

  /** Where the search stands now: every stream read, and the providers the cursor knew. */
  private snapshot(): SearchState {
    const providers: Record<string, Record<string, StreamPosition>> = {};
    for (const stream of this.streams) {
      const key = stream.connected.provider.datasource.key;
      (providers[key] ??= {})[stream.name] = stream.position();
    }
    return { asOf: this.state.asOf, providers };
  }

  private report(
    provider: Provider,
    searched: boolean,
    code: string | null,
    message: string | null,
  ): void {
    const { name } = provider.datasource;
    this.reports.set(name, { provider: name, searched, code, message });
  }

  /** A provider whose search failed: reported, with one error for the page. */
  private fail(provider: Provider, error: unknown): void {
    const { name } = provider.datasource;
    if (this.reports.get(name)?.searched === false) return;
    const apiError = isApiError(error)
      ? error
      : new ApiError(`${name}: its list call failed.`, { code: 'UPSTREAM_ERROR', provider: name });
    this.report(provider, false, apiError.extensions.code, apiError.message);
    this.errors.push(apiError);
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
