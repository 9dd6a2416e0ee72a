import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/clock.js';
import type { RequestScope } from '../../../src/datasources/datasource.js';
import { isApiError } from '../../../src/errors.js';
import { parseGlobalId } from '../../../src/executions/ids.js';
import { loadedExecution, type LoadedExecution } from '../../../src/executions/model.js';
import type { Leases, SharedAnswer } from '../../../src/executions/watch/shared-polls.js';
import {
  Watcher,
  type WatchedProvider,
  type WatchedProviders,
  type WatchEvent,
  type WatchOptions,
} from '../../../src/executions/watch/watcher.js';
import { providers } from '../../../src/providers.js';
import { createLogger } from '../../../src/telemetry/logger.js';
import { Abort } from '../../../src/upstream/abort.js';
import { cancelledError, errorFromResponse } from '../../../src/upstream/errors.js';
import { CallPolicy } from '../../../src/upstream/policy.js';

// The real Watcher and its pollers on fake timers (`systemClock` under `vi.useFakeTimers()`),
// over an in-process provider whose every call is counted with its instant: exact counts and
// exact poll times. The end-to-end tests over WebSocket, the simulators and a real Redis are
// subscriptions.test.ts and shared-pollers.test.ts.

const START = 1_700_000_000_000;
const elapsed = () => Date.now() - START;

beforeEach(() => void vi.useFakeTimers({ now: START }));

const durable = providers.find(({ datasource }) => datasource.key === 'durable')!;
const KEYS = providers.map(({ datasource }) => datasource.key);
/** `<P>_TIMEOUT_MS`: how long one call may take, which a lease covers. */
const CALL_MS = 2_000;
const logger = createLogger('silent');

/** One execution of the durable engine as its API answers it. */
function record(nativeId: string, status: string, step = 0) {
  return {
    id: nativeId,
    created_at: '2025-01-01T00:00:00Z',
    retry_count: step,
    status,
    workflow_id: 'wf_1',
  };
}

const status = (code: number, retryAfterSeconds?: number) =>
  errorFromResponse(
    'DURABLE_WORKFLOW',
    code,
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    '',
    'such execution',
  );

interface Call {
  at: number;
  replica: string;
  nativeId: string;
}

/**
 * The provider, in process: what it answers for each execution now (a record, or an error to
 * throw), how long it takes, and every call it got, with when and from which replica.
 */
class FakeProvider {
  readonly answers = new Map<string, unknown>();
  readonly calls: Call[] = [];
  readonly scopes: RequestScope[] = [];
  /** First loads of subscribers (the request's loaders), counted apart from the pollers' calls. */
  loads = 0;
  latencyMs = 0;
  /** Replicas whose calls never answer (until abandoned). */
  readonly hanging = new Set<string>();

  set(nativeId: string, status: string, step = 0): void {
    this.answers.set(nativeId, record(nativeId, status, step));
  }

  fail(nativeId: string, error: Error): void {
    this.answers.set(nativeId, error);
  }

  /** The instants of the calls, of one replica or of all. */
  at(replica?: string): number[] {
    return this.calls.filter((call) => !replica || call.replica === replica).map(({ at }) => at);
  }

  async fetch(replica: string, nativeId: string, scope: RequestScope): Promise<unknown> {
    this.calls.push({ at: elapsed(), replica, nativeId });
    this.scopes.push(scope);
    const answer = this.answers.get(nativeId);
    if (this.hanging.has(replica)) {
      await new Promise((_, reject) =>
        scope.abort.listen(() => reject(cancelledError('DURABLE_WORKFLOW'))),
      );
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    return this.answer(answer);
  }

  answer(answer: unknown): unknown {
    if (answer instanceof Error) throw answer;
    if (answer === undefined) throw status(404);
    return structuredClone(answer);
  }

  /** One replica's configured provider, as the watcher sees it. */
  connected(replica: string): WatchedProvider {
    return {
      provider: durable,
      fetch: (nativeId, scope) => this.fetch(replica, nativeId, scope),
      keyOf: (nativeId) => `executions:v1:durable:test:${encodeURIComponent(nativeId)}`,
    };
  }
}

function providersOf(connected: WatchedProvider): WatchedProviders {
  return {
    keys: KEYS,
    get: (key) => (key === 'durable' ? connected : undefined),
    config: { providers: new Map([['durable', { timeoutMs: CALL_MS }]]) },
  };
}

const OPTIONS: WatchOptions = {
  intervalMs: 1_000,
  maxIntervalMs: 1_000,
  maxWatched: 100,
  streamIdleMs: 5_000,
};

const watchers: Watcher[] = [];
afterEach(() => {
  for (const watcher of watchers.splice(0)) watcher.close();
  vi.useRealTimers();
});

/** One replica's watcher over `provider`, calling it through `fetch` when given (a call policy). */
function replica(
  provider: FakeProvider,
  options: Partial<WatchOptions> = {},
  extra: {
    name?: string;
    leases?: Leases;
    cache?: { set(key: string, raw: unknown): void };
    fetch?: WatchedProvider['fetch'];
  } = {},
) {
  const name = extra.name ?? 'a';
  const connected = provider.connected(name);
  if (extra.fetch) connected.fetch = extra.fetch;
  const watcher = new Watcher(
    { ...OPTIONS, ...options },
    providersOf(connected),
    extra.cache,
    logger,
    systemClock,
    extra.leases,
  );
  watchers.push(watcher);
  /** A subscriber of execution `nativeId` on this replica: its events as they come. */
  const subscribe = (nativeId: string) => {
    const loaders = {
      scope: { header: () => undefined, abort: new Abort(), requestId: 'test' },
      load: async (id: string): Promise<LoadedExecution> => {
        provider.loads++;
        const parsed = parseGlobalId(id, KEYS);
        const raw = provider.answer(provider.answers.get(parsed.nativeId));
        return loadedExecution(durable, parsed.nativeId, raw);
      },
    };
    const channel = watcher.watch(loaders, `durable:${nativeId}`);
    const subscriber = {
      events: [] as WatchEvent[],
      ended: false,
      leave: () => void channel.return(),
      /** Each event: the status and step, or the error's code. */
      seen: () => subscriber.events.map(show),
    };
    void (async () => {
      for await (const event of channel) subscriber.events.push(event);
      subscriber.ended = true;
    })();
    return subscriber;
  };
  return { watcher, subscribe };
}

function show(event: WatchEvent): string {
  if (event instanceof Error) return isApiError(event) ? event.extensions.code : event.message;
  const raw = event.raw as ReturnType<typeof record>;
  return `${raw.status}#${raw.retry_count}`;
}

/** Moves fake time on to `ms` after the test began, running every timer due by then. */
async function until(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms - elapsed());
}

/** Each subscriber's events, as `show` writes them. */
const views = (subscribers: Array<{ seen(): string[] }>) => subscribers.map((s) => s.seen());

describe('a poller: one per execution, shared by its subscribers', () => {
  it('polls exactly once per interval for 10 subscribers (10 intervals: 10 polls), after one shared first load', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const a = replica(provider);
    const subscribers = Array.from({ length: 10 }, () => a.subscribe('run-1'));
    await until(0);
    expect(provider.loads).toBe(1);
    expect(views(subscribers)).toEqual(Array(10).fill(['running#0']));
    await until(10_000);
    expect(provider.at()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => n * 1_000));
    // Nothing changed: no event.
    expect(views(subscribers)).toEqual(Array(10).fill(['running#0']));

    // One who joins gets the latest answer at once, with no call.
    const late = a.subscribe('run-1');
    await until(10_500);
    expect(late.seen()).toEqual(['running#0']);
    expect(provider.loads).toBe(1);
    expect(provider.calls).toHaveLength(10);
  });

  it('sends an event only when the answer changes (6 polls, 2 changes: 3 events each)', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const a = replica(provider);
    const subscribers = [a.subscribe('run-1'), a.subscribe('run-1'), a.subscribe('run-1')];
    await until(1_000);
    provider.set('run-1', 'running', 1);
    await until(3_000);
    provider.set('run-1', 'waiting', 1);
    await until(6_000);
    expect(provider.calls).toHaveLength(6);
    expect(views(subscribers)).toEqual(Array(3).fill(['running#0', 'running#1', 'waiting#1']));
    expect(subscribers.map((s) => s.ended)).toEqual([false, false, false]);
  });

  it('backs off while nothing changes: polls at 1, 3, 7, 15, 23 and 31 s (interval 1 s, max 8 s)', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const a = replica(provider, { maxIntervalMs: 8_000 });
    const subscriber = a.subscribe('run-1');
    await until(30_999);
    expect(provider.at()).toEqual([1_000, 3_000, 7_000, 15_000, 23_000]);
    await until(31_000);
    expect(provider.at()).toEqual([1_000, 3_000, 7_000, 15_000, 23_000, 31_000]);
    expect(subscriber.seen()).toEqual(['running#0']);
  });

  it('goes back to the interval after a change, then backs off again: 15, 16, 18, 22, 30, 38 s', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const a = replica(provider, { maxIntervalMs: 8_000 });
    const subscriber = a.subscribe('run-1');
    await until(14_000);
    provider.set('run-1', 'waiting');
    await until(38_000);
    expect(provider.at()).toEqual([
      1_000, 3_000, 7_000, 15_000, 16_000, 18_000, 22_000, 30_000, 38_000,
    ]);
    expect(subscriber.seen()).toEqual(['running#0', 'waiting#0']);
  });

  it.each([
    [300, [1_000, 2_000, 3_000, 4_000]],
    // 800 ms answers: the next poll 1000 ms after the start would come 200 ms after the answer;
    // it waits half the interval (500 ms) after it instead.
    [800, [1_000, 2_300, 3_600, 4_900]],
  ])(
    'with %i ms answers, starts polls an interval apart but never sooner than half of it after an answer',
    async (latencyMs, at) => {
      const provider = new FakeProvider();
      provider.set('run-1', 'running');
      provider.latencyMs = latencyMs;
      const a = replica(provider);
      a.subscribe('run-1');
      await until(at.at(-1)!);
      expect(provider.at()).toEqual(at);
    },
  );

  it.each([
    [429, 5, 6_000],
    [503, 12, 13_000],
  ])(
    'after a %i with Retry-After %i s, polls again exactly that long after, with no event',
    async (code, seconds, next) => {
      const provider = new FakeProvider();
      provider.set('run-1', 'running');
      const a = replica(provider, { maxIntervalMs: 8_000 });
      const subscriber = a.subscribe('run-1');
      await until(0);
      provider.fail('run-1', status(code, seconds));
      await until(1_000);
      provider.set('run-1', 'running');
      await until(next - 1);
      expect(provider.at()).toEqual([1_000]);
      await until(next);
      expect(provider.at()).toEqual([1_000, next]);
      // Backed off from the Retry-After wait, to the most (8 s).
      await until(next + 8_000);
      expect(provider.at()).toEqual([1_000, next, next + 8_000]);
      expect(subscriber.seen()).toEqual(['running#0']);
      expect(subscriber.ended).toBe(false);
    },
  );

  it('waits out an open circuit: no call until it may be probed, then one probe (4 polls, 3 calls in 12 s)', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const policy = new CallPolicy({
      provider: 'DURABLE_WORKFLOW',
      timeoutMs: CALL_MS,
      retries: 0,
      breakerThreshold: 2,
      breakerCooldownMs: 10_000,
      clock: systemClock,
    });
    const polls: number[] = [];
    const a = replica(
      provider,
      {},
      {
        fetch: (nativeId, scope) => {
          polls.push(elapsed());
          return policy.run(
            (abort) => provider.fetch('a', nativeId, { ...scope, abort }),
            scope.abort,
          );
        },
      },
    );
    const subscriber = a.subscribe('run-1');
    await until(0);
    provider.fail('run-1', status(503));
    // 503 at 1 s and 2 s: the circuit opens at 2 s for 10 s. The poll at 3 s fails fast with
    // retryAfterSeconds 9, and the next one waits for the probe, at 12 s.
    await until(3_000);
    expect(policy.state).toBe('open');
    provider.set('run-1', 'running');
    await until(11_999);
    expect(polls).toEqual([1_000, 2_000, 3_000]);
    expect(provider.at()).toEqual([1_000, 2_000]);
    await until(12_000);
    expect(polls).toEqual([1_000, 2_000, 3_000, 12_000]);
    expect(provider.at()).toEqual([1_000, 2_000, 12_000]);
    expect(policy.state).toBe('closed');
    await until(13_000);
    expect(provider.at()).toEqual([1_000, 2_000, 12_000, 13_000]);
    expect(subscriber.seen()).toEqual(['running#0']);
  });

  it.each([
    [404, 'NOT_FOUND'],
    [401, 'UPSTREAM_UNAUTHORIZED'],
  ])(
    'ends every watch with a final error (%i: %s) and stops polling: 3 polls, none after',
    async (code, error) => {
      const provider = new FakeProvider();
      provider.set('run-1', 'running');
      const a = replica(provider);
      const subscribers = [a.subscribe('run-1'), a.subscribe('run-1'), a.subscribe('run-1')];
      await until(2_000);
      provider.fail('run-1', status(code));
      await until(3_000);
      expect(views(subscribers)).toEqual(Array(3).fill(['running#0', error]));
      expect(subscribers.map((s) => s.ended)).toEqual([true, true, true]);
      await until(13_000);
      expect(provider.at()).toEqual([1_000, 2_000, 3_000]);
    },
  );

  it('keeps polling while one subscriber is left, and stops when the last one leaves: 5 polls, 0 after', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const a = replica(provider);
    const [first, second, last] = [
      a.subscribe('run-1'),
      a.subscribe('run-1'),
      a.subscribe('run-1'),
    ];
    await until(2_000);
    first!.leave();
    second!.leave();
    await until(5_000);
    expect(provider.calls).toHaveLength(5);
    last!.leave();
    await until(15_000);
    expect(provider.calls).toHaveLength(5);
    expect(last!.ended).toBe(true);
  });

  it('abandons the call in flight when the last subscriber leaves', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    provider.hanging.add('a');
    const a = replica(provider);
    const subscriber = a.subscribe('run-1');
    await until(1_500);
    expect(provider.at()).toEqual([1_000]);
    expect(provider.scopes[0]!.abort.reason).toBeUndefined();
    subscriber.leave();
    expect(provider.scopes[0]!.abort.reason).toBe('cancelled');
    await until(20_000);
    expect(provider.calls).toHaveLength(1);
  });

  it('ends every watch with a terminal answer and puts it in the cache, once: 2 polls, none after', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const cached: Array<[string, unknown]> = [];
    const a = replica(provider, {}, { cache: { set: (key, raw) => void cached.push([key, raw]) } });
    const subscribers = [a.subscribe('run-1'), a.subscribe('run-1')];
    await until(1_000);
    provider.set('run-1', 'completed');
    await until(2_000);
    expect(views(subscribers)).toEqual(Array(2).fill(['running#0', 'completed#0']));
    expect(subscribers.map((s) => s.ended)).toEqual([true, true]);
    expect(cached).toEqual([['executions:v1:durable:test:run-1', record('run-1', 'completed')]]);
    await until(12_000);
    expect(provider.at()).toEqual([1_000, 2_000]);
  });

  it('sends a finished execution once and ends, with no poller: 0 polls', async () => {
    const provider = new FakeProvider();
    provider.set('done-1', 'completed');
    const a = replica(provider, { maxWatched: 1 });
    const subscriber = a.subscribe('done-1');
    await until(10_000);
    expect(subscriber.seen()).toEqual(['completed#0']);
    expect(subscriber.ended).toBe(true);
    expect(provider.loads).toBe(1);
    expect(provider.calls).toHaveLength(0);
  });

  it('refuses a watch that needs a poller past maxWatched (2), with BAD_USER_INPUT and the limit', async () => {
    const provider = new FakeProvider();
    for (const id of ['run-1', 'run-2', 'run-3']) provider.set(id, 'running');
    provider.set('done-1', 'completed');
    const a = replica(provider, { maxWatched: 2 });
    const [one, two] = [a.subscribe('run-1'), a.subscribe('run-2')];
    await until(0);
    const refused = a.subscribe('run-3');
    // Joining a running poller, or watching a finished execution, needs none.
    const joined = a.subscribe('run-1');
    const finished = a.subscribe('done-1');
    await until(10_000);
    expect(refused.seen()).toEqual(['running#0', 'BAD_USER_INPUT']);
    expect(refused.events[1]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 2 } });
    expect(refused.ended).toBe(true);
    expect([one, two, joined].map((s) => [s.seen(), s.ended])).toEqual(
      Array(3).fill([['running#0'], false]),
    );
    expect([finished.seen(), finished.ended]).toEqual([['completed#0'], true]);
    // 10 intervals, 2 pollers: 20 polls, none for run-3.
    expect(provider.calls.filter((call) => call.nativeId === 'run-3')).toHaveLength(0);
    expect(provider.calls).toHaveLength(20);

    // Once run-2's poller stops, run-3 gets one.
    two!.leave();
    const again = a.subscribe('run-3');
    await until(11_000);
    expect(again.seen()).toEqual(['running#0']);
    expect(again.ended).toBe(false);
    expect(provider.calls.filter((call) => call.nativeId === 'run-3').map(({ at }) => at)).toEqual([
      11_000,
    ]);
  });
});

/**
 * Redis, in memory: leases that run out on the fake clock, and channels that carry what one
 * replica publishes to the others' handlers.
 */
class LeaseStore {
  readonly leases = new Map<string, { holder: string; until: number }>();
  readonly handlers = new Map<string, Map<string, (answer: SharedAnswer) => void>>();
  subscriptions = 0;

  /** Who holds `name`'s lease now, if anyone. */
  holder(name: string): string | undefined {
    const lease = this.leases.get(name);
    return lease && lease.until > Date.now() ? lease.holder : undefined;
  }

  /** Delivers `answer` on `name`'s channel to every replica but `from`, as Redis would: later. */
  deliver(name: string, from: string, answer: SharedAnswer): void {
    for (const [token, handler] of this.handlers.get(name) ?? []) {
      if (token !== from) void Promise.resolve().then(() => handler(answer));
    }
  }
}

/** One replica's connection to the store: what `SharedPolls` does over Redis. */
class FakeLeases implements Leases {
  /** The replica died: it renews and releases nothing, and hears nothing. */
  dead = false;
  /** The store cannot be reached: every lease check says so (undefined). */
  down = false;
  readonly garbled: string[] = [];
  private readonly subscribed = new Map<string, number>();

  constructor(
    private readonly store: LeaseStore,
    readonly token: string,
  ) {}

  nameOf(scopedKey: string): string {
    return `watch:${scopedKey}`;
  }

  claim(name: string, ttlMs: number): Promise<boolean | undefined> {
    if (this.dead) return new Promise(() => undefined);
    if (this.down) return Promise.resolve(undefined);
    const holder = this.store.holder(name);
    if (holder !== undefined && holder !== this.token) return Promise.resolve(false);
    this.store.leases.set(name, { holder: this.token, until: Date.now() + ttlMs });
    return Promise.resolve(true);
  }

  release(name: string): void {
    if (this.dead || this.down) return;
    if (this.store.holder(name) === this.token) this.store.leases.delete(name);
  }

  publish(name: string, answer: SharedAnswer): void {
    if (this.dead || this.down) return;
    this.store.deliver(name, this.token, answer);
  }

  listen(name: string, handler: (answer: SharedAnswer) => void): void {
    let handlers = this.store.handlers.get(name);
    if (!handlers) this.store.handlers.set(name, (handlers = new Map()));
    handlers.set(this.token, (answer) => {
      if (!this.dead && !this.down) handler(answer);
    });
    this.subscribed.set(name, ++this.store.subscriptions);
  }

  unlisten(name: string): void {
    this.store.handlers.get(name)?.delete(this.token);
    this.subscribed.delete(name);
  }

  listening(name: string): number | undefined {
    return this.down ? undefined : this.subscribed.get(name);
  }

  garbage(name: string): void {
    this.garbled.push(name);
  }

  close(): void {}
}

describe('replicas sharing pollers through leases', () => {
  /**
   * Replicas `a` and `b` over one provider and one store; a's subscribers come at 0 ms, so a
   * takes the lease at its first poll (1000 ms), b's at 500 ms.
   */
  async function pair(subscribers = 2) {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const store = new LeaseStore();
    const leases = { a: new FakeLeases(store, 'a'), b: new FakeLeases(store, 'b') };
    const a = replica(provider, {}, { name: 'a', leases: leases.a });
    const b = replica(provider, {}, { name: 'b', leases: leases.b });
    const onA = Array.from({ length: subscribers }, () => a.subscribe('run-1'));
    await until(500);
    const onB = Array.from({ length: subscribers }, () => b.subscribe('run-1'));
    await until(1_999);
    return { provider, store, leases, a, b, onA, onB };
  }
  const NAME = 'watch:executions:v1:durable:test:run-1';

  it('poll once per interval in total (10 intervals: 10 polls, all by the holder), and the follower sends the holder’s answers', async () => {
    const { provider, store, onA, onB } = await pair();
    // a polls; b polls once of its own when it starts listening (an answer published before
    // that never reached it), then only listens.
    expect(provider.at('a')).toEqual([1_000]);
    expect(provider.at('b')).toEqual([1_500]);
    expect(store.holder(NAME)).toBe('a');
    await until(11_999);
    expect(provider.at('a')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((n) => n * 1_000));
    expect(provider.at('b')).toEqual([1_500]);

    provider.set('run-1', 'running', 1);
    await until(12_000);
    // One call, and every subscriber of both replicas has the change.
    expect(provider.calls).toHaveLength(13);
    expect(views([...onA, ...onB])).toEqual(Array(4).fill(['running#0', 'running#1']));

    provider.set('run-1', 'completed', 1);
    await until(13_000);
    expect(views([...onA, ...onB])).toEqual(
      Array(4).fill(['running#0', 'running#1', 'completed#1']),
    );
    expect([...onA, ...onB].every((s) => s.ended)).toBe(true);
    // The terminal answer released the lease.
    expect(store.holder(NAME)).toBeUndefined();
    await until(23_000);
    expect(provider.calls).toHaveLength(14);
  });

  it("hands the lease over when the holder's last subscriber leaves: the other polls at its next look, within one interval", async () => {
    const { provider, store, onA, onB } = await pair();
    await until(5_200);
    for (const subscriber of onA) subscriber.leave();
    // Released at once, not left to run out.
    expect(store.holder(NAME)).toBeUndefined();
    await until(5_499);
    expect(provider.at()).toEqual([1_000, 1_500, 2_000, 3_000, 4_000, 5_000]);
    await until(14_500);
    expect(provider.at('b')).toEqual([
      1_500, 5_500, 6_500, 7_500, 8_500, 9_500, 10_500, 11_500, 12_500, 13_500, 14_500,
    ]);
    expect(provider.at('a')).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(store.holder(NAME)).toBe('b');
    expect(onB.every((s) => !s.ended)).toBe(true);
  });

  it('replaces a holder that dies between polls once its lease runs out: a polls last at 5 s, b first at 7.5 s', async () => {
    const { provider, store, leases, onB } = await pair();
    await until(5_200);
    // a's last renewal, after its poll at 5 s: that wait (1 s) and one interval more.
    expect(store.leases.get(NAME)).toEqual({ holder: 'a', until: START + 7_000 });
    leases.a.dead = true;
    provider.set('run-1', 'waiting');
    // b looks at 5.5 s and 6.5 s (a's still), and takes it over at 7.5 s.
    await until(7_499);
    expect(provider.at().filter((at) => at > 5_000)).toEqual([]);
    expect(onB.map((s) => s.seen())).toEqual(Array(2).fill(['running#0']));
    await until(7_500);
    expect(provider.at('b')).toEqual([1_500, 7_500]);
    expect(store.holder(NAME)).toBe('b');
    expect(onB.map((s) => s.seen())).toEqual(Array(2).fill(['running#0', 'waiting#0']));
    await until(17_500);
    expect(provider.at('b')).toEqual([
      1_500, 7_500, 8_500, 9_500, 10_500, 11_500, 12_500, 13_500, 14_500, 15_500, 16_500, 17_500,
    ]);
    expect(provider.at('a')).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it('replaces a holder that dies during a call once the lease, which covers the call, runs out: b first at 8.5 s', async () => {
    const { provider, store, leases } = await pair();
    await until(4_999);
    provider.hanging.add('a');
    await until(5_200);
    // Taken at 5 s for the call's deadline (2 s) and one interval.
    expect(store.leases.get(NAME)).toEqual({ holder: 'a', until: START + 8_000 });
    leases.a.dead = true;
    await until(8_499);
    expect(provider.at().filter((at) => at > 5_000)).toEqual([]);
    await until(8_500);
    expect(provider.at('b')).toEqual([1_500, 8_500]);
    await until(12_500);
    expect(provider.at('b')).toEqual([1_500, 8_500, 9_500, 10_500, 11_500, 12_500]);
    expect(provider.at('a')).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });

  it("ends the follower's watches too on the holder's final error, from one call of its own", async () => {
    const { provider, onA, onB } = await pair();
    await until(2_000);
    provider.fail('run-1', status(404));
    await until(3_000);
    expect(views([...onA, ...onB])).toEqual(Array(4).fill(['running#0', 'NOT_FOUND']));
    expect([...onA, ...onB].every((s) => s.ended)).toBe(true);
    await until(13_000);
    expect(provider.at('a')).toEqual([1_000, 2_000, 3_000]);
    expect(provider.at('b')).toEqual([1_500, 3_000]);
  });

  it('ignores a published answer that is not an execution of the provider (garbage), with no event', async () => {
    const { store, leases, onB } = await pair();
    store.deliver(NAME, 'elsewhere', { raw: { id: 'run-1', status: 42 } });
    await until(2_000);
    expect(leases.b.garbled).toEqual([NAME]);
    expect(onB.map((s) => s.seen())).toEqual(Array(2).fill(['running#0']));
  });

  it('polls in each replica while the store is down (10 intervals: 20 polls), and once in total again when it is back', async () => {
    const provider = new FakeProvider();
    provider.set('run-1', 'running');
    const store = new LeaseStore();
    const leases = { a: new FakeLeases(store, 'a'), b: new FakeLeases(store, 'b') };
    leases.a.down = leases.b.down = true;
    const a = replica(provider, {}, { name: 'a', leases: leases.a });
    const b = replica(provider, {}, { name: 'b', leases: leases.b });
    a.subscribe('run-1');
    await until(500);
    b.subscribe('run-1');
    await until(10_999);
    expect(provider.at('a')).toHaveLength(10);
    expect(provider.at('b')).toHaveLength(10);
    leases.a.down = leases.b.down = false;
    // a takes the lease at 11 s; b polls once of its own at 11.5 s as it listens again.
    await until(11_999);
    expect(provider.at('a')).toHaveLength(11);
    expect(provider.at('b')).toHaveLength(11);
    await until(21_999);
    expect(provider.at('a')).toHaveLength(21);
    expect(provider.at('b')).toHaveLength(11);
    expect(store.holder(NAME)).toBe('a');
  });
});
