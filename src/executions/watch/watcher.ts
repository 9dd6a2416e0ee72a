import { randomUUID } from 'node:crypto';
import type { ExecutionCache } from '../../cache/execution-cache.js';
import type { Clock, Timer } from '../../clock.js';
import type { ProviderConfig } from '../../config.js';
import type { RequestScope } from '../../datasources/datasource.js';
import { badUserInput, isApiError } from '../../errors.js';
import type { Logger } from '../../telemetry/logger.js';
import { Abort } from '../../upstream/abort.js';
import type { ConnectedProvider } from '../connected.js';
import { parseGlobalId } from '../ids.js';
import type { ExecutionLoaders } from '../loaders.js';
import { isFinished, loadedExecution, type LoadedExecution } from '../model.js';
import { Channel } from './channel.js';
import type { Leases, SharedAnswer } from './shared-polls.js';
import {
  TreeStreams,
  type StreamObserver,
  type TreeHandle,
  type TreeMember,
} from './tree-streams.js';

export interface WatchOptions {
  /** Default 2000, `WATCH_INTERVAL_MS`: how often a poller asks while the execution changes. */
  intervalMs: number;
  /** Default 30000, `WATCH_MAX_INTERVAL_MS`: the longest wait, backed off to while nothing changes. */
  maxIntervalMs: number;
  /** Default 10000, `MAX_WATCHED_EXECUTIONS`: executions watched at once in the process. */
  maxWatched: number;
  /** Default 45000, `WATCH_STREAM_IDLE_MS`: a provider's event stream silent this long hangs. */
  streamIdleMs: number;
}

/** What a poller uses of a configured provider (a `ConnectedProvider` has it). */
export type WatchedProvider = Pick<ConnectedProvider, 'provider' | 'fetch' | 'keyOf'> &
  Partial<Pick<ConnectedProvider, 'events'>>;

/** What the watcher uses of the providers (`ConnectedProviders` has it). */
export interface WatchedProviders {
  readonly keys: readonly string[];
  get(key: string): WatchedProvider | undefined;
  readonly config: {
    readonly providers: ReadonlyMap<string, Pick<ProviderConfig, 'timeoutMs'>>;
  };
}

/** What a watch sends: the execution as it is now, or the error that ends the watch. */
export type WatchEvent = LoadedExecution | Error;

/**
 * Where a change subscribers were sent came from: a timed poll, a poll a provider's webhook or
 * event stream asked for, or another replica's poll (through Redis).
 */
export type ChangeSource = 'poll' | 'webhook' | 'stream' | 'replica';

/** What told a poller to fetch now. */
type Told = 'webhook' | 'stream';

/** Errors that end a watch: the execution cannot be watched. Anything else is passing. */
const FINAL = new Set([
  'NOT_FOUND',
  'UPSTREAM_UNAUTHORIZED',
  'BAD_USER_INPUT',
  'PROVIDER_NOT_CONFIGURED',
]);

/**
 * Live status (docs/live-status.md): one poller per execution and scope in the process, shared by
 * every subscriber, polling through the provider's call policy like any fetch. A poller asks every
 * `intervalMs`, backs off to `maxIntervalMs` while nothing changes, waits out `Retry-After` and an
 * open circuit, sends an event only when the provider's answer changed, puts the terminal answer
 * in the cache, and stops when its last subscriber leaves or the execution is terminal. Where a
 * provider streams the events of a tree of executions, a poller follows its tree's stream
 * (`./tree-streams.ts`): an event makes it fetch now, and while the stream is up it polls on its
 * own only every `maxIntervalMs`.
 */
export class Watcher {
  private readonly pollers = new Map<string, Poller>();
  private readonly streams: TreeStreams;
  private readonly loading = new Map<string, Promise<LoadedExecution>>();
  private closed = false;

  /**
   * With `shared` (Redis, when `REDIS_URL` is set), replicas share pollers: one upstream poll
   * per execution per interval across all of them. Pollers wait on `clock`.
   */
  constructor(
    private readonly options: WatchOptions,
    private readonly providers: WatchedProviders,
    private readonly cache: Pick<ExecutionCache, 'set'> | undefined,
    private readonly logger: Logger,
    private readonly clock: Clock,
    private readonly shared: Leases | undefined,
    /** Default none: told of each change sent to subscribers, with its provider and source. */
    private readonly observe?: (provider: string, source: ChangeSource) => void,
    /** Default none: told of the event streams' openings, closings and reconnections. */
    streamObserver?: StreamObserver,
  ) {
    this.streams = new TreeStreams(
      {
        intervalMs: options.intervalMs,
        maxIntervalMs: options.maxIntervalMs,
        idleMs: options.streamIdleMs,
      },
      clock,
      logger,
      shared,
      streamObserver,
    );
  }

  /**
   * The events of one execution for one subscriber: the execution now (through the request's
   * loaders, so from the cache when it is there), then each change; it ends after a terminal
   * answer or an error event.
   */
  watch(loaders: Pick<ExecutionLoaders, 'load' | 'scope'>, id: string): Channel<WatchEvent> {
    const channel = new Channel<WatchEvent>();
    let poller: Poller | undefined;
    channel.onReturn = () => poller?.remove(channel);
    const fail = (error: unknown) => {
      channel.push(error instanceof Error ? error : new Error(String(error)));
      channel.end();
    };
    void (async () => {
      const { key: providerKey, nativeId } = parseGlobalId(id, this.providers.keys);
      const connected = this.providers.get(providerKey);
      // Not configured: the loaders say so.
      if (!connected)
        return fail(
          await loaders.load(id).then(
            () => undefined,
            (e) => e,
          ),
        );
      const { header } = loaders.scope;
      const key = connected.keyOf(nativeId, header);
      // A subscriber who joins a running poller gets its latest answer, with no call; those who
      // come at once share one load.
      const current = this.pollers.get(key)?.latest ?? (await this.firstLoad(key, loaders, id));
      channel.push(current);
      if (isFinished(current) || this.closed) return channel.end();
      poller = this.pollers.get(key);
      if (!poller) {
        if (this.pollers.size >= this.options.maxWatched) {
          return fail(
            badUserInput(
              `This service watches at most ${this.options.maxWatched} executions at once (MAX_WATCHED_EXECUTIONS); try again later.`,
              { limit: this.options.maxWatched },
            ),
          );
        }
        poller = new Poller(
          this.options,
          connected,
          nativeId,
          key,
          current,
          this.cache,
          this.clock,
          { header, requestId: `watch-${randomUUID()}`, abort: new Abort() },
          this.shared && {
            polls: this.shared,
            callMs: this.providers.config.providers.get(providerKey)?.timeoutMs ?? 10_000,
          },
          this.observe,
        );
        this.pollers.set(key, poller);
        poller.onStop = () => this.pollers.delete(key);
        if (connected.events) {
          const { events } = connected;
          const root = events.rootOf(nativeId, current.raw);
          poller.follow(
            this.streams.join(
              {
                key: connected.keyOf(root, header),
                provider: connected.provider.datasource.name,
                events,
                root,
                header,
                loadRoot: (scope) =>
                  root === nativeId ? Promise.resolve(current.raw) : connected.fetch(root, scope),
              },
              poller,
            ),
          );
        }
      } else if (
        poller.latest &&
        JSON.stringify(poller.latest.raw) !== JSON.stringify(current.raw)
      ) {
        // The poller saw a newer answer while this one was loading.
        channel.push(poller.latest);
      }
      poller.add(channel);
    })().catch(fail);
    return channel;
  }

  /**
   * A provider told of a change (a webhook, docs/live-status.md): the watched execution
   * `nativeId` of provider `providerKey`, for the request scope `header` names, is fetched now
   * for its subscribers, and the answer shared with the other replicas: `fetching`. Not watched
   * here but replicas share pollers: the one that polls it is asked to poll now (`forwarded`).
   * Else `unwatched`, and nothing happens.
   */
  poke(
    providerKey: string,
    nativeId: string,
    header: (name: string) => string | undefined,
  ): 'fetching' | 'forwarded' | 'unwatched' {
    const connected = this.providers.get(providerKey);
    if (!connected) return 'unwatched';
    let key: string;
    try {
      key = connected.keyOf(nativeId, header);
    } catch {
      return 'unwatched';
    }
    const poller = this.pollers.get(key);
    if (poller) {
      poller.now();
      return 'fetching';
    }
    if (!this.shared) return 'unwatched';
    this.shared.publish(this.shared.nameOf(key), { poke: true });
    return 'forwarded';
  }

  /** The execution now, loaded once for every subscriber that asks for it at the same time. */
  private firstLoad(
    key: string,
    loaders: Pick<ExecutionLoaders, 'load'>,
    id: string,
  ): Promise<LoadedExecution> {
    let loading = this.loading.get(key);
    if (!loading) {
      loading = loaders.load(id).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  /** Ends every watch (each subscription completes) and stops every poller: for shutdown. */
  close(): void {
    this.closed = true;
    const pollers = this.pollers.size;
    for (const poller of [...this.pollers.values()]) poller.stop();
    this.streams.close();
    // After the lease releases the pollers sent.
    this.shared?.close();
    this.logger.debug({ pollers }, 'watches ended');
  }
}

/** One execution's poller and its subscribers; a member of its tree's event stream, if any. */
class Poller implements TreeMember {
  latest: LoadedExecution | undefined;
  onStop: (() => void) | undefined;
  private readonly subscribers = new Set<Channel<WatchEvent>>();
  private readonly name: string | undefined;
  private readonly shared: Leases | undefined;
  /** How long one upstream call may take at most (`<P>_TIMEOUT_MS`): the lease covers it. */
  private readonly callMs: number = 0;
  private lastText: string;
  private stopped = false;
  private timer: Timer | undefined;
  /** The wait before this replica's next poll, as backoff has set it. */
  private delay: number;
  /** Whether this replica held the shared lease at its last poll (always false without Redis). */
  private holding = false;
  /** The shared subscription (`SharedPolls.listening`) this poller has polled once since. */
  private syncedWith: number | undefined;
  private polling = false;
  /** Told of a change while a poll was in flight (it may have been answered before it): again. */
  private again: Told | undefined;
  /** Its tree's event stream, when its provider streams events. */
  private tree: TreeHandle | undefined;
  /** When its last poll started: while the stream is up, timed polls wait `maxIntervalMs` from it. */
  private lastPolled: number;

  constructor(
    private readonly options: WatchOptions,
    private readonly connected: WatchedProvider,
    private readonly nativeId: string,
    private readonly key: string,
    current: LoadedExecution,
    private readonly cache: Pick<ExecutionCache, 'set'> | undefined,
    private readonly clock: Clock,
    private readonly scope: RequestScope,
    sharing: { polls: Leases; callMs: number } | undefined,
    private readonly observe?: (provider: string, source: ChangeSource) => void,
  ) {
    this.latest = current;
    this.lastText = JSON.stringify(current.raw);
    this.delay = options.intervalMs;
    this.lastPolled = clock.now();
    if (sharing) {
      this.shared = sharing.polls;
      this.callMs = sharing.callMs;
      this.name = this.shared.nameOf(key);
      this.shared.listen(this.name, (answer) => this.heard(answer));
    }
    this.schedule(options.intervalMs);
  }

  add(channel: Channel<WatchEvent>): void {
    if (this.stopped) return channel.end();
    // Its reader left while the first answer loaded: the poller may have no one to poll for.
    if (channel.isEnded) {
      if (this.subscribers.size === 0) this.stop();
      return;
    }
    this.subscribers.add(channel);
  }

  /** A subscriber left; the last one stops the poller. */
  remove(channel: Channel<WatchEvent>): void {
    if (!this.subscribers.delete(channel)) return;
    if (this.subscribers.size === 0) this.stop();
  }

  /** Follows its tree's event stream: while it is up, timed polls only every `maxIntervalMs`. */
  follow(tree: TreeHandle): void {
    if (this.stopped) return tree.leave();
    this.tree = tree;
  }

  /** Polls now, whatever the schedule, and shares the answer even without the lease. */
  now(told: Told = 'webhook'): void {
    if (this.stopped) return;
    this.clock.clearTimeout(this.timer);
    void this.poll(told);
  }

  /** Its tree's stream told of a change: fetched now, by the replica that polls it. */
  told(): void {
    if (this.shared) void this.poked('stream');
    else this.now('stream');
  }

  /** Its tree's stream went down: timed polls at the interval from now. */
  uncovered(): void {
    if (this.stopped || this.polling) return;
    this.delay = this.options.intervalMs;
    this.schedule(this.options.intervalMs);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.scope.abort.abort('cancelled');
    this.tree?.leave();
    if (this.shared && this.name) {
      this.shared.unlisten(this.name);
      if (this.holding) this.shared.release(this.name);
    }
    for (const channel of this.subscribers) channel.end();
    this.subscribers.clear();
    this.onStop?.();
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => void this.tick(), delay);
  }

  /**
   * Polls, unless another replica holds the execution's lease: then its answers come on the
   * channel, and this replica looks at the lease again after one interval (to take over from a
   * holder that went away).
   */
  private async tick(): Promise<void> {
    if (this.tree?.isUp()) {
      // The stream tells of changes: one safety poll per `maxIntervalMs`.
      const due = this.lastPolled + this.options.maxIntervalMs - this.clock.now();
      if (due > 0) return this.schedule(due);
    }
    if (this.shared && this.name) {
      // Long enough for one call to its deadline; renewed for the wait after it.
      const ours = await this.shared.claim(this.name, this.callMs + this.options.intervalMs);
      if (this.stopped) {
        // stop() came while Redis answered: a lease just taken is given back (only if ours).
        if (ours) this.shared.release(this.name);
        return;
      }
      this.holding = ours === true;
      const listening = this.shared.listening(this.name);
      if (ours === false && listening !== undefined) {
        // One poll of its own once its subscription has begun: an answer the holder published
        // before that (while this replica loaded its first answer, say) never came here.
        if (this.syncedWith === listening) return this.schedule(this.options.intervalMs);
        this.syncedWith = listening;
      }
    }
    await this.poll();
  }

  private async poll(told?: Told): Promise<void> {
    if (this.stopped) return;
    if (this.polling) {
      if (told) this.again = told;
      return;
    }
    this.lastPolled = this.clock.now();
    const { intervalMs, maxIntervalMs } = this.options;
    const backedOff = Math.min(this.delay * 2, maxIntervalMs);
    let raw: unknown;
    this.polling = true;
    const started = this.clock.now();
    try {
      raw = await this.connected.fetch(this.nativeId, this.scope);
    } catch (error) {
      if (this.stopped) return;
      if (isApiError(error) && FINAL.has(error.extensions.code)) {
        // The other replicas' pollers ask for themselves: each sends its own subscribers the error.
        if (this.holding) this.shared!.publish(this.name!, { final: true });
        for (const channel of this.subscribers) channel.push(error);
        return this.stop();
      }
      // Passing trouble: ask less often, and not before the provider or the circuit allows.
      const retryAfterMs = isApiError(error)
        ? Math.max(
            error.upstream?.retryAfterMs ?? 0,
            (error.extensions.retryAfterSeconds ?? 0) * 1000,
          )
        : 0;
      return this.next(Math.max(backedOff, retryAfterMs));
    } finally {
      this.polling = false;
    }
    if (this.stopped) return;
    const changed = this.apply(raw, told ?? 'poll', () => {
      if (this.shared && (this.holding || told)) this.shared.publish(this.name!, { raw });
    });
    if (this.again && !this.stopped) {
      const again = this.again;
      this.again = undefined;
      return this.poll(again);
    }
    // Polls start every interval, however long the answer took: a change waits at most that.
    if (!this.stopped) this.next(changed ? intervalMs : backedOff, this.clock.now() - started);
  }

  /**
   * The next poll `delay` after this one started (`elapsed` ago; after a failure, `delay` from
   * now), but never sooner than half of it after the answer: a slow provider is not asked back
   * to back. The lease is kept that long and one interval more.
   */
  private next(delay: number, elapsed = 0): void {
    this.delay = delay;
    if (this.holding) void this.shared!.claim(this.name!, delay + this.options.intervalMs);
    this.schedule(Math.max(delay - elapsed, delay / 2));
  }

  /**
   * An answer: sent to every subscriber when it differs from the last one (after `changed`
   * runs), and put in the cache, ending the watch, when it is terminal. True when it changed.
   */
  private apply(
    raw: unknown,
    source: ChangeSource,
    changed: () => void = () => undefined,
  ): boolean {
    const text = JSON.stringify(raw);
    if (text === this.lastText) return false;
    this.lastText = text;
    const execution = loadedExecution(this.connected.provider, this.nativeId, raw);
    this.latest = execution;
    changed();
    this.observe?.(this.connected.provider.datasource.name, source);
    for (const channel of this.subscribers) channel.push(execution);
    if (isFinished(execution)) {
      this.cache?.set(this.key, raw);
      this.stop();
    }
    return true;
  }

  /**
   * A webhook reached another replica: the replica that holds this execution's lease polls now,
   * or, while none does (before the first timed poll), the one that takes it.
   */
  private async poked(told: Told = 'webhook'): Promise<void> {
    if (this.stopped) return;
    if (!this.holding) {
      const ours = await this.shared!.claim(this.name!, this.callMs + this.options.intervalMs);
      // Redis cannot say: this replica fetches for itself.
      if (ours === false || this.stopped) return;
      this.holding = ours === true;
    }
    this.now(told);
  }

  /** Another replica's answer for this execution, from Redis: checked like a provider's body. */
  private heard(answer: SharedAnswer): void {
    if (this.stopped) return;
    if ('tree' in answer) return;
    if ('poke' in answer) {
      void this.poked();
      return;
    }
    if ('final' in answer) {
      // The holder's watch ended with an error: this replica's subscribers get it from our call.
      this.clock.clearTimeout(this.timer);
      void this.poll();
      return;
    }
    const checked = this.connected.provider.datasource.shape.safeParse(answer.raw);
    if (!checked.success) return this.shared!.garbage(this.name!);
    if (this.apply(checked.data, 'replica')) this.delay = this.options.intervalMs;
  }
}
