import { closeSync, constants, fstatSync, openSync, writeSync } from 'node:fs';

/** Lines wait for this much text, or for `FLUSH_MS`, before they are written. */
const BATCH_BYTES = 4096;
const FLUSH_MS = 100;
/** While stdout takes nothing (a full pipe), at most this much waits; older text is dropped. */
const MAX_WAITING_BYTES = 8 * 1024 * 1024;

/**
 * Log lines to standard output in batches, written synchronously (pino's asynchronous default
 * cost about 5% of throughput, bench/RESULTS.md) but never blocking and never retrying in a loop:
 * where it can, it writes through its own non-blocking descriptor of stdout
 * (`/proc/self/fd/1` reopened with O_NONBLOCK, which leaves fd 1 itself alone). A full pipe
 * (`EAGAIN`) keeps the text for the next flush; a closed one (`EPIPE`, `EBADF`) drops it. So a
 * process whose stdout closes or fills as it is told to stop still exits on time, and no line is
 * lost while stdout works. What waits is written on exit, with one try.
 */
export class StdoutLines {
  private readonly fd: number;
  private readonly own: boolean;
  private waiting: string[] = [];
  private waitingBytes = 0;
  /** Bytes a full pipe did not take yet; they go first. */
  private unwritten: Buffer | undefined;
  private broken = false;
  private readonly timer: NodeJS.Timeout;

  constructor() {
    const opened = nonBlockingStdout();
    this.fd = opened ?? 1;
    this.own = opened !== undefined;
    this.timer = setInterval(() => this.flush(), FLUSH_MS).unref();
    process.once('exit', () => {
      clearInterval(this.timer);
      this.flush();
      if (this.own) {
        try {
          closeSync(this.fd);
        } catch {
          // Already gone with the process's other descriptors.
        }
      }
    });
  }

  /** pino's destination: one serialised line. */
  write(line: string): boolean {
    if (this.broken) return true;
    this.waiting.push(line);
    this.waitingBytes += line.length;
    if (this.waitingBytes >= BATCH_BYTES) this.flush();
    return true;
  }

  /** Writes what waits, as far as stdout takes it now; never waits for it. */
  flush(): void {
    if (this.broken || (this.waiting.length === 0 && !this.unwritten)) return;
    const fresh = Buffer.from(this.waiting.join(''));
    let data = this.unwritten ? Buffer.concat([this.unwritten, fresh]) : fresh;
    this.unwritten = undefined;
    this.waiting = [];
    this.waitingBytes = 0;
    while (data.length > 0) {
      let written: number;
      try {
        written = writeSync(this.fd, data);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') return this.keep(data);
        // EPIPE, EBADF and the like: nobody reads stdout any more.
        this.broken = true;
        return;
      }
      data = data.subarray(written);
    }
  }

  private keep(data: Buffer): void {
    // Bounded: while nobody reads, the newest text is what is worth keeping.
    this.unwritten =
      data.length > MAX_WAITING_BYTES ? data.subarray(data.length - MAX_WAITING_BYTES) : data;
  }
}

/** A non-blocking descriptor of the same stdout, when it is a pipe or socket on Linux. */
function nonBlockingStdout(): number | undefined {
  try {
    const stat = fstatSync(1);
    if (!stat.isFIFO() && !stat.isSocket()) return undefined;
    return openSync('/proc/self/fd/1', constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
}
