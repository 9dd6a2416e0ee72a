import { randomUUID } from 'node:crypto';
import { scopedKey, type ExecutionCache } from '../cache/execution-cache.js';
import type { RequestScope } from '../datasources/datasource.js';
import { badUserInput, isApiError } from '../errors.js';
import type { Context } from '../graphql/context.js';
import type { LoadedExecution } from '../graphql/loaders.js';
import { parseGlobalId } from '../ids.js';
import { isTerminalState, stateOfExecution } from '../resolvers/execution-type.js';
import type { Logger } from '../telemetry/logger.js';
import { Abort } from '../upstream/abort.js';
import type { ConnectedProvider, ConnectedProviders } from '../upstream/connect.js';
import { Channel } from './channel.js';

export interface WatchOptions {
  /** Default 2000, `WATCH_INTERVAL_MS`: how often a poller asks while the execution changes. */
  intervalMs: number;
  /** Default 30000, `WATCH_MAX_INTERVAL_MS`: the longest wait, backed off to while nothing changes. */
  maxIntervalMs: number;
  /** Default 10000, `MAX_WATCHED_EXECUTIONS`: executions watched at once in the process. */
  maxWatched: number;
}

/** What a watch sends: the execution as it is now, or the error that ends the watch. */
export type WatchEvent = LoadedExecution | Error;

/** Errors that end a watch: the execution cannot be watched. Anything else is passing. */
const FINAL = new Set([
  'NOT_FOUND',
  'UPSTREAM_UNAUTHORIZED',
  'BAD_USER_INPUT',
  'PROVIDER_NOT_CONFIGURED',
]);

/**
 * Live status (SPEC section 8): one poller per execution and scope in the process, shared by
 * every subscriber, polling through the provider's call policy like any fetch. A poller asks every
 * `intervalMs`, backs off to `maxIntervalMs` while nothing changes, waits out `Retry-After` and an
 * open circuit, sends an event only when the provider's answer changed, puts the terminal answer
 * in the cache, and stops when its last subscriber leaves or the execution is terminal.
 */
export class Watcher {
  private readonly pollers = new Map<string, Poller>();
  private readonly loading = new Map<string, Promise<LoadedExecution>>();
  private closed = false;

  constructor(
    private readonly options: WatchOptions,
    private readonly providers: ConnectedProviders,
    private readonly cache: ExecutionCache | undefined,
    private readonly logger: Logger,
  ) {}

  /**
   * The events of one execution for one subscriber: the execution now (through the request's
   * loaders, so from the cache when it is there), then each change; it ends after a terminal
   * answer or an error event.
   */
  watch(context: Context, id: string): Channel<WatchEvent> {
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
          await context.executions.load(id).then(
            () => undefined,
            (e) => e,
          ),
        );
      const key = scopedKey(connected, nativeId, context.header);
      // A subscriber who joins a running poller gets its latest answer, with no call; those who
      // come at once share one load.
      const current = this.pollers.get(key)?.latest ?? (await this.firstLoad(key, context, id));
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
        poller = new Poller(this.options, connected, nativeId, key, current, this.cache, {
          header: context.header,
          requestId: `watch-${randomUUID()}`,
          abort: new Abort(),
        });
        this.pollers.set(key, poller);
        poller.onStop = () => this.pollers.delete(key);
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

  /** The execution now, loaded once for every subscriber that asks for it at the same time. */
  private firstLoad(key: string, context: Context, id: string): Promise<LoadedExecution> {
    let loading = this.loading.get(key);
    if (!loading) {
      loading = context.executions.load(id).finally(() => this.loading.delete(key));
      this.loading.set(key, loading);
    }
    return loading;
  }

  /** Ends every watch (each subscription completes) and stops every poller: for shutdown. */
  close(): void {
    this.closed = true;
    const pollers = this.pollers.size;
    for (const poller of [...this.pollers.values()]) poller.stop();
    this.logger.debug({ pollers }, 'watches ended');
  }
}

/** One execution's poller and its subscribers. */
class Poller {
  latest: LoadedExecution | undefined;
  onStop: (() => void) | undefined;
  private readonly subscribers = new Set<Channel<WatchEvent>>();
  private lastText: string;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: WatchOptions,
    private readonly connected: ConnectedProvider,
    private readonly nativeId: string,
    private readonly key: string,
    current: LoadedExecution,
    private readonly cache: ExecutionCache | undefined,
    private readonly scope: RequestScope,
  ) {
    this.latest = current;
    this.lastText = JSON.stringify(current.raw);
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

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.scope.abort.abort('cancelled');
    for (const channel of this.subscribers) channel.end();
    this.subscribers.clear();
    this.onStop?.();
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.poll(delay), delay);
  }

  private async poll(lastDelay: number): Promise<void> {
    const { intervalMs, maxIntervalMs } = this.options;
    const backedOff = Math.min(lastDelay * 2, maxIntervalMs);
    try {
      const raw = await this.connected.fetch(this.nativeId, this.scope);
      if (this.stopped) return;
      const text = JSON.stringify(raw);
      if (text === this.lastText) return this.schedule(backedOff);
      this.lastText = text;
      const { provider } = this.connected;
      const execution: LoadedExecution = {
        ref: {
          provider,
          nativeId: this.nativeId,
          id: `${provider.datasource.key}:${this.nativeId}`,
        },
        raw,
      };
      this.latest = execution;
      for (const channel of this.subscribers) channel.push(execution);
      if (isFinished(execution)) {
        this.cache?.set(this.key, raw);
        return this.stop();
      }
      this.schedule(intervalMs);
    } catch (error) {
      if (this.stopped) return;
      if (isApiError(error) && FINAL.has(error.extensions.code)) {
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
      this.schedule(Math.max(backedOff, retryAfterMs));
    }
  }
}

function isFinished(execution: LoadedExecution): boolean {
  return isTerminalState(stateOfExecution(execution));
}
