import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { digest } from '../../cache/digest.js';
import type { RedisSigner } from '../../cache/signing.js';
import { systemClock, type Clock } from '../../clock.js';
import type { Logger } from '../../telemetry/logger.js';

export interface SharedPollsOptions {
  /** `REDIS_URL`: the Redis the replicas share. */
  url: URL;
  /** Longer than this, a lease command is given up and the replica polls itself. */
  timeoutMs: number;
  logger: Logger;
  /**
   * Default none (`CACHE_SIGNING_KEY`, else `ROUTER_SECRET`, unset): messages are published and
   * read unsigned, checked by shape only. Set, each message is signed for its channel, one that
   * fails the check is ignored, and the Redis names are digests under the key.
   */
  signer?: RedisSigner;
  /** Default none: called for each message ignored, with why, for metrics. */
  onRejected?(reason: 'signature' | 'shape'): void;
  /** Default the system's: when an ignored message was last reported. */
  clock?: Clock;
}

/**
 * What a lease holder publishes: the provider's new answer, or that it ended with a final error;
 * or what a replica that is told of a change by a webhook asks of the holder: to poll now; or, on
 * a tree's channel, what the replica that follows its event stream says: a change in the tree,
 * the stream is up, or down.
 */
export type SharedAnswer = { raw: unknown } | { final: true } | { poke: true } | { tree: TreeWord };

/** What the replica following a tree's event stream says of it. */
export type TreeWord = 'event' | 'up' | 'down';

const TREE_WORDS: ReadonlySet<unknown> = new Set<TreeWord>(['event', 'up', 'down']);

/** Takes the lease when it is free or ours, and sets its time to live; 1 when ours, else 0. */
const CLAIM = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** Deletes the lease only while it is still ours (another replica may hold it since). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * What a poller uses of the shared pollers (`SharedPolls` over Redis): leases, and the channel of
 * answers. Tests hand the watcher an in-memory one on a fake clock.
 */
export interface Leases {
  /** The name a poller's scoped key goes by in the shared store. */
  nameOf(scopedKey: string): string;
  /**
   * Whether this replica polls `name` now: true when it holds the lease (taking it if free) for
   * `ttlMs` more, false when another replica does, undefined when the store cannot say.
   */
  claim(name: string, ttlMs: number): Promise<boolean | undefined>;
  /** Gives the lease up if this replica still holds it, in the background. */
  release(name: string): void;
  /** Sends an answer to the other replicas' pollers of `name`, in the background. */
  publish(name: string, answer: SharedAnswer): void;
  /** Calls `handler` with each answer another replica publishes for `name`, until `unlisten`. */
  listen(name: string, handler: (answer: SharedAnswer) => void): void;
  unlisten(name: string): void;
  /** While answers for `name` would reach `listen`'s handler, the number of that subscription. */
  listening(name: string): number | undefined;
  /** A published answer for `name` that is not one: ignored, and reported. */
  garbage(name: string): void;
  /** Ends the connections once what was already sent (lease releases) is done. */
  close(): void;
}

interface LeaseCommands {
  claimWatchLease(key: string, token: string, ttlMs: number): Promise<number>;
  releaseWatchLease(key: string, token: string): Promise<number>;
}

/**
 * Pollers shared by replicas (docs/live-status.md): for each watched execution one replica holds a
 * lease in Redis and polls; it publishes each new answer on the execution's channel, and the
 * other replicas' pollers, which listen there, send it to their subscribers without calling.
 *
 * A lease is `SET` with this process's token and a time to live, renewed by its holder at each
 * poll and deleted (only if still its own) when the holder's last subscriber leaves or the
 * execution ends; a holder that dies is replaced once its lease runs out. Lease keys and
 * channels are named by a digest of the poller's scoped key: no native id, credential or
 * customer appears in Redis names. A Redis that is down or slow costs at most `timeoutMs` per
 * lease check, and each replica then polls for itself (one warning per outage) until it answers
 * again.
 *
 * Anything that can write to Redis can publish, so a message is checked before a subscriber
 * sees it: with a signer it is `<mac>.<json>`, the MAC binding the JSON to its channel (see
 * `RedisSigner`), and one that fails is ignored; then it must read as a message, and its answer
 * as an execution of the provider (the poller checks that). With a signer, names are digests
 * under the key, so replicas with different keys (or one without) share no lease or channel:
 * during a key rotation each group polls for itself rather than ignoring the other's answers.
 */
export class SharedPolls implements Leases {
  private readonly client: Redis & LeaseCommands;
  private readonly listener: Redis;
  /** This process's lease token. */
  private readonly token = randomUUID();
  private readonly handlers = new Map<string, (answer: SharedAnswer) => void>();
  /** Channels whose subscription Redis confirmed on the current connection. */
  private readonly subscribed = new Map<string, number>();
  /** Counts confirmed subscriptions: each one's number tells a poller when it began. */
  private subscriptions = 0;
  private degraded = false;
  private closing = false;
  private rejectionReported: number | undefined;

  constructor(private readonly options: SharedPollsOptions) {
    const settings = {
      commandTimeout: options.timeoutMs,
      connectTimeout: Math.max(1000, options.timeoutMs),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
    };
    this.client = new Redis(options.url.href, settings) as Redis & LeaseCommands;
    this.client.defineCommand('claimWatchLease', { numberOfKeys: 1, lua: CLAIM });
    this.client.defineCommand('releaseWatchLease', { numberOfKeys: 1, lua: RELEASE });
    // Subscriptions are made again by us on each new connection (and only then counted as
    // listening), so ioredis's own resubscribing is off.
    this.listener = new Redis(options.url.href, { ...settings, autoResubscribe: false });
    for (const connection of [this.client, this.listener]) {
      connection.on('error', (error: Error) => this.failed(error));
      connection.on('close', () => {
        if (connection === this.listener) this.subscribed.clear();
        if (!this.degraded && !this.closing) this.failed(new Error('the connection closed'));
      });
    }
    this.client.on('ready', () => this.healthy());
    this.listener.on('ready', () => {
      this.healthy();
      for (const channel of this.handlers.keys()) this.subscribe(channel);
    });
    this.listener.on('message', (channel: string, message: string) =>
      this.received(channel, message),
    );
  }

  /** The Redis name of a poller's scoped key: a digest, so nothing in it is readable. */
  nameOf(scopedKey: string): string {
    const { signer } = this.options;
    return signer ? signer.name(`watch\n${scopedKey}`) : digest(`watch\n${scopedKey}`);
  }

  /**
   * Whether this replica polls `name` now: true when it holds the lease (taking it if free) for
   * `ttlMs` more, false when another replica does, undefined when Redis cannot say (poll anyway).
   */
  async claim(name: string, ttlMs: number): Promise<boolean | undefined> {
    if (this.client.status !== 'ready') return undefined;
    try {
      const ours = await this.client.claimWatchLease(
        leaseKey(name),
        this.token,
        Math.max(1, Math.ceil(ttlMs)),
      );
      this.healthy();
      return ours === 1;
    } catch (error) {
      this.failed(error);
      return undefined;
    }
  }

  /** Gives the lease up if this replica still holds it, in the background. */
  release(name: string): void {
    if (this.client.status !== 'ready') return;
    this.client.releaseWatchLease(leaseKey(name), this.token).catch((error: unknown) => {
      this.failed(error);
    });
  }

  /** Sends an answer to the other replicas' pollers of `name`, in the background. */
  publish(name: string, answer: SharedAnswer): void {
    if (this.client.status !== 'ready') return;
    const channel = channelOf(name);
    const text = JSON.stringify({ v: 2, from: this.token, ...answer });
    const message = this.options.signer ? this.options.signer.seal(channel, text) : text;
    this.client.publish(channel, message).catch((error: unknown) => this.failed(error));
  }

  /** Calls `handler` with each answer another replica publishes for `name`, until `unlisten`. */
  listen(name: string, handler: (answer: SharedAnswer) => void): void {
    const channel = channelOf(name);
    this.handlers.set(channel, handler);
    this.subscribe(channel);
  }

  unlisten(name: string): void {
    const channel = channelOf(name);
    if (!this.handlers.delete(channel)) return;
    this.subscribed.delete(channel);
    if (this.listener.status === 'ready') this.listener.unsubscribe(channel).catch(() => undefined);
  }

  /**
   * While Redis would deliver another replica's answers for `name` to `listen`'s handler, the
   * number of that subscription (a new one after a reconnection); else undefined. Answers
   * published before it began are not delivered.
   */
  listening(name: string): number | undefined {
    return this.listener.status === 'ready' ? this.subscribed.get(channelOf(name)) : undefined;
  }

  /** Closes both connections once the commands already sent (lease releases) are done. */
  close(): void {
    this.closing = true;
    for (const connection of [this.client, this.listener]) {
      if (connection.status === 'ready') connection.quit().catch(() => connection.disconnect());
      else connection.disconnect();
    }
  }

  private subscribe(channel: string): void {
    if (this.listener.status !== 'ready') return;
    this.listener.subscribe(channel).then(
      () => {
        // Still wanted: `unlisten` may have come while Redis answered.
        if (this.handlers.has(channel)) this.subscribed.set(channel, ++this.subscriptions);
      },
      (error: unknown) => this.failed(error),
    );
  }

  private received(channel: string, message: string): void {
    const handler = this.handlers.get(channel);
    if (!handler) return;
    const { signer } = this.options;
    const text = signer ? signer.open(channel, message) : message;
    if (text === undefined) return this.rejected('signature');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.rejected('shape');
    }
    if (!isMessage(parsed)) return this.rejected('shape');
    if (parsed.from === this.token) return;
    handler(
      'final' in parsed
        ? { final: true }
        : 'poke' in parsed
          ? { poke: true }
          : 'tree' in parsed
            ? { tree: parsed.tree }
            : { raw: parsed.raw },
    );
  }

  /** A message whose answer is no execution of its provider: ignored, and reported. */
  garbage(): void {
    this.rejected('shape');
  }

  /**
   * A message ignored: counted, and said at most once a minute however many there are, without
   * its channel or anything of it.
   */
  private rejected(reason: 'signature' | 'shape'): void {
    this.options.onRejected?.(reason);
    const now = (this.options.clock ?? systemClock).now();
    if (this.rejectionReported !== undefined && now - this.rejectionReported < 60_000) return;
    this.rejectionReported = now;
    this.options.logger.warn(
      { reason },
      reason === 'signature'
        ? "live status: a message on a Redis channel of the shared pollers is not an answer of this service (not signed with this service's key for its channel); it was ignored"
        : 'live status: a message on a Redis channel of the shared pollers is not an answer of this service; it was ignored',
    );
  }

  private healthy(): void {
    if (!this.degraded) return;
    if (this.client.status !== 'ready' || this.listener.status !== 'ready') return;
    this.degraded = false;
    this.options.logger.info(
      'live status: Redis answers again; replicas share their pollers again',
    );
  }

  private failed(error: unknown): void {
    if (this.degraded || this.closing) return;
    this.degraded = true;
    // The URL is left out: it may carry a password.
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn(
      { reason },
      'live status: Redis is unavailable; each replica polls the executions it watches itself until it answers again',
    );
  }
}

function leaseKey(name: string): string {
  return `watch:v2:lease:${name}`;
}

function channelOf(name: string): string {
  return `watch:v2:answers:${name}`;
}

type Message = { v: 2; from: string } & SharedAnswer;

function isMessage(value: unknown): value is Message {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return (
    message.v === 2 &&
    typeof message.from === 'string' &&
    (message.final === true ||
      message.poke === true ||
      TREE_WORDS.has(message.tree) ||
      ('raw' in message && message.raw !== undefined))
  );
}
