import { randomUUID } from 'node:crypto';
import type { Clock, Timer } from '../../clock.js';
import type { EventStream, RequestScope } from '../../datasources/datasource.js';
import type { Logger } from '../../telemetry/logger.js';
import { Abort } from '../../upstream/abort.js';
import type { ConnectedEvents } from '../connected.js';
import type { Leases, SharedAnswer } from './shared-polls.js';

export interface TreeStreamOptions {
  /** `WATCH_INTERVAL_MS`: how often a replica looks at a tree's lease, and the lease's unit. */
  intervalMs: number;
  /** `WATCH_MAX_INTERVAL_MS`: the longest wait before a stream is opened again. */
  maxIntervalMs: number;
  /** `WATCH_STREAM_IDLE_MS`: a stream with no frame for this long hangs, and is opened again. */
  idleMs: number;
}

/** A watched execution of a tree, as its tree's stream sees it (a poller). */
export interface TreeMember {
  /** The stream told of a change in the tree: fetch now (a fetch in flight goes again once). */
  told(): void;
  /** The stream went down: timed polls resume at the interval until it is up again. */
  uncovered(): void;
}

/** A member's hold on its tree's stream. */
export interface TreeHandle {
  /** Whether the stream (this replica's or, with Redis, another's) is up now. */
  isUp(): boolean;
  /** The member leaves; the last one closes the stream. */
  leave(): void;
}

/** Told of what the streams do, for metrics. */
export interface StreamObserver {
  /** A stream of `provider` is up (`+1`) or went down (`-1`). */
  open(provider: string, change: 1 | -1): void;
  /** A stream of `provider` is being opened again after it failed, ended or hung. */
  reconnect(provider: string): void;
}

/** What `join` needs to follow a tree. */
export interface Tree {
  /** The tree's root, scoped as pollers are (provider, deployment, request scope). */
  key: string;
  /** The provider's name, for logs and metrics. */
  provider: string;
  events: ConnectedEvents;
  /** The root's native id. */
  root: string;
  /** The root's answer (its own poller's, or one fetch), for opening its stream. */
  loadRoot: (scope: RequestScope) => Promise<unknown>;
  /** The request headers the stream is opened with (the first member's). */
  header: (name: string) => string | undefined;
}

/** The first wait before a stream is opened again; it doubles with each failure in a row. */
const FIRST_BACKOFF_MS = 100;

/**
 * Event streams of trees of executions (docs/live-status.md): one per tree (its root, scoped)
 * in the process, followed for every watched execution of the tree. Each batch of frames that
 * tells of a change has every member fetch now, once (a fetch in flight goes again once). While
 * a stream is up its members poll on their own only every `maxIntervalMs`; when it fails, ends,
 * or hangs (no frame for `idleMs`), members poll at the interval again, and it is opened again
 * from its last position after a backoff (100 ms, doubling to `maxIntervalMs`).
 *
 * With `shared` (Redis), one replica holds a tree's lease and its stream; it publishes each
 * change and whether the stream is up on the tree's channel, and every replica's members are
 * told, each execution then fetched by the replica that polls it. A replica whose Redis cannot
 * answer opens its own stream.
 */
export class TreeStreams {
  private readonly trees = new Map<string, TreeStream>();

  constructor(
    private readonly options: TreeStreamOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly shared: Leases | undefined,
    private readonly observer?: StreamObserver,
  ) {}

  /** `member` follows `tree`'s stream, opened for the first member, until it leaves. */
  join(tree: Tree, member: TreeMember): TreeHandle {
    let stream = this.trees.get(tree.key);
    if (!stream) {
      const created = new TreeStream(
        tree,
        this.options,
        this.clock,
        this.logger,
        this.shared,
        this.observer,
      );
      created.onStop = () => {
        if (this.trees.get(tree.key) === created) this.trees.delete(tree.key);
      };
      this.trees.set(tree.key, created);
      stream = created;
      stream.start();
    }
    const joined = stream;
    joined.members.add(member);
    let left = false;
    return {
      isUp: () => !left && joined.isUp(),
      leave: () => {
        if (left) return;
        left = true;
        joined.members.delete(member);
        if (joined.members.size === 0) joined.stop();
      },
    };
  }

  /** Trees followed now (streams open or opening). */
  get size(): number {
    return this.trees.size;
  }

  /** Closes every stream: for shutdown. */
  close(): void {
    for (const stream of [...this.trees.values()]) stream.stop();
  }
}

/** One tree's stream and the members that follow it. */
class TreeStream {
  readonly members = new Set<TreeMember>();
  onStop: (() => void) | undefined;
  private readonly scope: RequestScope;
  private readonly name: string | undefined;
  private stopped = false;
  /** The stream is open and has answered (this replica's). */
  private up = false;
  /** With Redis: another replica said its stream is up, until then. */
  private upUntil = 0;
  /** This replica follows the stream itself (holds the lease, or Redis cannot say). */
  private following = false;
  /** Where the stream resumes: the last change's position. */
  private position: string | undefined;
  private root: unknown;
  private failures = 0;
  private current: EventStream | undefined;
  /** A `run` is under way (opening, reading, or waiting to open again). */
  private running = false;
  private retryTimer: Timer | undefined;
  private idleTimer: Timer | undefined;
  private leaseTimer: Timer | undefined;

  constructor(
    private readonly tree: Tree,
    private readonly options: TreeStreamOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly shared: Leases | undefined,
    private readonly observer: StreamObserver | undefined,
  ) {
    this.scope = {
      header: tree.header,
      requestId: `stream-${randomUUID()}`,
      abort: new Abort(),
    };
    if (shared) {
      this.name = shared.nameOf(`tree\n${tree.key}`);
      shared.listen(this.name, (message) => this.heard(message));
    }
  }

  start(): void {
    if (this.shared) void this.tick();
    else this.follow();
  }

  isUp(): boolean {
    return this.following ? this.up : this.clock.now() < this.upUntil;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of [this.retryTimer, this.idleTimer, this.leaseTimer]) {
      this.clock.clearTimeout(timer);
    }
    this.scope.abort.abort('cancelled');
    this.current?.close();
    this.down();
    if (this.shared && this.name) {
      this.shared.unlisten(this.name);
      if (this.following) this.shared.release(this.name);
    }
    this.onStop?.();
  }

  /** With Redis: takes or keeps the tree's lease every interval, and follows while it holds it. */
  private async tick(): Promise<void> {
    const { intervalMs } = this.options;
    const ours = await this.shared!.claim(this.name!, intervalMs * 3);
    if (this.stopped) {
      if (ours) this.shared!.release(this.name!);
      return;
    }
    if (ours === false) {
      // Another replica follows the tree (it may have taken over while Redis was away).
      if (this.following) {
        this.following = false;
        this.current?.close();
      }
    } else {
      this.follow();
      if (this.up) this.shared!.publish(this.name!, { tree: 'up' });
    }
    this.leaseTimer = this.later(() => void this.tick(), intervalMs);
  }

  /** Follows the stream from here: opens it unless it is open or opening. */
  private follow(): void {
    this.following = true;
    if (this.running) return;
    this.running = true;
    void this.run().finally(() => (this.running = false));
  }

  /** Opens the stream and reads it; when it stops, waits, and opens it again while following. */
  private async run(): Promise<void> {
    while (!this.stopped && this.following) {
      await this.read();
      this.down();
      if (this.stopped || !this.following) return;
      this.failures += 1;
      const wait = Math.min(
        FIRST_BACKOFF_MS * 2 ** (this.failures - 1),
        this.options.maxIntervalMs,
      );
      await new Promise<void>((resolve) => {
        this.retryTimer = this.later(resolve, wait);
      });
      if (this.stopped || !this.following) return;
      this.observer?.reconnect(this.tree.provider);
    }
  }

  /** One stream, from opening it to its end (or its failure, or its hanging). */
  private async read(): Promise<void> {
    let stream: EventStream;
    try {
      this.root ??= await this.tree.loadRoot(this.scope);
      if (this.stopped) return;
      stream = await this.tree.events.open(
        { root: this.tree.root, raw: this.root },
        this.position,
        this.scope,
      );
    } catch (error) {
      if (!this.stopped) this.failed(error);
      return;
    }
    if (this.stopped || !this.following) return stream.close();
    this.current = stream;
    this.armIdle(stream);
    try {
      for await (const batch of stream.batches) {
        if (this.stopped) break;
        this.armIdle(stream);
        if (!this.up) {
          this.up = true;
          this.observer?.open(this.tree.provider, 1);
          if (this.shared) this.shared.publish(this.name!, { tree: 'up' });
        }
        let changed = false;
        let failed: string | undefined;
        for (const notice of batch) {
          if (notice.kind === 'change') {
            changed = true;
            this.position = notice.position;
          } else if (notice.kind === 'failed') {
            failed = notice.reason;
          }
        }
        if (changed) {
          this.tell();
          if (this.shared) this.shared.publish(this.name!, { tree: 'event' });
        }
        if (failed !== undefined) {
          this.logger.info(
            { provider: this.tree.provider, reason: failed },
            'live status: an event stream failed; polling covers it until it is open again',
          );
          break;
        }
        // A batch that did not fail: the stream works, and the next failure waits the least.
        this.failures = 0;
      }
    } catch (error) {
      if (!this.stopped) this.failed(error);
    } finally {
      this.clock.clearTimeout(this.idleTimer);
      stream.close();
      if (this.current === stream) this.current = undefined;
    }
  }

  /** No frame for `idleMs`: the stream hangs, and is closed (then opened again). */
  private armIdle(stream: EventStream): void {
    this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.later(() => {
      this.logger.info(
        { provider: this.tree.provider, idleMs: this.options.idleMs },
        'live status: an event stream sent nothing for too long; it is opened again',
      );
      stream.close();
    }, this.options.idleMs);
  }

  private failed(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.info(
      { provider: this.tree.provider, reason },
      'live status: an event stream could not be followed; polling covers it until it is open again',
    );
  }

  /** Every member fetches now. */
  private tell(): void {
    for (const member of [...this.members]) member.told();
  }

  /** The stream is no longer up: members poll at the interval again. */
  private down(): void {
    if (!this.up) return;
    this.up = false;
    this.observer?.open(this.tree.provider, -1);
    if (this.shared && this.name && this.following) {
      this.shared.publish(this.name, { tree: 'down' });
    }
    for (const member of [...this.members]) member.uncovered();
  }

  /** Another replica's word on the tree, from Redis. */
  private heard(message: SharedAnswer): void {
    if (this.stopped || this.following || !('tree' in message)) return;
    if (message.tree === 'event') return this.tell();
    if (message.tree === 'up') {
      this.upUntil = this.clock.now() + this.options.intervalMs * 3;
      return;
    }
    const wasUp = this.isUp();
    this.upUntil = 0;
    if (wasUp) for (const member of [...this.members]) member.uncovered();
  }

  private later(callback: () => void, ms: number): Timer {
    return this.clock.setTimeout(callback, ms);
  }
}
