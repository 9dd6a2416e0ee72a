import { Redis } from 'ioredis';
import type { Logger } from '../telemetry/logger.js';
import type { RedisSigner } from './signing.js';

export type RedisState = 'connecting' | 'ok' | 'degraded';

/** Why a value read from Redis was dropped: its signature, or (signed or not) its shape. */
export type Rejection = 'signature' | 'shape';

export interface RedisTierOptions {
  url: URL;
  /** Longer than this, a command is given up and the cache is skipped for it. */
  timeoutMs: number;
  logger: Logger;
  /**
   * Default none (`CACHE_SIGNING_KEY`, else `ROUTER_SECRET`, unset): values are written and read
   * unsigned, checked by shape only. Set, each value is signed for its Redis key, and one that
   * fails the check is dropped.
   */
  signer: RedisSigner | undefined;
  /** Called for each failed command or unreadable entry, for metrics. */
  onError(kind: 'command' | 'entry'): void;
  /** Called for each value dropped, with why, for metrics. */
  onRejected(reason: Rejection): void;
}

/**
 * The cache tier shared by replicas, through ioredis. A Redis that is down, slow or not Redis at
 * all costs at most `timeoutMs` per lookup and fails nothing: commands fail fast while it is
 * unreachable (no offline queue), each is bounded by `commandTimeout`, the client reconnects on
 * its own, and an outage is logged once, with its end.
 *
 * Values live under `executions:v2:<provider>:<scope>:<native id>` and, with a signer, are
 * `<mac>.<json>`, the MAC binding the JSON to that Redis key (see `RedisSigner`): a value planted
 * by anything without the key, or copied from another key, is dropped like an unreadable one.
 */
export class RedisTier {
  private readonly client: Redis;
  private current: RedisState = 'connecting';
  private rejectionReported = 0;

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

  /**
   * The values of `keys` (the JSON each was stored with), null for a miss, for a value that
   * fails its signature check (dropped and reported), and for all when Redis does not answer in
   * time.
   */
  async getMany(keys: readonly string[]): Promise<Array<string | null>> {
    // Not connected (yet, or any more): no command would be sent, so none is tried.
    if (this.client.status !== 'ready') return keys.map(() => null);
    let values: Array<string | null>;
    try {
      values = await this.client.mget(...keys);
      this.healthy();
    } catch (error) {
      this.failed(error);
      return keys.map(() => null);
    }
    const { signer } = this.options;
    if (!signer) return values;
    return values.map((value, i) => {
      if (value === null) return null;
      const text = signer.open(keys[i]!, value);
      if (text === undefined) this.rejected('signature');
      return text ?? null;
    });
  }

  /** Stores `value` for `ttlSeconds`, in the background: the answer never waits for it. */
  set(key: string, value: string, ttlSeconds: number): void {
    if (this.client.status !== 'ready') return;
    const stored = this.options.signer ? this.options.signer.seal(key, value) : value;
    this.client.set(key, stored, 'EX', ttlSeconds).then(
      () => this.healthy(),
      (error: unknown) => this.failed(error),
    );
  }

  /** A value (signed, or unsigned without a signer) that is no execution of its provider. */
  unreadable(): void {
    this.rejected('shape');
  }

  /**
   * A value dropped: counted, and said at most once a minute however many there are, without
   * its key or anything of its value (they may name an execution).
   */
  private rejected(reason: Rejection): void {
    this.options.onError('entry');
    this.options.onRejected(reason);
    if (Date.now() - this.rejectionReported < 60_000) return;
    this.rejectionReported = Date.now();
    this.options.logger.warn(
      { reason },
      reason === 'signature'
        ? "execution cache: a Redis entry is not signed with this service's key for its key; it was skipped and the provider asked instead"
        : 'execution cache: a Redis entry is not a valid execution; it was skipped and the provider asked instead',
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
