/**
 * A queue read as an async iterable: `push` values, then `end`. What is pushed before anyone
 * reads waits in order. A reader that leaves (`return`) ends it at once, even while it waits for
 * a value (an async generator would only notice at its next `yield`), and `onReturn` runs.
 */
export class Channel<T> implements AsyncIterableIterator<T> {
  /** Called once when the reader leaves before the end. */
  onReturn: (() => void) | undefined;
  private readonly queued: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

  /** True once ended: by its writer, or by a reader that left. */
  get isEnded(): boolean {
    return this.ended;
  }

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const wake = this.waiting;
      this.waiting = undefined;
      wake({ value, done: false });
    } else {
      this.queued.push(value);
    }
  }

  end(): void {
    this.ended = true;
    const wake = this.waiting;
    this.waiting = undefined;
    wake?.({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queued.length > 0)
      return Promise.resolve({ value: this.queued.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      this.queued.length = 0;
      this.end();
      this.onReturn?.();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The values of every source as they come; ends when all have ended, and ends them on return. */
export function merge<T>(sources: ReadonlyArray<AsyncIterableIterator<T>>): Channel<T> {
  const channel = new Channel<T>();
  let open = sources.length;
  if (open === 0) channel.end();
  channel.onReturn = () => {
    for (const source of sources) void source.return?.();
  };
  for (const source of sources) {
    void (async () => {
      for (let next = await source.next(); !next.done; next = await source.next()) {
        channel.push(next.value);
      }
      if (--open === 0) channel.end();
    })();
  }
  return channel;
}
