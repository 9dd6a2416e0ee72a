import { Redis } from 'ioredis';
import type { Logger } from '../telemetry/logger.js';

export type RedisState = 'connecting' | 'ok' | 'degraded';

export interface RedisTierOptions {
  url: URL;
  /** Longer than this, a command is given up and the cache is skipped for it. */
  timeoutMs: number;
  logger: Logger;
  /** Called for each failed command or unreadable entry, for metrics. */
  onError(kind: 'command' | 'entry'): void;
}

/**
 * The cache tier shared by replicas, through ioredis. A Redis that is down, slow or not Redis at
 * all costs at most `timeoutMs` per lookup and fails nothing: commands fail fast while it is
 * unreachable (no offline queue), each is bounded by `commandTimeout`, the client reconnects on
 * its own, and an outage is logged once, with its end.
 */
export class RedisTier {
  private readonly client: Redis;
  private current: RedisState = 'connecting';
  private entryReported = 0;

  constructor(private readonly options: RedisTierOptions) {
    this.client = new Redis(options.url.href, {
      commandTimeout: options.timeoutMs,
      connectTimeout: Math.max(1000, options.timeoutMs),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Keeps trying, at most every 2 s, for as long as the process runs.
      retryStrategy: (times) => Math.min(100 * times, 2000),
    });
    this.client.on('ready', () => this.healthy());
    this.client.on('error', (error: Error) => this.failed(error));
    this.client.on('close', () => {
      if (this.current === 'ok') this.failed(new Error('the connection closed'));
    });
  }

  /** `ok` once a command has succeeded, `degraded` while it fails; `connecting` before either. */
  get state(): RedisState {
    return this.current;
  }

  /** The values of `keys`, null for a miss; all null when Redis does not answer in time. */
  async getMany(keys: readonly string[]): Promise<Array<string | null>> {
    // Not connected (yet, or any more): no command would be sent, so none is tried.
    if (this.client.status !== 'ready') return keys.map(() => null);
    try {
      const values = await this.client.mget(...keys);
      this.healthy();
      return values;
    } catch (error) {
      this.failed(error);
      return keys.map(() => null);
    }
  }

  /** Stores `value` for `ttlSeconds`, in the background: the answer never waits for it. */
  set(key: string, value: string, ttlSeconds: number): void {
    if (this.client.status !== 'ready') return;
    this.client.set(key, value, 'EX', ttlSeconds).then(
      () => this.healthy(),
      (error: unknown) => this.failed(error),
    );
  }

  /** An entry that does not read as an execution of its provider: skipped, and said once. */
  unreadable(key: string): void {
    this.options.onError('entry');
    // At most one line a minute, however many entries are bad.
    if (Date.now() - this.entryReported < 60_000) return;
    this.entryReported = Date.now();
    this.options.logger.warn(
      { key },
      'execution cache: a Redis entry is not a valid execution; it was skipped and the provider asked instead',
    );
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private healthy(): void {
    if (this.current === 'degraded') {
      this.options.logger.info(
        'execution cache: Redis answers again; shared entries are used again',
      );
    }
    this.current = 'ok';
  }

  private failed(error: unknown): void {
    this.options.onError('command');
    if (this.current === 'degraded') return;
    this.current = 'degraded';
    // The URL is left out: it may carry a password.
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn(
      { reason },
      'execution cache: Redis is unavailable; queries go to the providers until it answers again',
    );
  }
}
