import { Redis } from 'ioredis';
import type { RedisSigner } from './signing.js';

/**
 * What a shared claim holds: nothing, a start in flight, the id it started, or a start whose
 * answer was lost (it may have started one: the key is spent for the window).
 */
export type ClaimState =
  { kind: 'none' } | { kind: 'pending' } | { kind: 'started'; id: string } | { kind: 'lost' };

/**
 * Idempotency claims shared by replicas (Redis). Every method rejects when the store cannot
 * answer; a value nobody with the signing key wrote reads as `none`, never as a started id.
 */
export interface SharedClaims {
  /** Claims `key` for a start in flight, for `ttlMs`; true when this caller now holds it. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  read(key: string): Promise<ClaimState>;
  /**
   * Keeps the started `id` under `key` for `ttlMs`, for the mutations that ask again; undefined
   * when the start's answer was lost.
   */
  settle(key: string, id: string | undefined, ttlMs: number): Promise<void>;
  /** Gives `key` up after a start that failed, so that the next mutation tries again. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

/** What a claim in flight holds in Redis, and one whose start's answer was lost. */
const PENDING = 'pending';
const LOST = 'lost';

/**
 * Idempotency claims of reruns in Redis (docs/rerun.md): `SET NX PX` claims a key for a start in
 * flight, the started id is stored over it for the window, and `DEL` gives it up after a failed
 * start. With a signer a started id is `<mac>.<id>` for its key, and a value nobody with the key
 * wrote reads as `none` (so it is claimed again, never served). Commands fail fast while Redis is
 * unreachable; the caller then keeps the key in process.
 */
export class RedisClaims implements SharedClaims {
  private readonly client: Redis;

  constructor(
    url: URL,
    timeoutMs: number,
    private readonly signer: RedisSigner | undefined,
    /** Called for each value dropped (its signature), for metrics. */
    private readonly onRejected: () => void = () => {},
  ) {
    this.client = new Redis(url.href, {
      commandTimeout: timeoutMs,
      connectTimeout: Math.max(1000, timeoutMs),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: false,
      retryStrategy: (times) => Math.min(100 * times, 2000),
    });
    // Errors are reported by the commands that fail; the client reconnects on its own.
    this.client.on('error', () => {});
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    await this.ready();
    return (await this.client.set(key, PENDING, 'PX', ttlMs, 'NX')) === 'OK';
  }

  async read(key: string): Promise<ClaimState> {
    await this.ready();
    const value = await this.client.get(key);
    if (value === null) return { kind: 'none' };
    if (value === PENDING) return { kind: 'pending' };
    if (value === LOST) return { kind: 'lost' };
    const id = this.signer ? this.signer.open(key, value) : value;
    if (id === undefined || id === '') {
      this.onRejected();
      // Not ours: dropped, so that the key can be claimed.
      await this.client.del(key);
      return { kind: 'none' };
    }
    return { kind: 'started', id };
  }

  async settle(key: string, id: string | undefined, ttlMs: number): Promise<void> {
    await this.ready();
    const value = id === undefined ? LOST : this.signer ? this.signer.seal(key, id) : id;
    await this.client.set(key, value, 'PX', ttlMs);
  }

  async release(key: string): Promise<void> {
    await this.ready();
    await this.client.del(key);
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  /** A command on a client still connecting waits for it, once, within the command timeout. */
  private async ready(): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.client.status !== 'connecting' && this.client.status !== 'connect') {
      throw new Error(`Redis is ${this.client.status}`);
    }
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.client.off('ready', done);
        reject(new Error('Redis is not connected'));
      }, 1000);
      this.client.once('ready', done);
    });
  }
}
