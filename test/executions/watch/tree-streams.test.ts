import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/clock.js';
import type { EventStream, StreamNotice } from '../../../src/datasources/datasource.js';
import type { ConnectedEvents } from '../../../src/executions/connected.js';
import {
  TreeStreams,
  type TreeMember,
  type TreeStreamOptions,
} from '../../../src/executions/watch/tree-streams.js';
import { createLogger } from '../../../src/telemetry/logger.js';

// TreeStreams on fake timers (`systemClock` under `vi.useFakeTimers()`) over a scripted
// provider stream: exact opening times, backoff and hang detection. The end-to-end tests against
// the durable simulator (and two replicas on a real Redis) are streams.test.ts.

const START = 1_700_000_000_000;
const elapsed = () => Date.now() - START;
const OPTIONS: TreeStreamOptions = { intervalMs: 1_000, maxIntervalMs: 1_000, idleMs: 5_000 };

beforeEach(() => void vi.useFakeTimers({ now: START }));
afterEach(() => {
  for (const streams of opened.splice(0)) streams.close();
  vi.useRealTimers();
});
const opened: TreeStreams[] = [];

/** A stream the test feeds: `send` a batch, `end` it, or `fail` it. */
class Scripted implements EventStream {
  closed = false;
  private queue: Array<readonly StreamNotice[] | Error | null> = [];
  private wake: (() => void) | undefined;
  readonly batches: AsyncIterable<readonly StreamNotice[]>;

  constructor() {
    const self = this;
    this.batches = (async function* () {
      while (!self.closed) {
        const next = self.queue.shift();
        if (next === undefined) {
          await new Promise<void>((resolve) => (self.wake = resolve));
          continue;
        }
        if (next === null) return;
        if (next instanceof Error) throw next;
        yield next;
      }
    })();
  }

  send(...batch: StreamNotice[]): void {
    this.push(batch);
  }
  end(): void {
    this.push(null);
  }
  fail(): void {
    this.push(new Error('socket hang up'));
  }
  close(): void {
    this.closed = true;
    this.wake?.();
  }
  private push(item: readonly StreamNotice[] | Error | null): void {
    this.queue.push(item);
    this.wake?.();
  }
}

/** A provider whose every open is recorded (when, from where) and answered by a script. */
function provider(refuse = 0) {
  const opens: Array<{ at: number; position: string | undefined; stream: Scripted }> = [];
  let refused = 0;
  const events: ConnectedEvents = {
    rootOf: (nativeId) => nativeId,
    open: async (_tree, position) => {
      if (refused < refuse) {
        refused += 1;
        opens.push({ at: elapsed(), position, stream: new Scripted() });
        throw new Error('503');
      }
      const stream = new Scripted();
      opens.push({ at: elapsed(), position, stream });
      return stream;
    },
  };
  return { events, opens };
}

function member() {
  const seen = { told: 0, uncovered: 0 };
  const m: TreeMember = {
    told: () => void (seen.told += 1),
    uncovered: () => void (seen.uncovered += 1),
  };
  return { m, seen };
}

function follow(events: ConnectedEvents, ...members: TreeMember[]) {
  const streams = new TreeStreams(OPTIONS, systemClock, createLogger('silent'), undefined);
  opened.push(streams);
  const tree = {
    key: 'tree-1',
    provider: 'DURABLE_WORKFLOW',
    events,
    root: 'root',
    header: () => undefined,
    loadRoot: () => Promise.resolve({}),
  };
  return { streams, handles: members.map((m) => streams.join(tree, m)) };
}

const change = (position: string): StreamNotice => ({ kind: 'change', position });

describe('a tree stream', () => {
  it('is one per tree: a burst in one batch tells every member once; keepalives tell none', async () => {
    const { events, opens } = provider();
    const a = member();
    const b = member();
    const { streams, handles } = follow(events, a.m, b.m);
    await vi.advanceTimersByTimeAsync(0);
    expect(opens).toHaveLength(1);
    expect(streams.size).toBe(1);
    const stream = opens[0]!.stream;
    stream.send({ kind: 'alive' });
    await vi.advanceTimersByTimeAsync(0);
    expect(handles[0]!.isUp()).toBe(true);
    stream.send(change('7'), change('8'), change('9'));
    await vi.advanceTimersByTimeAsync(0);
    expect([a.seen.told, b.seen.told]).toEqual([1, 1]);
    for (let i = 0; i < 10; i += 1) stream.send({ kind: 'alive' });
    await vi.advanceTimersByTimeAsync(4_000);
    expect([a.seen.told, b.seen.told]).toEqual([1, 1]);
    expect(opens).toHaveLength(1);
    handles[0]!.leave();
    expect(stream.closed).toBe(false);
    handles[1]!.leave();
    expect(stream.closed).toBe(true);
    expect(streams.size).toBe(0);
  });

  it('opened again after an end, from the last position, with backoff 100, 200, 400 ms … capped at maxIntervalMs, reset by a frame', async () => {
    const { events, opens } = provider();
    const a = member();
    follow(events, a.m);
    await vi.advanceTimersByTimeAsync(0);
    opens[0]!.stream.send(change('3'));
    await vi.advanceTimersByTimeAsync(0);
    opens[0]!.stream.end();
    await vi.advanceTimersByTimeAsync(0);
    // Down: the member polls at the interval again.
    expect(a.seen.uncovered).toBe(1);
    for (let i = 1; i <= 6; i += 1) {
      await vi.advanceTimersByTimeAsync(2_000);
      opens[i]!.stream.end();
    }
    await vi.advanceTimersByTimeAsync(2_000);
    // Ended at 0 (after a frame), then each at 2000, 4000, …; the waits before opening again:
    // 100 (a frame had reset it), then 200, 400, 800, and 1000 (maxIntervalMs) on.
    expect(opens.map(({ at }) => at)).toEqual([0, 100, 2_200, 4_400, 6_800, 9_000, 11_000, 13_000]);
    expect(opens.slice(1).every(({ position }) => position === '3')).toBe(true);
  });

  it('a stream silent for idleMs hangs: closed and opened again; one that cannot be opened is tried again with backoff', async () => {
    const { events, opens } = provider(2);
    const a = member();
    follow(events, a.m);
    await vi.advanceTimersByTimeAsync(0);
    // Refused twice: opened at 0, 100, 300.
    await vi.advanceTimersByTimeAsync(300);
    expect(opens.map(({ at }) => at)).toEqual([0, 100, 300]);
    const stream = opens[2]!.stream;
    stream.send({ kind: 'alive' });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(stream.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(stream.closed).toBe(true);
    expect(a.seen.uncovered).toBe(1);
    // A frame had reset the backoff: 100 ms.
    await vi.advanceTimersByTimeAsync(100);
    expect(opens.map(({ at }) => at)).toEqual([0, 100, 300, 5_400]);
  });

  it('an error frame tells the members of the change before it, then ends the stream', async () => {
    const { events, opens } = provider();
    const a = member();
    follow(events, a.m);
    await vi.advanceTimersByTimeAsync(0);
    opens[0]!.stream.send(change('5'), {
      kind: 'failed',
      reason: 'the engine sent an error frame',
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(a.seen).toEqual({ told: 1, uncovered: 1 });
    expect(opens[0]!.stream.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(opens.map(({ at, position }) => [at, position])).toEqual([
      [0, undefined],
      [100, '5'],
    ]);
  });
});
