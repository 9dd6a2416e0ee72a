import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Lines wait for this much text, or for `FLUSH_MS`, before they are written. */
const BATCH_BYTES = 4096;
const FLUSH_MS = 100;

/** JSON lines; `level` default `info`, `destination` default stdout (see `stdoutLines`). */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['headers.authorization', 'headers["x-api-key"]', 'headers["router-authorization"]'],
      censor: '[redacted]',
    },
  };
  return pino(options, destination ?? stdoutLines());
}

/**
 * Stdout, written in batches: synchronously once 4 KiB of lines are waiting, and at least every
 * 100 ms. pino's default writes every line through libuv's thread pool, which cost about 5% of
 * the subgraph's throughput (bench/RESULTS.md). What is still waiting is written on exit.
 */
function stdoutLines(): DestinationStream {
  const stream = pino.destination({
    dest: 1,
    sync: true,
    minLength: BATCH_BYTES,
    periodicFlush: FLUSH_MS,
  });
  process.once('exit', () => {
    try {
      stream.flushSync();
    } catch {
      // stdout closed: nothing left to write to.
    }
  });
  return stream;
}
