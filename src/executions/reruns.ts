import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import { ApiError } from '../errors.js';
import type { ClaimState, SharedClaims } from '../cache/redis-claims.js';
import type { Logger } from '../telemetry/logger.js';

export interface RerunsOptions {
  /** `RERUN_IDEMPOTENCY_SECONDS`, in ms: how long a key answers what its first start started. */
  windowMs: number;
  clock: Clock;
  logger: Logger;
  /** Default none: claims are kept in this process only. */
  shared?: SharedClaims;
  /**
   * Default 60 s: how long a start in flight holds its claim in the shared store (longer than
   * any start call), and how long a mutation on another replica waits for its answer.
   */
  pendingMs?: number;
  /** Default 100 ms: how often a waiting mutation looks again. */
  pollMs?: number;
  /** Default 100000: idempotency keys kept in this process, the least recently used dropped first. */
  maxKeys?: number;
}

/** The answer to every mutation with a key whose start's answer was lost. */
function lost(): ApiError {
  return new ApiError(
    'An earlier rerun with this idempotency key was sent and its answer lost: the provider may have started an execution. Look for it (searchExecutions, newest first) before starting one with another key.',
    { code: 'RERUN_NOT_SUPPORTED' },
  );
}

/**
 * Idempotent starts (docs/rerun.md): the first mutation with a key makes the start call, and
 * every other one with the same key (one in flight waits) answers what it started, with no second
 * call, for the window. In this process a promise per key; with `shared`, a claim in Redis that
 * one replica wins (`SET NX`), the started id stored there for the window, and the others wait.
 * A start that failed where the provider did not act holds nothing: the next mutation tries
 * again. One that may have acted (`mayHaveActed`: a timeout, a lost connection, an answer that
 * could not be read) spends the key for the window: asking again would risk a second execution.
 * A store that does not answer fails nothing: the process's own claims still hold.
 */
export class Reruns {
  private readonly local: LRUCache<string, { until: number; started: Promise<string> }>;
  private readonly pendingMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: RerunsOptions) {
    this.local = new LRUCache({ max: options.maxKeys ?? 100_000 });
    this.pendingMs = options.pendingMs ?? 60_000;
    this.pollMs = options.pollMs ?? 100;
  }

  /** The native id `start` started for `key`: started now, or by an earlier mutation of the window. */
  once(
    key: string,
    start: () => Promise<string>,
    /** Default never: whether a start that failed so may have started one all the same. */
    mayHaveActed: (error: unknown) => boolean = () => false,
  ): Promise<string> {
    const now = this.options.clock.now();
    const known = this.local.get(key);
    if (known && known.until > now) return known.started;
    const started = this.options.shared ? this.sharedOnce(key, start, mayHaveActed) : start();
    const entry = { until: now + this.options.windowMs, started };
    this.local.set(key, entry);
    started.catch((error: unknown) => {
      if (this.local.get(key) !== entry) return;
      if (!mayHaveActed(error)) {
        this.local.delete(key);
        return;
      }
      // Spent: the next mutations with the key are told, and nothing is started again.
      const spent = Promise.reject(lost());
      spent.catch(() => {});
      this.local.set(key, { until: entry.until, started: spent });
    });
    return started;
  }

  close(): Promise<void> {
    return this.options.shared?.close() ?? Promise.resolve();
  }

  private async sharedOnce(
    key: string,
    start: () => Promise<string>,
    mayHaveActed: (error: unknown) => boolean,
  ): Promise<string> {
    const shared = this.options.shared!;
    const { clock } = this.options;
    const deadline = clock.now() + this.pendingMs;
    for (;;) {
      let claimed: boolean;
      try {
        claimed = await shared.claim(key, this.pendingMs);
      } catch (error) {
        this.unshared(error);
        return start();
      }
      if (claimed) return this.startClaimed(key, start, mayHaveActed);
      // Another replica holds it: its answer, once it has one.
      for (;;) {
        let state: ClaimState;
        try {
          state = await shared.read(key);
        } catch (error) {
          this.unshared(error);
          return start();
        }
        if (state.kind === 'started') return state.id;
        if (state.kind === 'lost') throw lost();
        // Given up (its start failed) or gone: claim it again.
        if (state.kind === 'none') break;
        if (clock.now() >= deadline) {
          throw new ApiError(
            'A rerun with this idempotency key is still being started elsewhere; ask again in a minute.',
            { code: 'UPSTREAM_TIMEOUT' },
          );
        }
        await new Promise<void>((resolve) => clock.setTimeout(resolve, this.pollMs));
      }
    }
  }

  private async startClaimed(
    key: string,
    start: () => Promise<string>,
    mayHaveActed: (error: unknown) => boolean,
  ): Promise<string> {
    const shared = this.options.shared!;
    let id: string;
    try {
      id = await start();
    } catch (error) {
      const given = mayHaveActed(error)
        ? shared.settle(key, undefined, this.options.windowMs)
        : shared.release(key);
      given.catch((failure: unknown) => this.unshared(failure));
      throw error;
    }
    shared
      .settle(key, id, this.options.windowMs)
      .catch((failure: unknown) => this.unshared(failure));
    return id;
  }

  private unshared(error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn(
      { reason },
      'rerun: Redis did not answer for an idempotency key; this process alone keeps it',
    );
  }
}
