import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClaimState, SharedClaims } from '../../src/cache/redis-claims.js';
import { systemClock } from '../../src/clock.js';
import { Reruns } from '../../src/executions/reruns.js';
import { createLogger } from '../../src/telemetry/logger.js';

const WINDOW_MS = 60_000;

/** Claims kept in a map, as Redis would keep them, with their expiry on the (fake) clock. */
class MemoryClaims implements SharedClaims {
  readonly values = new Map<string, { value: string; until: number }>();
  down = false;

  private live(key: string) {
    const entry = this.values.get(key);
    if (entry && entry.until <= Date.now()) this.values.delete(key);
    return this.values.get(key);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.down) throw new Error('down');
    if (this.live(key)) return false;
    this.values.set(key, { value: 'pending', until: Date.now() + ttlMs });
    return true;
  }

  async read(key: string): Promise<ClaimState> {
    if (this.down) throw new Error('down');
    const entry = this.live(key);
    if (!entry) return { kind: 'none' };
    if (entry.value === 'pending' || entry.value === 'lost') return { kind: entry.value };
    return { kind: 'started', id: entry.value };
  }

  async settle(key: string, id: string | undefined, ttlMs: number): Promise<void> {
    this.values.set(key, { value: id ?? 'lost', until: Date.now() + ttlMs });
  }

  async release(key: string): Promise<void> {
    this.values.delete(key);
  }

  async close(): Promise<void> {}
}

function reruns(shared?: SharedClaims) {
  return new Reruns({
    windowMs: WINDOW_MS,
    clock: systemClock,
    logger: createLogger('silent'),
    shared,
    pendingMs: 5_000,
    pollMs: 100,
  });
}

/** A start that answers `id` after `ms`, counting its calls. */
function starter(ids: string[], ms = 10) {
  let calls = 0;
  const start = () =>
    new Promise<string>((resolve) => {
      const id = ids[calls] ?? `id-${calls}`;
      calls += 1;
      setTimeout(() => resolve(id), ms);
    });
  return { start, calls: () => calls };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('in one process', () => {
  it('starts once per key in the window, concurrently and after; again once the window is over', async () => {
    const keys = reruns();
    const { start, calls } = starter(['a', 'b']);
    const first = Promise.all(Array.from({ length: 10 }, () => keys.once('k', start)));
    await vi.advanceTimersByTimeAsync(10);
    expect(new Set(await first)).toEqual(new Set(['a']));
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 11);
    const later = keys.once('k', start);
    await vi.advanceTimersByTimeAsync(10);
    expect(await later).toBe('a');
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(2);
    const after = keys.once('k', start);
    await vi.advanceTimersByTimeAsync(10);
    expect(await after).toBe('b');
    expect(calls()).toBe(2);
  });

  it('holds nothing after a start that failed: the next one starts', async () => {
    const keys = reruns();
    let calls = 0;
    const failing = () => {
      calls += 1;
      return Promise.reject(new Error('no'));
    };
    await expect(keys.once('k', failing)).rejects.toThrow('no');
    await expect(keys.once('k', failing)).rejects.toThrow('no');
    expect(calls).toBe(2);
  });

  it('spends the key when a start may have acted (its answer was lost): no second start in the window', async () => {
    const keys = reruns();
    let calls = 0;
    const timingOut = () => {
      calls += 1;
      return Promise.reject(new Error('timeout'));
    };
    await expect(keys.once('k', timingOut, () => true)).rejects.toThrow('timeout');
    await expect(keys.once('k', timingOut, () => true)).rejects.toMatchObject({
      extensions: { code: 'RERUN_NOT_SUPPORTED' },
    });
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await expect(keys.once('k', timingOut, () => true)).rejects.toThrow('timeout');
    expect(calls).toBe(2);
  });
});

describe('shared by replicas', () => {
  it('a start that may have acted spends the key for every replica', async () => {
    const shared = new MemoryClaims();
    let calls = 0;
    const timingOut = () => {
      calls += 1;
      return Promise.reject(new Error('timeout'));
    };
    await expect(reruns(shared).once('k', timingOut, () => true)).rejects.toThrow('timeout');
    await vi.advanceTimersByTimeAsync(1);
    await expect(reruns(shared).once('k', timingOut, () => true)).rejects.toMatchObject({
      extensions: { code: 'RERUN_NOT_SUPPORTED' },
    });
    expect(calls).toBe(1);
  });

  it('one replica starts; another waits for its answer, with no start of its own', async () => {
    const shared = new MemoryClaims();
    const one = reruns(shared);
    const two = reruns(shared);
    const a = starter(['a'], 1_000);
    const b = starter(['b'], 1_000);
    const first = one.once('k', a.start);
    await vi.advanceTimersByTimeAsync(1);
    const second = two.once('k', b.start);
    await vi.advanceTimersByTimeAsync(1_200);
    expect(await first).toBe('a');
    expect(await second).toBe('a');
    expect(a.calls() + b.calls()).toBe(1);
    // Later, from the store.
    const third = reruns(shared).once('k', b.start);
    await vi.advanceTimersByTimeAsync(1);
    expect(await third).toBe('a');
    expect(b.calls()).toBe(0);
  });

  it('a waiting replica claims again when the start it waited for failed', async () => {
    const shared = new MemoryClaims();
    const one = reruns(shared);
    const two = reruns(shared);
    const first = one.once(
      'k',
      () => new Promise((_, reject) => setTimeout(() => reject(new Error('no')), 500)),
    );
    first.catch(() => {});
    await vi.advanceTimersByTimeAsync(1);
    const b = starter(['b']);
    const second = two.once('k', b.start);
    await vi.advanceTimersByTimeAsync(700);
    await expect(first).rejects.toThrow('no');
    expect(await second).toBe('b');
    expect(b.calls()).toBe(1);
  });

  it('gives up waiting after the pending time with an error, and starts nothing', async () => {
    const shared = new MemoryClaims();
    await shared.claim('k', 60_000);
    const b = starter(['b']);
    const waiting = reruns(shared).once('k', b.start);
    const settled = expect(waiting).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_TIMEOUT' },
    });
    await vi.advanceTimersByTimeAsync(5_200);
    await settled;
    expect(b.calls()).toBe(0);
  });

  it('a store that does not answer fails nothing: the process keeps the key itself', async () => {
    const shared = new MemoryClaims();
    shared.down = true;
    const keys = reruns(shared);
    const a = starter(['a']);
    const both = Promise.all([keys.once('k', a.start), keys.once('k', a.start)]);
    await vi.advanceTimersByTimeAsync(20);
    expect(await both).toEqual(['a', 'a']);
    expect(a.calls()).toBe(1);
  });
});
